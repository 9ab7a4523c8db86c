"""Articles read from .txt files, folders and JSONL, streamed: a bad one is reported, never fatal.

Every problem is an :class:`~extractors.errors.InputError` whose one-line ``str`` names
the file (and the line, for JSONL). With ``on_error=None`` it is raised; otherwise it is
passed to ``on_error`` as that line, the article or line is skipped and reading goes on.

Text is kept exactly as read, so that offsets into ``Article.text`` are offsets into the
input: for a .txt file the whole file (title line included, line ends kept, a byte-order
mark removed); for JSONL the ``text`` field.
"""

from __future__ import annotations

import codecs
import hashlib
import itertools
import json
import os
import re
from collections.abc import Callable, Generator, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from extractors.dates import find_date, parse_date
from extractors.errors import InputError
from extractors.types import Article

__all__ = ["MAX_BYTES", "SUFFIXES", "read_articles", "read_txt", "read_jsonl", "parse_jsonl"]

MAX_BYTES = 20_000_000  # 20 MB: a .txt file, or one JSONL line, larger than this is refused
SUFFIXES = (".txt", ".jsonl")

# UTF-32 before UTF-16: the UTF-32-LE mark begins with the UTF-16-LE one.
_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
]
_SNIFF_BYTES = 8192  # how much of a JSONL file is checked for NUL bytes

_JSON_KINDS = {dict: "an object", list: "an array", str: "a string", bool: "true or false"}

_SURROGATE = re.compile("[\ud800-\udfff]")  # JSON can escape them; UTF-8 cannot encode them

Report = Callable[[InputError], None]


def read_articles(
    inputs: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    on_error: Callable[[str], None] | None = None,
    max_bytes: int = MAX_BYTES,
) -> Iterator[Article]:
    """Stream the articles of .txt files, folders and .jsonl files, in the order given.

    A folder is searched recursively for .txt and .jsonl files, sorted by path; hidden
    files and folders (names starting with ".") are left out. Article ids are unique
    over the whole read: an article whose id was already read (the same .txt stem in
    two folders, a repeated JSONL id) is reported and skipped, the first one kept.
    A missing path, an unsupported suffix, an unreadable file or line is reported
    through ``on_error`` (one line each) and skipped; with ``on_error=None`` it raises
    :class:`InputError`.

    >>> import tempfile
    >>> tmp = tempfile.TemporaryDirectory()
    >>> folder = Path(tmp.name)
    >>> text = "وزير الخارجية في دمشق\\nالتاريخ: 3 أيار 2016\\n"
    >>> _ = (folder / "a1.txt").write_text(text, encoding="utf-8")
    >>> problems = []
    >>> [a.id for a in read_articles([folder, folder / "missing.txt"], on_error=problems.append)]
    ['a1']
    >>> problems[0].endswith("missing.txt: no such file or directory")
    True
    >>> tmp.cleanup()
    """
    report = _reporter(on_error)
    seen: dict[str, str] = {}
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    for path in _expand(inputs, report=report):
        if path.suffix.lower() == ".jsonl":
            yield from _read_jsonl(path, report=report, seen=seen, max_bytes=max_bytes)
            continue
        try:
            article = read_txt(path, max_bytes=max_bytes)
        except InputError as err:
            report(err)
            continue
        if _first_time(article, seen=seen, report=report, path=path):
            yield article


