"""Where a built graph lives: rdflib in memory for small graphs, Oxigraph on disk for large ones.

Every store takes rdflib triples (``add``) or N-Triples lines (``add_lines``, what
worker processes send), answers SPARQL and writes graph files. ``RdflibStore`` is
the notebook's store: its ``graph`` is an ordinary ``rdflib.Graph``.
``OxigraphStore`` is a pyoxigraph store in a directory, filled by bulk loading and
read back without loading it all into Python: ``khabar build --store DIR`` and
``khabar add DIR`` write one; ``query``, ``stats``, ``render``, ``export`` and
``serve`` read one wherever they read a graph file (:func:`load_graph`).

>>> store = open_store("memory")
>>> from rdflib import URIRef, Literal
>>> store.add([(URIRef("urn:a"), URIRef("urn:p"), Literal(1))])
>>> len(store)
1
>>> nt_line((URIRef("urn:a"), URIRef("urn:p"), Literal('say "hi"\\n', lang="ar")))
'<urn:a> <urn:p> "say \\\\"hi\\\\"\\\\n"@ar .\\n'
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Protocol

import rdflib
from rdflib import PROV, RDF, BNode, Literal, URIRef

from extractors.errors import InputError, KhabarError, QueryError
from ontology import ART, ENT, KH, STMT

__all__ = [
    "Store",
    "Sink",
    "RdflibStore",
    "OxigraphStore",
    "open_store",
    "STORES",
    "PREFIXES",
    "nt_line",
    "is_store_dir",
    "load_graph",
    "query_store",
]

PREFIXES: dict[str, str] = {
    "kh": str(KH),
    "ent": str(ENT),
    "art": str(ART),
    "stmt": str(STMT),
    "rdf": str(rdflib.RDF),
    "rdfs": str(rdflib.RDFS),
    "xsd": str(rdflib.XSD),
    "prov": str(rdflib.PROV),
    "dcterms": str(rdflib.DCTERMS),
    "skos": str(rdflib.SKOS),
}
"""Prefixes of the graph files Khabar writes."""

_XSD_STRING = str(rdflib.XSD.string)
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class Sink(Protocol):
    """What a build writes to: a store, or a file written as it comes (NTriplesWriter)."""

    def add(self, triples: Iterable[tuple]) -> None: ...
    def add_lines(self, lines: Iterable[str]) -> None: ...


class Store(Sink, Protocol):
    def query(self, sparql: str): ...
    def dump(self, path: str | Path) -> Path: ...
    def __len__(self) -> int: ...


# --------------------------------------------------------------------------- N-Triples


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def _nt_term(term) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        text = f'"{_escape(str(term))}"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None and str(term.datatype) != _XSD_STRING:
            return f"{text}^^<{term.datatype}>"
        return text
    if isinstance(term, BNode):
        return f"_:{term}"
    raise KhabarError(f"not an RDF term: {term!r}")


def nt_line(triple: tuple) -> str:
    """One triple as an N-Triples line (with its newline); also a valid N-Quads line."""
    s, p, o = triple
    return f"{_nt_term(s)} {_nt_term(p)} {_nt_term(o)} .\n"


# --------------------------------------------------------------------------- rdflib


class RdflibStore:
    """An in-memory rdflib graph: the API for small graphs and notebooks."""

    def __init__(self) -> None:
        self.graph = rdflib.Graph()
        for prefix, ns in PREFIXES.items():
            self.graph.bind(prefix, ns)

    def add(self, triples: Iterable[tuple]) -> None:
        for triple in triples:
            self.graph.add(triple)

    def add_lines(self, lines: Iterable[str]) -> None:
        data = "".join(lines)
        if data:
            self.graph.parse(data=data, format="nt")

    def query(self, sparql: str):
        from graph.sparql import run_query

        return run_query(self.graph, sparql)

    def dump(self, path: str | Path) -> Path:
        from graph.serialize import write_graph

        return write_graph(self.graph, path)

    def close(self) -> None:
        pass

    def __len__(self) -> int:
        return len(self.graph)


# --------------------------------------------------------------------------- Oxigraph


def is_store_dir(path: str | Path) -> bool:
    """True for a directory that holds an Oxigraph (RocksDB) store."""
    path = Path(path)
    return path.is_dir() and (path / "CURRENT").is_file()


def _store_error(err: Exception, path: Path) -> KhabarError:
    text = " ".join(str(err).split())
    if "lock" in text.lower():
        return InputError(
            "the store is in use by another khabar process (its LOCK is held); "
            "wait for it to finish",
            path=path,
        )
    return InputError(f"not a readable Khabar store: {text[:200]}", path=path)


class OxigraphStore:
    """A pyoxigraph store in the directory ``path``, filled by bulk loading.

    ``create=True`` makes a new store in a missing or empty directory (an existing
    store is opened and added to); ``create=False`` wants an existing store.
    ``read_only=True`` opens without taking the store's lock, so several readers
    (and one writer) may share it. Lines given to ``add_lines`` are loaded in
    batches of ``batch_lines``; ``close`` (or ``flush``) loads the rest.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        create: bool = False,
        read_only: bool = False,
        batch_lines: int = 200_000,
    ) -> None:
        import pyoxigraph as ox

        self._ox = ox
        self.path = Path(path)
        self.read_only = read_only
        self.batch_lines = batch_lines
        self._pending: list[str] = []
        if self.path.exists() and not self.path.is_dir():
            raise InputError("not a store directory (it is a file)", path=self.path)
        if not is_store_dir(self.path):
            if not create or read_only:
                why = "no such directory" if not self.path.exists() else "no Oxigraph store in it"
                raise InputError(f"not a Khabar store ({why})", path=self.path)
            if self.path.exists() and any(self.path.iterdir()):
                raise InputError(
                    "not a Khabar store, and not empty: give a new or empty directory",
                    path=self.path,
                )
        try:
            if read_only:
                self.store = ox.Store.read_only(str(self.path))
            else:
                self.store = ox.Store(str(self.path))
        except OSError as err:
            raise _store_error(err, self.path) from err

    def add(self, triples: Iterable[tuple]) -> None:
        self.add_lines(nt_line(t) for t in triples)

    def add_lines(self, lines: Iterable[str]) -> None:
        self._pending.extend(lines)
        if len(self._pending) >= self.batch_lines:
            self.flush()

    def flush(self) -> None:
        """Bulk-load the lines waiting in memory."""
        if not self._pending:
            return
        data = "".join(self._pending).encode("utf-8")
        self._pending = []
        self.store.bulk_load(data, format=self._ox.RdfFormat.N_TRIPLES)

    def remove_article(self, iri: str) -> None:
        """Take out what an earlier build said about the article ``iri``: the article's
        own triples, its statements, and each plain triple no other article's statement
        asserts (entities keep their labels). ``khabar add`` calls it before adding an
        article again, so a changed article replaces its old statements. (Lines still
        waiting to be loaded are not looked at: they are this run's.)

        Quad lookups from the article outward: every pattern is bound, so the cost is
        the article's size, not the store's."""
        ox, store = self._ox, self.store
        node = ox.NamedNode
        subject, predicate, obj = (node(str(t)) for t in (RDF.subject, RDF.predicate, RDF.object))
        negated = node(str(KH.negated))
        article = node(iri)
        claims = set()
        for link in list(store.quads_for_pattern(None, node(str(PROV.wasDerivedFrom)), article)):
            quads = list(store.quads_for_pattern(link.subject, None, None))
            about = {q.predicate: q.object for q in quads}
            s, p, o = (about.get(x) for x in (subject, predicate, obj))
            if negated not in about and isinstance(s, (ox.NamedNode, ox.BlankNode)):
                if isinstance(p, ox.NamedNode) and o is not None:
                    claims.add((s, p, o))
            for quad in quads:
                store.remove(quad)
        for quad in list(store.quads_for_pattern(article, None, None)):
            store.remove(quad)
        for s, p, o in claims:  # a claim another article still makes stays
            backed = store.query(
                f"ASK {{ ?st {subject} {s} ; {predicate} {p} ; {obj} {o} "
                f"FILTER NOT EXISTS {{ ?st {negated} true }} }}"
            )
            if not backed:
                for quad in list(store.quads_for_pattern(s, p, o)):
                    store.remove(quad)

    def load_file(self, path: str | Path) -> None:
        """Bulk-load an N-Triples, N-Quads, Turtle, TriG or JSON-LD file (by suffix)."""
        self.flush()
        try:
            self.store.bulk_load(path=str(path))
        except (SyntaxError, ValueError, OSError) as err:
            raise InputError(f"cannot load: {' '.join(str(err).split())[:200]}", path=path) from err

    def query(self, sparql: str):
        self.flush()
        return query_store(self.store, sparql)

    def dump(self, path: str | Path) -> Path:
        """Write the store as a graph file, the format from the suffix; atomic."""
        from graph.serialize import guess_format

        fmt = {
            "turtle": self._ox.RdfFormat.TURTLE,
            "trig": self._ox.RdfFormat.TRIG,
            "nquads": self._ox.RdfFormat.N_QUADS,
            "nt": self._ox.RdfFormat.N_TRIPLES,
            "json-ld": self._ox.RdfFormat.JSON_LD,
        }[guess_format(path)]
        self.flush()
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
        try:
            options: dict[str, Any] = (
                {"prefixes": PREFIXES} if fmt in (fmt.TURTLE, fmt.TRIG) else {}
            )
            if fmt.supports_datasets:
                self.store.dump(tmp, format=fmt, **options)
            else:
                self.store.dump(tmp, format=fmt, from_graph=self._ox.DefaultGraph(), **options)
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return path

    def to_rdflib(self) -> rdflib.Graph:
        """The whole store as an rdflib graph (for networkx and the explorer)."""
        self.flush()
        g = rdflib.Graph()
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns)
        g.addN(
            (_rdflib_term(q.subject), _rdflib_term(q.predicate), _rdflib_term(q.object), g)
            for q in self.store.quads_for_pattern(None, None, None)
        )
        return g

    def close(self) -> None:
        self.flush()
        if not self.read_only:
            self.store.flush()
        del self.store

    def __len__(self) -> int:
        self.flush()
        return len(self.store)

    def __enter__(self) -> OxigraphStore:
        return self

    def __exit__(self, *exc) -> None:
        if exc[0] is None:
            self.close()
        else:
            self._pending = []
            del self.store


