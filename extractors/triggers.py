"""Relation triggers and cue words, read from ``ontology/relations.ttl``.

>>> lex = load_triggers()
>>> found = lex.match(split_sentences("وانسحابه من المدينة")[0].tokens, 0)
>>> found = lex.match(split_sentences("وانسحابه من المدينة")[0].tokens, 0)
>>> [(t.relation, t.kind) for t in found.triggers], found.suffix
([('withdrawsFrom', 'noun')], True)
>>> lex.relations["negotiatesWith"].symmetric
True
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, cast

from rdflib import RDF
from rdflib.namespace import OWL

from ontology import KH, load_ontology

from .normalize import DIACRITICS, normalize, strip_clitics
from .sentences import split_sentences  # noqa: F401  (used by the doctest)
from .types import Token

__all__ = ["Relation", "Trigger", "TriggerLexicon", "load_triggers"]

_SUFFIXES = ("هما", "هم", "ها", "ه", "كم", "نا", "هن")


@dataclass(frozen=True)
class Relation:
    name: str
    symmetric: bool = False
    family: str = ""
    markers: tuple[str, ...] = ()  # normalized object prepositions
    object_classes: tuple[str, ...] = ()  # empty: any actor
    becomes: tuple[tuple[tuple[str, ...], str], ...] = ()  # (marker tokens, relation)
    needs_marker: bool = False  # the object always comes after a preposition


@dataclass(frozen=True)
class Trigger:
    relation: str
    kind: str  # "active" (a verb), "noun", "participle", "passive" or "title"
    form: str


class Match(NamedTuple):
    last: int  # index of the trigger's last token
    suffix: bool  # the word carries a pronoun suffix («قصفته», «انسحابه»)
    triggers: list[Trigger]
    definite: bool  # the word carries the article ال: a noun («الدعم»)
    future: bool = False  # the verb carries the future prefix س («سيشاركون»)


@dataclass
class TriggerLexicon:
    relations: dict[str, Relation] = field(default_factory=dict)
    forms: dict[tuple[str, ...], list[Trigger]] = field(default_factory=lambda: defaultdict(list))
    cues: dict[str, set[tuple[str, ...]]] = field(default_factory=lambda: defaultdict(set))
    max_len: int = 1
    _cue_tables: dict = field(default_factory=dict, repr=False)
    _indexes: dict = field(default_factory=dict, repr=False)
    # answers for the sentences asked about lately: (id(tokens), table) -> (tokens, answers)
    _sentences: dict = field(default_factory=dict, repr=False)

    def add(self, form: str, trig: Trigger) -> None:
        key = tuple(normalize(form).split())
        if key and trig not in self.forms[key]:
            self.forms[key].append(trig)
            self.max_len = max(self.max_len, len(key))
            self._sentences.clear()

    def match(self, tokens: Sequence[Token], i: int, table: dict | None = None) -> Match | None:
        """The longest trigger starting at token ``i``."""
        if table is None and i >= 0:
            answers = self._sentence_answers(tokens, None)
            if answers is not None:
                return answers[i]
        return self._match(tokens, i, self.forms if table is None else table)

    def cue_at(self, tokens: Sequence[Token], i: int, cue: str) -> int | None:
        """If a cue of set ``cue`` starts at token ``i``, the index of its last token."""
        answers = self._sentence_answers(tokens, cue) if i >= 0 else None
        if answers is not None:
            return answers[i]
        return _cue_end(self._match(tokens, i, self._cue_table(cue)))

    def matches(self, tokens: tuple[Token, ...]) -> list[Match | None]:
        """``match`` at every token of a sentence (one pass, kept like ``match``'s)."""
        return cast("list[Match | None]", self._sentence_answers(tuple(tokens), None))

    def cue_ends(self, tokens: tuple[Token, ...], cue: str) -> list[int | None]:
        """``cue_at`` at every token of a sentence (one pass, kept like ``cue_at``'s)."""
        return cast("list[int | None]", self._sentence_answers(tuple(tokens), cue))

    def _sentence_answers(self, tokens: Sequence[Token], cue: str | None) -> list | None:
        """``match`` (cue None) or ``cue_at`` at every token of a sentence, in one pass.

        The extractor asks about each token many times (names, titles, clauses, cues),
        so a sentence's answers are kept for the last ``_SENTENCES_KEPT`` sentences.
        None when ``tokens`` is not a tuple (a list could change between two calls).
        Only for tokens counted from the start: a negative index is no shortcut.
        """
        if type(tokens) is not tuple:
            return None
        key = (id(tokens), cue)
        kept = self._sentences.get(key)
        if kept is not None and kept[0] is tokens:  # the same tuple, not a reused id
            return kept[1]
        table = self.forms if cue is None else self._cue_table(cue)
        firsts = self._index(table)[0]
        answers = []
        for i, tok in enumerate(tokens):
            found = None
            if any(c[1] in firsts for c in _token_readings(tok.norm, tok.text)):
                found = self._match(tokens, i, table)
            answers.append(found if cue is None else _cue_end(found))
        if len(self._sentences) >= _SENTENCES_KEPT:
            self._sentences.clear()
        self._sentences[key] = (tokens, answers)  # holding tokens keeps their id unique
        return answers

    def _match(self, tokens: Sequence[Token], i: int, table: dict) -> Match | None:
        """The longest entry of ``table`` starting at token ``i``."""
        firsts, max_len = self._index(table)
        readings = _token_readings(tokens[i].norm, tokens[i].text)
        candidates = [c for c in readings if c[1] in firsts]
        if not candidates:
            return None
        for length in range(min(max_len, len(tokens) - i), 0, -1):
            rest = tuple(t.norm for t in tokens[i + 1 : i + length])
            for prefix, cand, suffix, definite, single_only in candidates:
                if single_only and length > 1:
                    continue
                hit = table.get((cand, *rest))
                if hit:
                    return Match(i + length - 1, suffix, hit, definite, prefix.endswith("س"))
        return None

    def _index(self, table: dict) -> tuple[frozenset[str], int]:
        """First words and the longest entry of a form table (cached: tables do not change)."""
        entry = self._indexes.get(id(table))
        if entry is None or entry[2] != len(table):
            firsts = frozenset(k[0] for k in table)
            entry = (firsts, max((len(k) for k in table), default=1), len(table))
            self._indexes[id(table)] = entry
        return entry[0], entry[1]

    def _cue_table(self, cue: str) -> dict[tuple[str, ...], list[bool]]:
        if cue not in self._cue_tables:
            self._cue_tables[cue] = {k: [True] for k in self.cues[cue]}
        return self._cue_tables[cue]

    def cue_words(self, cue: str) -> frozenset[str]:
        """The one-word cues of set ``cue``, normalized (a parse tree's words are compared to them).

        >>> sorted(load_triggers().cue_words("negationGovernors"))
        ['بدون', 'دون', 'عدم']
        """
        return frozenset(k[0] for k in self.cues.get(cue, ()) if len(k) == 1)


_SENTENCES_KEPT = 4096  # (sentence, table) pairs: an article's, several times over


def _cue_end(found: Match | None) -> int | None:
    return None if found is None or found.suffix else found.last


@functools.lru_cache(maxsize=65536)
def _token_readings(word: str, text: str) -> tuple[tuple[str, str, bool, bool, bool], ...]:
    """The readings of a token: its normalized ``word``, written ``text``."""
    return _word_readings(word, not _ends_in_ta_marbuta(text))


@functools.lru_cache(maxsize=65536)
def _word_readings(word: str, single_ok: bool) -> tuple[tuple[str, str, bool, bool, bool], ...]:
    """Every (prefix, candidate, suffix, definite, one-word only) reading of a word."""
    readings = strip_clitics(word, future=True)
    if word[:1] in "وفبل" and 2 <= len(word) <= 3:  # «ولم», «فلا», «بشن»: short words keep it
        readings.append((word[0], word[1:]))
    return tuple(
        (prefix, *reading) for prefix, stem in readings for reading in _readings(stem, single_ok)
    )


def _readings(stem: str, single_ok: bool):
    """(candidate, has pronoun suffix, had the article ال, one-word only) readings of a stem."""
    yield stem, False, False, False
    if stem.startswith("ال") and len(stem) > 4:
        yield stem[2:], False, True, False
    if not single_ok:
        return
    if stem.endswith("ا") and len(stem) > 4:  # accusative «هجوما», «دعما»
        yield stem[:-1], False, False, True
    for suf in _SUFFIXES:
        if stem.endswith(suf) and len(stem) - len(suf) >= 4:
            yield stem[: -len(suf)], True, False, True
            if stem[: -len(suf)].endswith("ت"):  # تاء مربوطة before a suffix: مساندته
                yield stem[: -len(suf) - 1] + "ه", True, False, True


def _ends_in_ta_marbuta(text: str) -> bool:
    """«وزارة» ends in ة, not in the pronoun ه: it must not read as «وزار» + «ه»."""
    return DIACRITICS.sub("", text)[-1:] == "ة"


def _local(node) -> str:
    return str(node).rsplit("#", 1)[-1]


@functools.lru_cache(maxsize=4)
def load_triggers(*extra: str | Path) -> TriggerLexicon:
    """Read relations, their triggers and the cue sets from the ontology."""
    g = load_ontology(*extra)
    lex = TriggerLexicon()
    for rel in sorted(g.subjects(RDF.type, KH.Relation)):  # type: ignore[type-var]  # rdflib types graph nodes as Node; they are Identifiers, which order
        name = _local(rel)
        becomes = tuple(
            (tuple(normalize(str(g.value(b, KH.marker))).split()), _local(g.value(b, KH.relation)))
            for b in g.objects(rel, KH.becomesWith)
        )
        lex.relations[name] = Relation(
            name,
            symmetric=(rel, RDF.type, OWL.SymmetricProperty) in g,
            family=str(g.value(rel, KH.family) or ""),
            markers=tuple(sorted(normalize(str(m)) for m in g.objects(rel, KH.objectMarker))),
            object_classes=tuple(sorted(_local(c) for c in g.objects(rel, KH.objectClass))),
            becomes=becomes,
            needs_marker=bool(g.value(rel, KH.objectNeedsMarker)),
        )
        for prop, kind in (
            (KH.trigger, "active"),
            (KH.nounTrigger, "noun"),
            (KH.participleTrigger, "participle"),
            (KH.passiveTrigger, "passive"),
            (KH.titleWord, "title"),
        ):
            for form in g.objects(rel, prop):
                lex.add(str(form), Trigger(name, kind, str(form)))
    for cueset in g.subjects(RDF.type, KH.CueSet):
        for member in g.transitive_objects(cueset, KH.includes):  # itself, and what it includes
            for form in g.objects(member, KH.cue):
                lex.cues[_local(cueset)].add(tuple(normalize(str(form)).split()))
    return lex