def read_txt(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> Article:
    """Read one .txt article: id from the file name, title from its first non-empty line.

    The text is the whole file, decoded as UTF-8 (or UTF-16/UTF-32 when the file starts
    with their byte-order mark), the mark removed and line ends kept as they are.

    >>> import tempfile
    >>> tmp = tempfile.TemporaryDirectory()
    >>> path = Path(tmp.name) / "talks-17.txt"
    >>> _ = path.write_bytes("\\ufeff\\r\\nمحادثات في جنيف\\r\\n9 ديسمبر، 2024\\r\\n".encode())
    >>> article = read_txt(path)
    >>> article.id, article.title, article.date
    ('talks-17', 'محادثات في جنيف', datetime.date(2024, 12, 9))
    >>> article.text[:4]
    '\\r\\nمح'
    >>> tmp.cleanup()
    """
    path = Path(path)
    try:
        with path.open("rb") as file:
            data = _read_limited(file, path=path, max_bytes=max_bytes)
    except OSError as err:
        raise _os_error(err, path) from err
    text = _decode(data, path=path)
    if not text.strip():
        raise InputError("no text (only white space)" if text else "empty file", path=path)
    title = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return Article(id=path.stem, text=text, title=title, date=find_date(text), path=str(path))


def read_jsonl(
    path: str | os.PathLike[str],
    *,
    on_error: Callable[[str], None] | None = None,
    max_bytes: int = MAX_BYTES,
) -> Iterator[Article]:
    """Stream the articles of a .jsonl file, one JSON object a line; see :func:`parse_jsonl`.

    The file is read line by line as UTF-8 (a line over ``max_bytes`` is refused); a file
    starting with a UTF-16 or UTF-32 byte-order mark is decoded whole, within ``max_bytes``.
    """
    yield from _read_jsonl(Path(path), report=_reporter(on_error), seen={}, max_bytes=max_bytes)


def parse_jsonl(
    lines: Iterable[str] | str,
    *,
    path: str | os.PathLike[str] = "<jsonl>",
    on_error: Callable[[str], None] | None = None,
) -> Iterator[Article]:
    """Articles from JSON lines (or one string holding them); ``path`` names them in errors.

    Each line is an object with ``id`` (a string or a number) and ``text``, and optionally
    ``title``, ``date``, ``url`` and ``source``; other fields are ignored. Blank lines are
    skipped. Scraped corpora that lack them are read too: ``text`` falls back to
    ``content``; ``id`` to a stable hash of ``url``, else to ``<file stem>:<line>``; the
    date comes from ``date``, then ``date_extracted``, then the text (:func:`find_date`).
    A repeated id is reported and skipped.

    >>> lines = ['{"id": 7, "text": "التقى الوفدان في عمان", "date": "2016-05-03"}', "",
    ...          '{"url": "https://example.org/a/1", "content": "نص الخبر"}', "{oops"]
    >>> problems = []
    >>> for article in parse_jsonl(lines, path="news.jsonl", on_error=problems.append):
    ...     print(article.id, article.date)
    7 2016-05-03
    8c128796b43b0157 None
    >>> problems
    ['news.jsonl:4: invalid JSON (Expecting property name enclosed in double quotes at column 2)']
    """
    if isinstance(lines, str):
        lines = lines.split("\n")  # not splitlines(): JSON strings may hold U+2028 and friends
    numbered = ((number, 0, line) for number, line in enumerate(lines, 1))
    yield from _parse_lines(numbered, path=Path(path), report=_reporter(on_error), seen={})


def _reporter(on_error: Callable[[str], None] | None) -> Report:
    """Raise errors when there is no handler, else hand the handler their one line."""

    def report(err: InputError) -> None:
        if on_error is None:
            raise err
        on_error(str(err))

    return report


def _expand(inputs: Iterable[str | os.PathLike[str]], *, report: Report) -> Iterator[Path]:
    """The files to read: each input file, or a folder's .txt and .jsonl files sorted by path."""
    for name in inputs:
        path = Path(name)
        if path.is_dir():
            files = _folder_files(path, report=report)
            if not files:
                report(InputError("no .txt or .jsonl files in this folder", path=path))
            yield from files
        elif not path.exists():
            report(InputError("no such file or directory", path=path))
        elif path.suffix.lower() not in SUFFIXES:
            report(
                InputError(
                    f"unsupported file type {path.suffix!r} (expected .txt, .jsonl or a folder)",
                    path=path,
                )
            )
        else:
            yield path


def _folder_files(folder: Path, *, report: Report) -> list[Path]:
    def unreadable(err: OSError) -> None:
        report(InputError(f"cannot read this folder ({err.strerror})", path=err.filename))

    files = []
    for root, dirs, names in os.walk(folder, onerror=unreadable):
        dirs[:] = [name for name in dirs if not name.startswith(".")]
        files += [
            Path(root, name)
            for name in names
            if not name.startswith(".") and Path(name).suffix.lower() in SUFFIXES
        ]
    return sorted(files)


def _first_time(
    article: Article, *, seen: dict[str, str], report: Report, path: Path, line: int | None = None
) -> bool:
    """Whether the article's id is new in this read; a repeat is reported."""
    first = seen.get(article.id)
    if first is not None:
        report(
            InputError(
                f"duplicate id {article.id!r} (first read from {first}); skipped",
                path=path,
                line=line,
                value=article.id,
            )
        )
        return False
    seen[article.id] = str(path) if line is None else f"{path}:{line}"
    return True


def _os_error(err: OSError, path: Path) -> InputError:
    if isinstance(err, FileNotFoundError):
        return InputError("no such file or directory", path=path)
    if isinstance(err, IsADirectoryError):
        return InputError("is a folder, expected a file", path=path)
    return InputError(f"cannot read ({err.strerror or err})", path=path)


def _read_limited(file: BinaryIO, *, path: Path, max_bytes: int) -> bytes:
    data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        size = os.fstat(file.fileno()).st_size
        raise InputError(
            f"file too large ({size:,} bytes; the limit is {max_bytes:,})", path=path, value=size
        )
    return data


def _sniff(data: bytes) -> tuple[bytes, str, str]:
    """The byte-order mark that starts the data, its codec and its name (none: UTF-8)."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            return bom, codec, name
    return b"", "utf-8", "UTF-8"


def _decode(data: bytes, *, path: Path) -> str:
    """Bytes to text, the byte-order mark removed and nothing else changed."""
    bom, codec, name = _sniff(data)
    nul = data.find(b"\0")
    if codec == "utf-8" and nul >= 0:
        raise InputError(f"binary file (NUL byte at offset {nul})", path=path)
    try:
        text = data[len(bom) :].decode(codec)
    except UnicodeDecodeError as err:
        offset = len(bom) + err.start
        raise InputError(
            f"not valid {name} (byte {data[offset]:#04x} at offset {offset})",
            path=path,
            value=offset,
        ) from err
    if "\0" in text:
        raise InputError(f"binary file (NUL character in {name} text)", path=path)
    return text


def _read_jsonl(
    path: Path, *, report: Report, seen: dict[str, str], max_bytes: int
) -> Iterator[Article]:
    try:
        file = path.open("rb")
    except OSError as err:
        report(_os_error(err, path))
        return
    with file:
        head = file.read(_SNIFF_BYTES)
        file.seek(0)
        bom, codec, _name = _sniff(head)
        numbered: Iterable[tuple[int, int, str | bytes | None]]
        if codec != "utf-8":
            try:
                text = _decode(_read_limited(file, path=path, max_bytes=max_bytes), path=path)
            except InputError as err:
                report(err)
                return
            numbered = ((number, 0, line) for number, line in enumerate(text.split("\n"), 1))
        elif b"\0" in head:
            nul = head.find(b"\0")
            report(InputError(f"binary file (NUL byte at offset {nul})", path=path))
            return
        else:
            numbered = _binary_lines(file, max_bytes=max_bytes)
        count = yield from _parse_lines(
            numbered, path=path, report=report, seen=seen, max_bytes=max_bytes
        )
    if count == 0:
        report(InputError("empty file (no JSON lines)", path=path))


def _binary_lines(file: BinaryIO, *, max_bytes: int) -> Iterator[tuple[int, int, bytes | None]]:
    """(line number, byte offset, the line) for each line; None for a line over max_bytes."""
    offset = 0
    for number in itertools.count(1):
        raw: bytes | None = file.readline(max_bytes + 1)
        if not raw:
            return
        start = offset
        offset += len(raw)
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw, start = raw[len(codecs.BOM_UTF8) :], start + len(codecs.BOM_UTF8)
        if len(raw) > max_bytes:
            rest = raw
            while rest and not rest.endswith(b"\n"):  # skip to the end of this line
                rest = file.readline(1 << 20)
                offset += len(rest)
            raw = None
        yield number, start, raw


def _parse_lines(
    numbered: Iterable[tuple[int, int, str | bytes | None]],
    *,
    path: Path,
    report: Report,
    seen: dict[str, str],
    max_bytes: int = MAX_BYTES,
) -> Generator[Article, None, int]:
    """Articles from (line number, byte offset, line); returns how many lines were not blank."""
    count = 0
    for number, offset, raw in numbered:
        if raw is not None and not raw.strip():
            continue
        count += 1
        try:
            article = _parse_line(raw, path=path, number=number, offset=offset, max_bytes=max_bytes)
        except InputError as err:
            report(err)
            continue
        if _first_time(article, seen=seen, report=report, path=path, line=number):
            yield article
    return count


def _parse_line(
    raw: str | bytes | None, *, path: Path, number: int, offset: int, max_bytes: int
) -> Article:
    if raw is None:
        raise InputError(f"line too long (over {max_bytes:,} bytes)", path=path, line=number)
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            at = offset + err.start
            raise InputError(
                f"not valid UTF-8 (byte {raw[err.start]:#04x} at offset {at})",
                path=path,
                line=number,
                value=at,
            ) from err
    raw = raw.rstrip("\r\n")  # so that a column counts from the start of this line
    try:
        obj = json.loads(raw)
    except json.JSONDecodeError as err:
        raise InputError(
            f"invalid JSON ({err.msg} at column {err.colno})", path=path, line=number, value=raw
        ) from err
    except RecursionError as err:
        raise InputError("invalid JSON (nested too deeply)", path=path, line=number) from err
    if not isinstance(obj, dict):
        raise InputError(
            f'invalid JSON (expected an object with "id" and "text", got {_kind(obj)})',
            path=path,
            line=number,
            value=raw,
        )
    return _article(obj, path=path, number=number)


def _article(obj: dict, *, path: Path, number: int) -> Article:
    """An article from one JSON object, with the fallbacks of scraped corpora."""
    text = obj.get("text")
    field = "text"
    if text is None:
        text, field = obj.get("content"), "content"
    if text is None:
        raise InputError('no text (expected a "text" or "content" field)', path=path, line=number)
    if not isinstance(text, str):
        raise InputError(
            f'"{field}" is {_kind(text)}, expected a string', path=path, line=number, value=text
        )
    if not text.strip():
        raise InputError("empty text", path=path, line=number)
    dates = (parse_date(obj.get(key)) for key in ("date", "date_extracted"))
    article = Article(
        id=_article_id(obj, path=path, number=number),
        text=text,
        title=_string(obj.get("title")) or "",
        date=next((date for date in dates if date is not None), None) or find_date(text),
        url=_string(obj.get("url")),
        source=_string(obj.get("source")),
        path=str(path),
    )
    for field in ("id", "text", "title", "url", "source"):
        surrogate = _SURROGATE.search(getattr(article, field) or "")
        if surrogate:
            raise InputError(
                f'"{field}" holds an unpaired surrogate (U+{ord(surrogate[0]):04X}), not text',
                path=path,
                line=number,
            )
    return article


def _article_id(obj: dict, *, path: Path, number: int) -> str:
    """The ``id`` field, else a hash of the ``url``, else ``<file stem>:<line>``."""
    value = obj.get("id")
    if isinstance(value, bool) or not isinstance(value, (str, int, type(None))):
        raise InputError(
            f'"id" is {_kind(value)}, expected a string or an integer',
            path=path,
            line=number,
            value=value,
        )
    if isinstance(value, int):
        return str(value)
    if value is not None and value.strip():
        return value.strip()
    url = _string(obj.get("url"))
    if url:
        return hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]
    return f"{path.stem}:{number}"


def _string(value: object) -> str | None:
    """A stripped, non-empty string field, or None."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _kind(value: object) -> str:
    if value is None:
        return "null"
    return _JSON_KINDS.get(type(value), "a number")