class TemporaryOxigraphStore(OxigraphStore):
    """An Oxigraph store in a temporary directory, removed on ``close``."""

    def __init__(self, **options) -> None:
        self._tmp = tempfile.mkdtemp(prefix="khabar-store-")
        super().__init__(Path(self._tmp) / "store", create=True, **options)

    def close(self) -> None:
        self._pending = []
        if hasattr(self, "store"):
            del self.store
        shutil.rmtree(self._tmp, ignore_errors=True)

    def __exit__(self, *exc) -> None:
        self.close()


def _rdflib_term(term):
    cls = type(term).__name__
    if cls == "NamedNode":
        return URIRef(term.value)
    if cls == "BlankNode":
        return BNode(term.value)
    if cls == "Literal":
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype in (_XSD_STRING, _LANG_STRING):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    if term is None:
        return None
    raise KhabarError(f"unsupported RDF term from Oxigraph: {term!r}")


def query_store(store, text: str):
    """Answer a read-only SPARQL query with Oxigraph, as an rdflib ``Result``.

    The same prefixes are predeclared as for a graph file, and a query Oxigraph
    cannot parse (an update too) is checked by rdflib to give the same one-line
    error as a query over a graph file. Oxigraph answers over the union of graphs.
    """
    from rdflib.query import Result
    from rdflib.term import Identifier, Variable

    from graph.sparql import PREFIXES as QUERY_PREFIXES
    from graph.sparql import run_query

    try:
        answer = store.query(text, prefixes=QUERY_PREFIXES, use_default_graph_as_union=True)
    except SyntaxError as err:
        run_query(rdflib.Graph(), text)  # raises rdflib's one-line QueryError
        raise QueryError(f"SPARQL error: {' '.join(str(err).split())[:200]}") from err
    except (ValueError, OSError, RuntimeError) as err:
        raise QueryError(f"SPARQL evaluation failed: {' '.join(str(err).split())[:200]}") from err
    kind = type(answer).__name__
    try:
        if kind == "QueryBoolean":
            result = Result("ASK")
            result.askAnswer = bool(answer)
        elif kind == "QuerySolutions":
            result = Result("SELECT")
            names = [v.value for v in answer.variables]
            if _SELECT_STAR.search(text):
                names = _by_appearance(names, text)
            result.vars = [Variable(n) for n in names]
            rows: list[Mapping[Variable, Identifier]] = []
            for solution in answer:
                row: dict[Variable, Identifier] = {}
                for name, var in zip(names, result.vars, strict=True):
                    term = solution[name]
                    if term is not None:
                        row[var] = _rdflib_term(term)
                rows.append(row)
            result.bindings = rows
        else:
            result = Result("CONSTRUCT")
            g = rdflib.Graph()
            for prefix, ns in QUERY_PREFIXES.items():
                g.bind(prefix, ns)
            for t in answer:
                g.add((_rdflib_term(t.subject), _rdflib_term(t.predicate), _rdflib_term(t.object)))
            result.graph = g
    except (ValueError, OSError, RuntimeError) as err:
        raise QueryError(f"SPARQL evaluation failed: {' '.join(str(err).split())[:200]}") from err
    return result


