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
'person/mulud-tashawush-ughlu-97d006'
>>> class_of_id("person/mulud-tashawush-ughlu-97d006")
'Person'
"""

from __future__ import annotations

import functools
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
# Simplified ALA-LC / DIN 31635 without diacritics: ث th, ح h, خ kh, ذ dh, ش sh, ص s,
# ض d, ط t, ظ z, غ gh; ع and hamza are not written. Short vowels are not in the
# script: ا و ي are read as long vowels or as consonants by where they stand.
_CONSONANTS = {
    "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh",
    "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z",
    "ع": "", "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n",
    "ه": "h", "ء": "", "ئ": "", "ؤ": "", "پ": "p", "چ": "ch", "ژ": "zh", "ڤ": "v", "گ": "g",
}  # fmt: skip
_VOWELS = {"ا": "a", "و": "u", "ي": "i", "ى": "a", "ة": "a"}
# Words whose vowels the rules cannot guess and that names are made of again and again.
_WORDS = {
    "الله": "allah",
    "لله": "llah",
    "عبدالله": "abdallah",
    "محمد": "muhammad",
    "احمد": "ahmad",
    "ابن": "ibn",
    "بن": "bin",
}


def _letters(word: str) -> list[tuple[str, bool]]:
    """Each letter of a word as (Latin, is a consonant)."""
    out: list[tuple[str, bool]] = []
    n = len(word)
    for i, ch in enumerate(word):
        prev, nxt = word[i - 1] if i else "", word[i + 1] if i + 1 < n else ""
        if ch in "وي":
            glide = "w" if ch == "و" else "y"
            if i == 1 and prev == "ا" and nxt != "ا":  # «أوغلو», «إيران»: alif carries the vowel
                out[-1] = ("u" if ch == "و" else "i", False)
            # a consonant first in a word, after a long a, doubled, or before a long a
            elif i == 0 or prev == "ا" or nxt == "ا" or prev == ch and out and not out[-1][1]:
                out.append((glide, True))
            else:
                out.append((_VOWELS[ch], False))
        elif ch == "ا":
            out.append(("a", False))
        elif ch in "ةى":
            out.append((_VOWELS[ch], False))
        elif ch == "ه" and i == n - 1 and i > 0:  # ة folded to ه by normalize: «حماه»
            out.append(("h", True) if prev == "ا" else ("a", False))
        elif ch in _CONSONANTS:
            out.append((_CONSONANTS[ch], True))
        else:
            out.append((ch, False))  # digits, Latin letters
    return out


@functools.lru_cache(maxsize=65536)
def _romanize_word(word: str) -> str:
    if word in _WORDS:
        return _WORDS[word]
    if word.startswith("ال") and len(word) > 3:
        rest = _romanize_word(word[2:])
        return f"al-{rest}" if rest else "al"
    letters = _letters(word)
    # no Arabic syllable begins with two consonants: a short vowel, most often a, follows
    if len(letters) > 1 and letters[0][1] and letters[1][1]:
        letters.insert(1, ("a", False))
    return "".join(latin for latin, _consonant in letters)


def romanize(text: str) -> str:
    """Arabic in Latin letters for readable IRIs: a simplified ALA-LC / DIN 31635 without
    diacritics. The spelling is normalized first, so one name always reads one way.

    >>> romanize("مولود تشاووش أوغلو")
    'mulud-tashawush-ughlu'
    >>> romanize("وليد المعلم")
    'walid-al-malm'
    >>> romanize("عبد الفتاح السيسي")
    'abd-al-fatah-al-sisi'
    >>> romanize("حركة أحرار الشام")
    'harka-ahrar-al-sham'
    >>> romanize("إيران"), romanize("سوريا"), romanize("بيروت"), romanize("داوود")
    ('iran', 'surya', 'birut', 'dawud')
    >>> romanize("محمد بن سلمان")
    'muhammad-bin-salman'
    >>> romanize("ISIS 2")
    'isis-2'
    """
    return slugify(" ".join(_romanize_word(w) for w in normalize(text).split()))


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
    'org/harka-ahrar-al-sham-6d3ae2'
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
            label = max(surface.get(eid) or {""}, key=len)
            ent = Entity(eid, class_of_id(eid) or "Person", label_ar=label)
        seen = tuple(sorted(surface.get(eid, ())))
        ents.append(replace(ent, alt_labels=tuple(dict.fromkeys(ent.alt_labels + seen))))
    return replace(stmt, entities=tuple(ents))
