"""Read and write graph files; the suffix picks the format, and writes are atomic.

>>> guess_format("out/graph.ttl")
'turtle'
>>> guess_format("news.jsonld")
'json-ld'
"""

from __future__ import annotations

import os
import tempfile
import warnings
from pathlib import Path

import rdflib

from extractors.errors import InputError

__all__ = ["FORMATS", "guess_format", "read_graph", "write_graph", "write_text_atomic"]

FORMATS = {
    ".ttl": "turtle",
    ".trig": "trig",
    ".nq": "nquads",
    ".nt": "nt",
    ".jsonld": "json-ld",
}
"""Output suffix -> rdflib format name; SPEC.md lists these five."""


def guess_format(path: str | Path) -> str:
    """The rdflib format for ``path``'s suffix, or an InputError naming the suffix."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        known = ", ".join(FORMATS)
        raise InputError(
            f"unknown graph format {suffix or '(none)'!r}; use one of {known}", path=path
        )
    return FORMATS[suffix]


def read_graph(path: str | Path) -> rdflib.Graph:
    """Parse a graph file in any supported format; quads are merged into one graph."""
    path = Path(path)
    fmt = guess_format(path)
    if not path.is_file():
        raise InputError("no such graph file", path=path)
    ds = rdflib.Dataset()
    try:
        with warnings.catch_warnings():  # rdflib's own parsers use its deprecated API
            warnings.simplefilter("ignore", DeprecationWarning)
            ds.parse(path, format=fmt)
    except Exception as err:  # rdflib raises many parser-specific types
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise InputError(f"cannot parse {fmt}: {first}", path=path) from err
    g = rdflib.Graph()
    for prefix, ns in ds.namespaces():
        g.bind(prefix, ns, override=True)
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def write_text_atomic(path: str | Path, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    A failure half-way leaves whatever was at ``path`` before untouched.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; outputs are ordinary files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_graph(g: rdflib.Graph, path: str | Path) -> Path:
    """Serialize ``g`` in the format named by ``path``'s suffix, atomically."""
    fmt = guess_format(path)
    if fmt in ("trig", "nquads"):
        with warnings.catch_warnings():  # rdflib's Dataset uses its own deprecated API
            warnings.simplefilter("ignore", DeprecationWarning)
            ds = rdflib.Dataset()
            for prefix, ns in g.namespaces():
                ds.bind(prefix, ns, override=True)
            for triple in g:
                ds.add(triple)
            data = ds.serialize(format=fmt, encoding="utf-8")
    else:
        data = g.serialize(format=fmt, encoding="utf-8")
    return write_text_atomic(path, data)
