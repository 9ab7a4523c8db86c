"""``khabar models train-relations`` and ``eval-relations``: the trained relation model.

Registered on the ``models`` group in ``graph/cli.py``. Each command parses options,
calls ``extractors.relations.train`` once, and prints what it measured.
"""

from __future__ import annotations

from pathlib import Path

import click

from graph.cli_util import ner_scope_option, one_line_errors

__all__ = ["train_relations_command"]

_SHARED = Path("..") / "shared"


@click.command("train-relations")
@click.option(
    "--corpus",
    "corpus_dirs",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    default=[_SHARED / "corpus" / "train"],
    show_default=True,
    help="Folder of annotated articles (repeat with --gold for more sets).",
)
@click.option(
    "--gold",
    "gold_dirs",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    default=[_SHARED / "gold" / "train"],
    show_default=True,
    help="Its gold folder: gold.json, evidence.json, entities.json (one per --corpus).",
)
@click.option(
    "--entities",
    "extra_entities",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    default=[_SHARED / "gold" / "entities.json"],
    show_default=True,
    help="Entity files shared by the gold sets.",
)
@click.option(
    "--annotations",
    "annotation_dirs",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Annotation set kept without its text (sources.json, offsets), read with the "
    "articles from ../shared; repeatable. Default: every set in "
    "extractors/relations/annotations. Give --annotations none for none.",
)
@click.option(
    "--shared",
    type=click.Path(file_okay=False, path_type=Path),
    default=_SHARED,
    show_default=True,
    help="Where the annotation sets' articles are read from.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out") / "relation-model",
    show_default=True,
    help="Model directory to write (weights.npz, meta.json).",
)
@ner_scope_option
@click.option("--folds", type=click.IntRange(2, 20), default=5, show_default=True)
@click.option(
    "--encoder/--no-encoder",
    default=True,
    show_default=True,
    help="Train the PCNN encoder too (one member per fold, averaged with the logistic "
    "regression); needs torch (the stanza extra), else the regression alone.",
)
@click.option(
    "--seed", type=int, default=0, show_default=True, help="Seed of the folds and encoder."
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
):
    """Train the relation model from annotated articles; choose its threshold by
    cross-validation; write it to OUTPUT.

    The shipped model (extractors/models/relations) is this command's default output
    with -o extractors/models/relations.

    Example: khabar models train-relations -o out/relation-model
    """
    import tempfile

    from extractors.errors import InputError
    from extractors.relations.annotated import annotation_sets, unpack
    from extractors.relations.train import train_relations

    if len(corpus_dirs) != len(gold_dirs):
        raise InputError("give one --gold folder for each --corpus folder")
    for path in [*corpus_dirs, *gold_dirs, *extra_entities]:
        if not path.exists():
            raise InputError("not found (the annotated data live in ../shared)", path=path)
    if not annotation_dirs:
        annotation_dirs = annotation_sets()
    elif [str(d) for d in annotation_dirs] == ["none"]:
        annotation_dirs = []
    sets = list(zip(corpus_dirs, gold_dirs, strict=True))
    with tempfile.TemporaryDirectory(prefix="khabar-annotations-") as tmp:
        for n, set_dir in enumerate(annotation_dirs):
            sets.append(unpack(set_dir, shared, Path(tmp) / f"{n}-{set_dir.name}"))
        model = train_relations(
            sets,
            output,
            extra_entities=extra_entities,
            ner=ner,
            folds=folds,
            log=lambda line: click.echo(line, err=True),
            described_as=[*map(str, gold_dirs), *map(str, annotation_dirs)],
            encoder=encoder,
            seed=seed,
        )
    cv = model.meta["cross_validation"]
    with_encoder = f" + encoder ({model.encoder.members} members)" if model.encoder else ""
    click.echo(
        f"{output}: {len(model.features)} features{with_encoder}, "
        f"threshold {model.threshold:.2f}; "
        f"{folds}-fold cross-validation P {cv['precision']:.3f} R {cv['recall']:.3f} "
        f"F1 {cv['f1']:.3f}"
    )
