"""``khabar models train-relations`` and ``eval-relations``: the trained relation model.

Registered on the ``models`` group in ``graph/cli.py``. Each command parses options,
calls ``extractors.relations.train`` once, and prints what it measured.
"""

from __future__ import annotations

from pathlib import Path

import click

from extractors.relations import defaults
from graph.cli_util import (
    SHARED,
    annotated_data,
    annotated_data_options,
    ner_scope_option,
    one_line_errors,
)

__all__ = ["train_relations_command"]


@click.command("train-relations")
@annotated_data_options
@click.option(
    "--entities",
    "extra_entities",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    default=[SHARED / "gold" / "entities.json"],
    show_default=True,
    help="Entity files shared by the gold sets.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out") / "relation-model",
    show_default=True,
    help="Model directory to write (weights.npz, meta.json).",
)
@ner_scope_option(defaults.NER)
@click.option(
    "--folds",
    type=click.IntRange(2, 20),
    default=defaults.FOLDS,
    show_default=True,
    help="Cross-validation folds over articles (3: about 6 minutes on 2 CPUs; with "
    "--encoder, one network per fold and about 25 minutes).",
)
@click.option(
    "--encoder/--no-encoder",
    default=defaults.ENCODER,
    show_default=True,
    help="Train the PCNN encoder too and average it with the logistic regression; needs "
    "torch (the stanza extra). Off: with the actors' identity among the features it "
    "lowered the out-of-fold and dev F1.",
)
@click.option(
    "--seed",
    type=int,
    default=defaults.SEED,
    show_default=True,
    help="Seed of the folds and encoder.",
)
@click.option(
    "--per-relation-thresholds/--one-threshold",
    default=defaults.PER_RELATION,
    show_default=True,
    help="Give each relation stated 30 times or more a threshold of its own, chosen by the "
    "same cross-validation on the pooled scores.",
)
@one_line_errors
def train_relations_command(
    corpus_dirs,
    gold_dirs,
    extra_entities,
    annotation_dirs,
    shared,
    output,
    ner,
    folds,
    encoder,
    seed,
    per_relation_thresholds,
):
    """Train the relation model from annotated articles; choose its threshold by
    cross-validation; write it to OUTPUT.

    The shipped model (extractors/models/relations) is this command's default output
    with -o extractors/models/relations.

    Example: khabar models train-relations -o out/relation-model
    """
    from extractors.errors import InputError
    from extractors.relations.train import train_relations

    for path in extra_entities:
        if not path.exists():
            raise InputError("not found (the annotated data live in ../shared)", path=path)
    with annotated_data(corpus_dirs, gold_dirs, annotation_dirs, shared) as (sets, names):
        model = train_relations(
            sets,
            output,
            extra_entities=extra_entities,
            ner=ner,
            folds=folds,
            log=lambda line: click.echo(line, err=True),
            described_as=names,
            encoder=encoder,
            seed=seed,
            per_relation=per_relation_thresholds,
        )
    cv = model.meta["cross_validation"]
    with_encoder = f" + encoder ({model.encoder.members} members)" if model.encoder else ""
    click.echo(
        f"{output}: {len(model.features)} features{with_encoder}, "
        f"threshold {model.threshold:.2f}; "
        f"{folds}-fold cross-validation P {cv['precision']:.3f} R {cv['recall']:.3f} "
        f"F1 {cv['f1']:.3f}"
    )