_SELECT_STAR = re.compile(r"\bSELECT\s+(?:DISTINCT\s+|REDUCED\s+)?\*", re.IGNORECASE)


def _by_appearance(names: list[str], text: str) -> list[str]:
    """``SELECT *`` variables in the order they first appear, as rdflib lists them."""
    first: dict[str, int] = {}
    for match in re.finditer(r"[?$]([\w\u00b7]+)", text):
        first.setdefault(match.group(1), match.start())
    return sorted(names, key=lambda name: first.get(name, len(text)))


def load_graph(path: str | Path) -> rdflib.Graph:
    """An rdflib graph from a graph file or from a store directory."""
    path = Path(path)
    if path.is_dir():
        store = OxigraphStore(path, read_only=True)
        try:
            return store.to_rdflib()
        finally:
            store.close()
    from graph.serialize import read_graph

    return read_graph(path)


STORES = {"memory": RdflibStore}


def open_store(name: str | Path = "memory", **options) -> Store:
    """A store: ``"memory"`` (rdflib) or a directory (Oxigraph, made when missing).

    >>> open_store("bogus.ttl")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    extractors.errors.InputError: bogus.ttl: not a store directory...
    """
    if name in STORES:
        return STORES[name]()
    path = Path(name)
    if path.suffix and not path.is_dir():
        raise InputError(
            f"not a store directory; a store is a folder (memory is {', '.join(STORES)})",
            path=path,
        )
    return OxigraphStore(path, create=True, **options)


