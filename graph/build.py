"""Statements -> RDF, as a stream: articles in, triples out to a store or a file.

Articles are read, extracted and written one at a time (or in chunks by worker
processes, :mod:`graph.workers`), so memory holds the entities seen and the
current batch, not the corpus. Entities are merged by IRI; every statement is
reified with its evidence, under an IRI that hashes its article, offsets and
triple, so building an article twice gives the same triples.

>>> from extractors import get_extractor
>>> from extractors.types import Article
>>> art = Article("a1", "التقى وزير الخارجية التركي بنظيره الإيراني. ودعمت روسيا القوات السورية.")
>>> result = build_graph([art], get_extractor("lexicon"))
>>> result.articles, result.statements
(1, 1)
"""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from rdflib import RDF, RDFS, XSD, Literal
from rdflib.namespace import DCTERMS, PROV, SKOS

from extractors.errors import InputError, KhabarError
from extractors.types import Article, Entity, Statement
from ontology import KH

from .iris import article_iri, entity_iri, statement_iri
from .store import Sink, open_store

__all__ = [
    "BuildResult",
    "ExtractorSpec",
    "ArticleGraph",
    "build_graph",
    "build_files",
    "article_graph",
    "add_article",
    "add_statement",
]


@dataclass
class BuildResult:
    store: Sink
    articles: int = 0
    statements: int = 0
    entity_ids: set[str] = field(default_factory=set)
    failed: int = 0

    @property
    def graph(self):
        """The rdflib graph of an in-memory build."""
        return self.store.graph

    @property
    def entities(self) -> int:
        return len(self.entity_ids)


class Extractor(Protocol):
    """What a build asks of an extractor."""

    def extract(self, article: Article) -> list[Statement]: ...


@dataclass(frozen=True)
class ExtractorSpec:
    """An extractor by name and options: what a worker process needs to make its own."""

    name: str
    options: tuple[tuple[str, object], ...] = ()

    @classmethod
    def of(cls, name: str, **options) -> ExtractorSpec:
        return cls(name, tuple(sorted(options.items())))

    def create(self, on_warning: Callable[[str], None] | None = None) -> Extractor:
        """Make the extractor; its warnings go to ``on_warning`` (else they are shown)."""
        from extractors import get_extractor

        if on_warning is None:
            return get_extractor(self.name, **dict(self.options))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            extractor = get_extractor(self.name, **dict(self.options))
        for warning in caught:
            on_warning(str(warning.message))
        return extractor


@dataclass
class ArticleGraph:
    """One article's share of the graph: its triples and what they count."""

    article_id: str
    triples: list  # (s, p, o) tuples; a worker sends them as N-Triples lines (str)
    statements: int
    entity_ids: set[str]


def article_graph(article: Article, stmts: Iterable[Statement], min_confidence=0.0) -> ArticleGraph:
    """The triples of one article and of its statements above ``min_confidence``."""
    triples = add_article(article)
    count = 0
    entity_ids: set[str] = set()
    for stmt in stmts:
        if stmt.confidence < min_confidence:
            continue
        triples.extend(add_statement(stmt))
        count += 1
        entity_ids.update(e.id for e in stmt.entities)
    return ArticleGraph(article.id, triples, count, entity_ids)


def _extract_serial(articles, extractor, min_confidence, on_error):
    for article in articles:
        try:
            stmts = extractor.extract(article)
        except KhabarError as err:
            if on_error is None:
                raise
            yield str(err)
            continue
        yield article_graph(article, stmts, min_confidence)


