"""Deterministic IRIs: the same actor, article or statement gets the same IRI in every run.

>>> str(entity_iri("united-states"))
'https://w3id.org/khabar/id/united-states'
>>> str(article_iri("تقرير 1"))
'https://w3id.org/khabar/article/%D8%AA%D9%82%D8%B1%D9%8A%D8%B1%201'
"""

from __future__ import annotations

import hashlib
from urllib.parse import quote

from rdflib import URIRef

from extractors.types import Statement
from ontology import ART, ENT, STMT

__all__ = ["entity_iri", "article_iri", "statement_iri"]


def entity_iri(entity_id: str) -> URIRef:
    """The IRI of a gazetteer or minted entity id (percent-encoded, never raw spaces)."""
    return ENT[quote(entity_id, safe="/-_.~")]


def article_iri(article_id: str) -> URIRef:
    """The IRI of an article, from its identifier."""
    return ART[quote(article_id, safe="-_.~")]


def statement_iri(stmt: Statement) -> URIRef:
    """The IRI of a statement: a hash of its article, offsets, triple and polarity."""
    key = "\x1f".join(
        [
            stmt.article_id,
            str(stmt.start),
            str(stmt.end),
            stmt.subject,
            stmt.predicate,
            stmt.object,
            str(stmt.negated),
        ]
    )
    return STMT[hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]]
