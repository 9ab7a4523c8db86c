"""What ``khabar`` commands share: known errors become one line on stderr; common options."""

from __future__ import annotations

import functools
from pathlib import Path

import click

from extractors.errors import KhabarError

__all__ = [
    "annotated_data",
    "annotated_data_options",
    "one_line_errors",
    "ner_model_option",
    "ner_scope_option",
]

SHARED = Path("..") / "shared"


def one_line_errors(func):
    """Turn KhabarError into click's one-line error (exit status 1); other errors are bugs."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except KhabarError as err:
            raise click.ClickException(str(err)) from err

    return wrapper


ner_model_option = click.option(
    "--ner-model",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of an NER model from 'khabar models train-ner' (default: the one shipped).",
)
"""``--ner-model DIR`` of the commands that tag with Khabar's NER model."""


def ner_scope_option(default: str | None = None):
    """``--ner SCOPE`` of the commands that find mentions: build (the API's default,
    ``NER_DEFAULT``), and training on them (``triggers``, the scope the shipped relation
    model was trained at)."""
    from extractors.lexicon import NER_DEFAULT, NER_LEAD, NER_SCOPES

    default = NER_DEFAULT if default is None else default

    return click.option(
        "--ner",
        type=click.Choice(NER_SCOPES),
        default=default,
        show_default=True,
        help="Khabar's NER model finds names the gazetteer lacks: in every sentence (all), "
        f"in the first {NER_LEAD} sentences and after relation triggers (lead), only after "
        "triggers, or not at all (trained and lexicon extractors; needs khabar[stanza]).",
    )


def annotated_data_options(func):
    """``--corpus``/``--gold`` (repeatable pairs), ``--annotations`` and ``--shared``: the
    annotated articles a ``khabar models train-*`` command learns from."""
    options = [
        click.option(
            "--corpus",
            "corpus_dirs",
            multiple=True,
            type=click.Path(file_okay=False, path_type=Path),
            default=[SHARED / "corpus" / "train"],
            show_default=True,
            help="Folder of annotated articles (repeat with --gold for more sets).",
        ),
        click.option(
            "--gold",
            "gold_dirs",
            multiple=True,
            type=click.Path(file_okay=False, path_type=Path),
            default=[SHARED / "gold" / "train"],
            show_default=True,
            help="Its gold folder: gold.json, evidence.json, entities.json (one per --corpus).",
        ),
        click.option(
            "--annotations",
            "annotation_dirs",
            multiple=True,
            type=click.Path(file_okay=False, path_type=Path),
            default=None,
            help="Annotation set kept without its text (sources.json, offsets), read with "
            "the articles from --shared; repeatable. Default: every set in "
            "extractors/relations/annotations. Give --annotations none for none.",
        ),
        click.option(
            "--shared",
            type=click.Path(file_okay=False, path_type=Path),
            default=SHARED,
            show_default=True,
            help="Where the annotation sets' articles are read from.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def annotated_data(corpus_dirs, gold_dirs, annotation_dirs, shared):
    """The options of :func:`annotated_data_options`, checked, as a context manager that
    yields the ``(corpus, gold)`` pairs to train on and their names."""
    from extractors.errors import InputError
    from extractors.relations.annotated import annotation_sets, training_sets

    if len(corpus_dirs) != len(gold_dirs):
        raise InputError("give one --gold folder for each --corpus folder")
    for path in [*corpus_dirs, *gold_dirs]:
        if not path.exists():
            raise InputError("not found (the annotated data live in ../shared)", path=path)
    if not annotation_dirs:
        annotation_dirs = annotation_sets()
    elif [str(d) for d in annotation_dirs] == ["none"]:
        annotation_dirs = []
    return training_sets(list(zip(corpus_dirs, gold_dirs, strict=True)), annotation_dirs, shared)