def build_graph(
    articles: Iterable[Article],
    extractor,
    *,
    store: Sink | None = None,
    min_confidence: float = 0.0,
    on_error: Callable[[str], None] | None = None,
    workers: int = 1,
    chunk_size: int = 8,
    on_warning: Callable[[str], None] | None = None,
) -> BuildResult:
    """Run ``extractor`` over ``articles`` and add everything to ``store`` as it comes.

    ``extractor`` is an extractor, or an :class:`ExtractorSpec` (needed for
    ``workers`` > 1: each worker process makes its own). With workers, chunks of
    ``chunk_size`` articles are extracted in parallel and written in input order,
    so the graph is the one a single process builds. An article the extractor
    fails on is reported through ``on_error`` and skipped. ``store`` defaults to
    an in-memory rdflib graph.
    """
    result = BuildResult(store if store is not None else open_store("memory"))
    if workers > 1:
        if not isinstance(extractor, ExtractorSpec):
            raise KhabarError("--workers needs the extractor by name (an ExtractorSpec)")
        from .workers import extract_parallel

        outputs = extract_parallel(
            articles,
            extractor,
            workers=workers,
            chunk_size=chunk_size,
            min_confidence=min_confidence,
            on_warning=on_warning,
        )
    else:
        if isinstance(extractor, ExtractorSpec):
            extractor = extractor.create(on_warning)
        outputs = _extract_serial(articles, extractor, min_confidence, on_error)
    for out in outputs:
        if isinstance(out, str):
            if on_error is None:
                raise KhabarError(out)
            on_error(out)
            result.failed += 1
            continue
        if isinstance(out.triples[0], str):
            result.store.add_lines(out.triples)
        else:
            result.store.add(out.triples)
        result.articles += 1
        result.statements += out.statements
        result.entity_ids.update(out.entity_ids)
    return result


def build_files(
    inputs: Iterable[str | Path],
    extractor: ExtractorSpec,
    *,
    output: str | Path | None = None,
    store: str | Path | None = None,
    new_store: bool = True,
    workers: int = 1,
    min_confidence: float = 0.0,
    on_error: Callable[[str], None] | None = None,
    on_warning: Callable[[str], None] | None = None,
    dask=None,
    parts: str | Path | None = None,
) -> BuildResult:
    """Build the articles of ``inputs`` into a graph file, a store directory, or both.

    N-Triples and N-Quads files are written line by line as articles come; Turtle,
    TriG and JSON-LD are written from an Oxigraph store (``store``, else a
    temporary one) at the end. A file appears only when the build succeeded; a
    failed build leaves what was there before. ``dask`` (a scheduler address or a
    cluster) extracts on Dask instead of here (:mod:`graph.dask_build`), through
    N-Quads files in ``parts``. ``new_store=False`` wants
    ``store`` to be an existing store (``khabar add``). Raises InputError when no
    article could be read.
    """
    from extractors import read_articles

    from .serialize import guess_format
    from .store import NTriplesWriter, OxigraphStore, TemporaryOxigraphStore

    if output is None and store is None:
        raise InputError("give a graph file to write (-o FILE), a store (--store DIR), or both")
    fmt = guess_format(output) if output is not None else None  # fail before reading
    problems: list[str] = []

    def problem(message: str) -> None:
        problems.append(message)
        if on_error is not None:
            on_error(message)

    made = store is not None and not Path(store).exists()
    articles = read_articles(inputs, on_error=problem)
    sink: OxigraphStore | NTriplesWriter
    if store is not None:
        sink = OxigraphStore(store, create=new_store)
        if not new_store:  # khabar add: an article given again replaces what it said
            articles = _replacing(articles, sink)
    elif output is not None and fmt in ("nt", "nquads") and dask is None:
        sink = NTriplesWriter(output)
    else:
        sink = TemporaryOxigraphStore()
    try:
        if dask is not None:
            from .dask_build import build_on_dask

            assert isinstance(sink, OxigraphStore)  # NTriplesWriter is only without dask
            result = build_on_dask(
                articles,
                extractor,
                sink,
                address=dask,
                parts=parts,
                min_confidence=min_confidence,
                on_error=problem,
                on_warning=on_warning,
            )
        else:
            result = build_graph(
                articles,
                extractor,
                store=sink,
                min_confidence=min_confidence,
                on_error=problem,
                workers=workers,
                on_warning=on_warning,
            )
        if result.articles == 0:
            raise InputError(
                f"no article could be read from {', '.join(map(str, inputs))}"
                + (f" ({problems[0]})" if problems else "")
            )
        if isinstance(sink, NTriplesWriter):
            sink.close()
        else:
            if output is not None:
                sink.dump(output)
            sink.close()
    except BaseException:
        if isinstance(sink, NTriplesWriter):
            sink.abort()
        else:
            sink.close()
        if made and store is not None:
            shutil.rmtree(store, ignore_errors=True)  # a store this failed build began
        raise
    return result


