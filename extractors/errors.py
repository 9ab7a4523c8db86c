"""Khabar's errors: each carries the file, the line and the offending value.

``str(err)`` is one line, ready for the command line:

>>> str(InputError("invalid JSON", path="news.jsonl", line=14))
'news.jsonl:14: invalid JSON'
"""

from __future__ import annotations

__all__ = ["KhabarError", "InputError", "QueryError", "ModelError"]


class KhabarError(Exception):
    """Base of every error Khabar reports to a user (the CLI prints it in one line)."""

    def __init__(
        self, message: str, *, path: object = None, line: int | None = None, value: object = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = None if path is None else str(path)
        self.line = line
        self.value = value

    def __str__(self) -> str:
        where = self.path or ""
        if where and self.line is not None:
            where += f":{self.line}"
        text = f"{where}: {self.message}" if where else self.message
        return " ".join(text.split())  # always one line


class InputError(KhabarError):
    """An article, file or option that cannot be read."""


class QueryError(KhabarError):
    """A SPARQL query that does not parse or cannot run."""


class ModelError(KhabarError):
    """A model that is missing or cannot be loaded (carries the path and the fix)."""
