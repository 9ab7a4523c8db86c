"""Statements -> RDF: articles, entities merged by IRI, reified statements with evidence.

>>> from extractors import get_extractor
>>> from extractors.types import Article
>>> art = Article("a1", "التقى وزير الخارجية التركي بنظيره الإيراني. ودعمت روسيا القوات الحكومية.")
>>> result = build_graph([art], get_extractor("lexicon"))
>>> result.articles, result.statements
(1, 1)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from rdflib import RDF, RDFS, XSD, Literal
from rdflib.namespace import DCTERMS, PROV, SKOS

from extractors.errors import KhabarError
from extractors.types import Article, Entity, Statement
from ontology import KH

from .iris import article_iri, entity_iri, statement_iri
from .store import Store, open_store

__all__ = ["BuildResult", "build_graph", "add_article", "add_statement"]


@dataclass
class BuildResult:
    store: Store
    articles: int = 0
    statements: int = 0
    entity_ids: set[str] = field(default_factory=set)
    failed: int = 0

    @property
    def graph(self):
        return self.store.graph

    @property
    def entities(self) -> int:
        return len(self.entity_ids)


def build_graph(
    articles: Iterable[Article],
    extractor,
    *,
    store: Store | None = None,
    min_confidence: float = 0.0,
    on_error: Callable[[str], None] | None = None,
) -> BuildResult:
    """Run ``extractor`` over ``articles`` and add everything to ``store``.

    An article the extractor fails on is reported through ``on_error`` and skipped.
    """
    result = BuildResult(store or open_store("memory"))
    for article in articles:
        try:
            stmts = extractor.extract(article)
        except KhabarError as err:
            if on_error is None:
                raise
            on_error(str(err))
            result.failed += 1
            continue
        result.store.add(add_article(article))
        result.articles += 1
        for stmt in stmts:
            if stmt.confidence < min_confidence:
                continue
            result.store.add(add_statement(stmt))
            result.statements += 1
            result.entity_ids.update(e.id for e in stmt.entities)
    return result


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
    triples = [(node, RDF.type, KH[ent.type])]
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
        (node, KH.confidence, Literal(f"{stmt.confidence:.2f}", datatype=XSD.decimal)),
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
