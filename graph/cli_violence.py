"""``khabar models train-violence``: the sentence model that vets attacks and kills.

Registered on the ``models`` group in ``graph/cli.py``; the model is
``extractors/relations/violence.py``'s.
"""

from __future__ import annotations

from pathlib import Path

import click

from graph.cli_util import annotated_data, annotated_data_options, one_line_errors

__all__ = ["train_violence_command"]


@click.command("train-violence")
@annotated_data_options
@click.option(
    "--sentence-labels",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Hand labels of sentences (does it report an assault?); default: "
    "extractors/relations/annotations/assault-sentences.json.",
)
@click.option("-c", "--c", "c", type=float, default=4.0, show_default=True, help="Inverse L2.")
@click.option(
    "--keep",
    type=click.FloatRange(0, 1),
    default=0.3,
    show_default=True,
    help="Below this, a sentence's attacks and kills statements are dropped.",
)
@click.option(
    "--add",
    type=click.FloatRange(0, 1),
    default=0.6,
    show_default=True,
    help="From this on, a sentence without one gets an unknown perpetrator's attack.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out") / "violence-model",
    show_default=True,
    help="Model directory to write (weights.npz, meta.json).",
)
@one_line_errors
def train_violence_command(
    corpus_dirs, gold_dirs, annotation_dirs, shared, sentence_labels, c, keep, add, output
):
    """Train the sentence model that tells a report of an attack from violence in
    passing; write it to OUTPUT.

    The shipped model (extractors/models/violence) is this command's default output
    with -o extractors/models/violence (about 20 seconds).

    Example: khabar models train-violence -o out/violence-model
    """
    from extractors.relations.violence import SENTENCE_LABELS, train_violence

    with annotated_data(corpus_dirs, gold_dirs, annotation_dirs, shared) as (sets, names):
        model = train_violence(
            sets,
            output,
            c=c,
            keep=keep,
            add=add,
            sentence_labels=sentence_labels or SENTENCE_LABELS,
            described_as=names,
            log=lambda line: click.echo(line, err=True),
        )
    click.echo(
        f"{output}: {model.meta['sentences']} sentences, {model.meta['positive']} reporting "
        f"attacks or killings; keep >= {model.keep}, add >= {model.add}"
    )
