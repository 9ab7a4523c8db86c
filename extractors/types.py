"""The plain data that flows through Khabar: articles, sentences, tokens, mentions, statements.

Offsets are half-open code-point spans into the original ``Article.text``:
``article.text[start:end]`` is always the text of the span.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

__all__ = ["Article", "Sentence", "Token", "Mention", "Statement", "Entity"]


@dataclass(frozen=True, slots=True)
class Article:
    """One news article as read, its text never altered."""

    id: str
    text: str
    title: str = ""
    date: dt.date | None = None
    url: str | None = None
    source: str | None = None
    path: str | None = None  # where it was read from, for error messages


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str  # article.text[start:end]
    norm: str  # normalized form, for matching only


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str  # article.text[start:end]
    tokens: tuple[Token, ...] = ()


@dataclass(frozen=True, slots=True)
class Entity:
    """An actor or place: an IRI-ready id, a class and its names."""

    id: str  # local name under the ENT namespace, e.g. "united-states" or "person/wlyd-almelm-3f2a"
    type: str  # local name of the ontology class, e.g. "Country"
    label_ar: str = ""
    label_en: str = ""
    alt_labels: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Mention:
    start: int  # into Article.text, inclusive
    end: int  # exclusive: article.text[start:end] == text
    text: str
    entity: str  # Entity.id
    first: int = 0  # index of the first token in the sentence
    last: int = 0  # index of the last token in the sentence (inclusive)
    hidden: bool = False  # matched through a form that is not a name (an adjective)


@dataclass(frozen=True, slots=True)
class Statement:
    """One relation between two entities, with the sentence that proves it."""

    subject: str  # Entity.id
    predicate: str  # relation local name, e.g. "negotiatesWith"
    object: str  # Entity.id
    article_id: str
    start: int  # the evidence sentence, into Article.text
    end: int
    evidence: str  # article.text[start:end]
    confidence: float
    negated: bool = False
    modality: str | None = None  # "Asserted", "Reported", "Planned", "Hypothetical"
    attributed_to: str | None = None  # Entity.id of the speaker or outlet
    trigger: str = ""
    extractor: str = "lexicon"
    date: dt.date | None = None  # the event's date when the sentence gives one, else the article's
    entities: tuple[Entity, ...] = field(default=(), compare=False)