class NTriplesWriter:
    """Write N-Triples (or N-Quads) lines to ``path`` as they come, through a temporary file.

    The file appears under its name only on ``close``; ``abort`` (or an error
    inside a ``with`` block) removes the temporary file and leaves whatever was at
    ``path`` before. Repeated lines about entities (types, labels, the plain
    triples between them) are written once: they are bounded by the number of
    entities, while lines about articles and statements are only compared within
    one call of ``add_lines`` (one article).
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, self._tmp = tempfile.mkstemp(
            prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent
        )
        self._fh = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        self._seen: set[int] = set()
        self._entity = f"<{ENT}"
        self.lines = 0

    def add(self, triples: Iterable[tuple]) -> None:
        self.add_lines(nt_line(t) for t in triples)

    def add_lines(self, lines: Iterable[str]) -> None:
        local: set[str] = set()
        out = []
        for line in lines:
            if line.startswith(self._entity):
                key = hash(line)
                if key in self._seen:
                    continue
                self._seen.add(key)
            elif line in local:
                continue
            else:
                local.add(line)
            out.append(line)
        self._fh.write("".join(out))
        self.lines += len(out)

    def close(self) -> Path:
        self._fh.close()
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(self._tmp, 0o666 & ~umask)
        os.replace(self._tmp, self.path)
        return self.path

    def abort(self) -> None:
        self._fh.close()
        Path(self._tmp).unlink(missing_ok=True)

    def __len__(self) -> int:
        return self.lines
