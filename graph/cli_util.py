"""What every ``khabar`` command shares: known errors become one line on stderr."""

from __future__ import annotations

import functools

import click

from extractors.errors import KhabarError

__all__ = ["one_line_errors"]


def one_line_errors(func):
    """Turn KhabarError into click's one-line error (exit status 1); other errors are bugs."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except KhabarError as err:
            raise click.ClickException(str(err)) from err

    return wrapper