def _replacing(articles: Iterable[Article], store) -> Iterator[Article]:
    """The articles, each one's earlier statements taken out of ``store`` as it passes
    (before its new ones are written: they are written in input order)."""
    for article in articles:
        store.remove_article(str(article_iri(article.id)))
        yield article


def add_article(article: Article) -> list[tuple]:
    """Triples describing one article."""
    node = article_iri(article.id)
    triples = [(node, RDF.type, KH.Article), (node, DCTERMS.identifier, Literal(article.id))]
    if article.title:
        triples.append((node, DCTERMS.title, Literal(article.title, lang="ar")))
    if article.date:
        triples.append((node, DCTERMS.date, Literal(article.date.isoformat(), datatype=XSD.date)))
    if article.source:
        triples.append((node, DCTERMS.source, Literal(article.source)))
    if article.url:
        triples.append((node, DCTERMS.source, Literal(article.url, datatype=XSD.anyURI)))
    return triples


def entity_triples(ent: Entity) -> list[tuple]:
    """Type and labels of one entity; alternative labels are the names seen in text."""
    node = entity_iri(ent.id)
    triples: list[tuple] = [(node, RDF.type, KH[ent.type])]
    if ent.label_ar:
        triples.append((node, RDFS.label, Literal(ent.label_ar, lang="ar")))
    if ent.label_en:
        triples.append((node, RDFS.label, Literal(ent.label_en, lang="en")))
    for alt in ent.alt_labels:
        if alt and alt not in (ent.label_ar, ent.label_en):
            lang = "ar" if any("\u0600" <= ch <= "\u06ff" for ch in alt) else "en"
            triples.append((node, SKOS.altLabel, Literal(alt, lang=lang)))
    return triples


def add_statement(stmt: Statement) -> list[tuple]:
    """The reified statement, its provenance, and the plain triple when not negated."""
    node = statement_iri(stmt)
    subj, obj = entity_iri(stmt.subject), entity_iri(stmt.object)
    pred = KH[stmt.predicate]
    triples = [
        (node, RDF.type, RDF.Statement),
        (node, RDF.subject, subj),
        (node, RDF.predicate, pred),
        (node, RDF.object, obj),
        (node, PROV.wasDerivedFrom, article_iri(stmt.article_id)),
        (node, KH.evidence, Literal(stmt.evidence, lang="ar")),
        (node, KH.charStart, Literal(stmt.start)),
        (node, KH.charEnd, Literal(stmt.end)),
        (node, KH.confidence, Literal(_decimal(stmt.confidence), datatype=XSD.decimal)),
        (node, KH.extractor, Literal(stmt.extractor)),
    ]
    if stmt.trigger:
        triples.append((node, KH.trigger, Literal(stmt.trigger, lang="ar")))
    if stmt.negated:
        triples.append((node, KH.negated, Literal(True)))
    else:
        triples.append((subj, pred, obj))
    if stmt.modality:
        triples.append((node, KH.modality, KH[stmt.modality]))
    if stmt.date:
        triples.append((node, DCTERMS.date, Literal(stmt.date.isoformat(), datatype=XSD.date)))
    if stmt.attributed_to:
        triples.append((node, KH.attributedTo, entity_iri(stmt.attributed_to)))
    for ent in stmt.entities:
        triples.extend(entity_triples(ent))
    return triples


def _decimal(value: float) -> str:
    """Two decimals in canonical form, as Oxigraph keeps them: 0.8, not 0.80.

    >>> _decimal(0.8), _decimal(1.0), _decimal(0.853)
    ('0.8', '1', '0.85')
    """
    return f"{value:.2f}".rstrip("0").rstrip(".")
