"""Entities found in text: minting their ids, their classes, attaching them to statements.

Both extractors (``lexicon``, ``dependency``) and the trained one share this:

* ``mint_id``: a name the gazetteer lacks gets ``<folder>/<romanized name>-<hash>``,
  the folder named after its class (``FOLDER_OF``), the romanization readable
  (``romanize``), the hash (of the normalized name) keeping two names apart;
* ``class_of_id`` / ``entity_type``: an entity's class, from the gazetteer, the
  entities of the article, or a minted id's folder;
* ``types_ok``: may a relation hold between entities of these classes;
* ``dedupe``: one statement per (subject, relation, object, polarity, sentence);
* ``attach_entities``: a statement with its entities and the names they were written as.

>>> mint_id("Person", "مولود تشاووش اوغلو")
'person/mwlwd-tshawwsh-awghlw-97d006'
>>> class_of_id("person/mwlwd-tshawwsh-awghlw-97d006")
'Person'
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace

from .gazetteer import slugify
from .normalize import normalize
from .types import Entity, Statement

__all__ = [
    "CLASS_OF_FOLDER",
    "FOLDER_OF",
    "NER_CLASSES",
    "romanize",
    "short_hash",
    "mint_id",
    "class_of_id",
    "entity_type",
    "types_ok",
    "statement_key",
    "dedupe",
    "attach_entities",
]

CLASS_OF_FOLDER = {
    "person": "Person",
    "org": "Organization",
    "armed": "ArmedGroup",
    "group": "Group",
    "place": "Place",
}
"""Minted ids live under a folder named after their class."""
FOLDER_OF = {cls: folder for folder, cls in CLASS_OF_FOLDER.items()}

NER_CLASSES = {"PER": "Person", "ORG": "Organization", "LOC": "Place"}
"""The NER model's labels that name an entity, and the class each gives (MISC names none)."""

# --- romanization -------------------------------------------------------------------
_ROMAN = dict(
    zip(
        "ابتثجحخدذرزسشصضطظعغفقكلمنهويءئؤة",
        ["a", "b", "t", "th", "j", "h", "kh", "d", "dh", "r", "z", "s", "sh", "s", "d", "t", "z",
         "", "gh", "f", "q", "k", "l", "m", "n", "h", "w", "y", "", "", "", "a"],
        strict=True,
    )
)  # fmt: skip


def romanize(text: str) -> str:
    """A rough ASCII transcription of normalized Arabic, for readable IRIs.

    >>> romanize("وليد المعلم")
    'wlyd-almlm'
    """
    return slugify("".join(_ROMAN.get(ch, ch) for ch in normalize(text)))


def short_hash(text: str) -> str:
    """Six hex digits of the sha1 of a name: minted ids of two names never collide in practice.

    >>> short_hash("وليد المعلم")
    '1b116f'
    """
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:6]


def mint_id(cls: str, name: str) -> str:
    """The id of a name the gazetteer lacks: deterministic, readable, under its class's folder.

    ``name`` is the normalized name (its words joined by a space); the hash is of it.

    >>> mint_id("Organization", "حركه احرار الشام")
    'org/hrkh-ahrar-alsham-6d3ae2'
    """
    return f"{FOLDER_OF[cls]}/{romanize(name) or 'x'}-{short_hash(name)}"


def class_of_id(eid: str) -> str:
    """The class a minted id's folder names ("" for a gazetteer id).

    >>> class_of_id("place/marie-1a2b3c"), class_of_id("turkey")
    ('Place', '')
    """
    return CLASS_OF_FOLDER.get(eid.split("/", 1)[0], "")


def entity_type(eid: str, *known: Mapping[str, Entity]) -> str:
    """The class of an entity: from the first of ``known`` (gazetteer, article) that has it,
    else from a minted id's folder."""
    for table in known:
        ent = table.get(eid)
        if ent is not None:
            return ent.type
    return class_of_id(eid)


def types_ok(rel, subject_type: str, object_type: str) -> bool:
    """May relation ``rel`` (a ``triggers.Relation``) hold between entities of these classes?

    A place does nothing; a relation that names its object classes takes only those;
    any other takes an actor, or a place when it is violence («قصفت روسيا حلب»).
    """
    if subject_type == "Place":
        return False
    if rel.object_classes:
        return object_type in rel.object_classes
    return object_type != "Place" or rel.family == "violence"


def statement_key(stmt: Statement, relations: Mapping) -> tuple:
    """What makes two statements one: the same triple (either way round for a symmetric
    relation), polarity and sentence."""
    s, o = stmt.subject, stmt.object
    if relations[stmt.predicate].symmetric and o < s:
        s, o = o, s
    return (s, stmt.predicate, o, stmt.negated, stmt.start)


def dedupe(stmts: Iterable[Statement], relations: Mapping) -> list[Statement]:
    """One statement per ``statement_key``, the most confident (the first of equals),
    in the order the keys were first seen."""
    best: dict[tuple, Statement] = {}
    for stmt in stmts:
        key = statement_key(stmt, relations)
        if key not in best or best[key].confidence < stmt.confidence:
            best[key] = stmt
    return list(best.values())


def attach_entities(
    stmt: Statement,
    find: Callable[[str], Entity | None],
    surface: Mapping[str, Iterable[str]],
) -> Statement:
    """``stmt`` with the entities of its subject, object and speaker, each with the names it
    was written as in the article (``surface``) among its alternative labels.

    ``find`` gives an entity by id (gazetteer, then article); an id it does not know is
    a name read in the article: a new entity of its folder's class (a person by default)
    labelled with its longest written form.
    """
    ids = [stmt.subject, stmt.object] + ([stmt.attributed_to] if stmt.attributed_to else [])
    ents = []
    for eid in ids:
        ent = find(eid)
        if ent is None:
            label = max(surface.get(eid, None) or {""}, key=len)
            ent = Entity(eid, class_of_id(eid) or "Person", label_ar=label)
        seen = tuple(sorted(surface.get(eid, ())))
        ents.append(replace(ent, alt_labels=tuple(dict.fromkeys(ent.alt_labels + seen))))
    return replace(stmt, entities=tuple(ents))
