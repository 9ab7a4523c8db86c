"""What ``khabar`` commands share: known errors become one line on stderr; common options."""

from __future__ import annotations

import functools
from pathlib import Path

import click

from extractors.errors import KhabarError

__all__ = ["one_line_errors", "ner_model_option", "ner_scope_option"]


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

ner_scope_option = click.option(
    "--ner",
    type=click.Choice(["off", "triggers", "all"]),
    default="triggers",
    show_default=True,
    help="Khabar's NER model finds names the gazetteer lacks: in sentences with a relation "
    "trigger, everywhere, or not at all (trained and lexicon extractors; needs khabar[stanza]).",
)
"""``--ner SCOPE`` of the commands that find mentions: build, and training on them."""
