"""The gazetteer: actors and places from ``ontology/gazetteer.ttl`` and CLDR, and mention finding.

Names are matched on normalized tokens, longest first, after the proclitics
(و ف ب ل ك ال) are stripped from the first word, so «وواشنطن», «بالرقة» and
«لداعش» all match.

>>> gaz = load_gazetteer()
>>> from extractors.sentences import split_sentences
>>> sent = split_sentences("التقت واشنطن بقوات سوريا الديمقراطية")[0]
>>> [(m.text, m.entity) for m in gaz.find_mentions(sent)]
[('واشنطن', 'united-states'), ('قوات سوريا الديمقراطية', 'sdf')]
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale
from rdflib import RDF, RDFS
from rdflib.namespace import SKOS
from rdflib.term import Node

from ontology import ENT, KH, load_ontology

from .normalize import normalize, strip_clitics
from .types import Entity, Mention, Sentence

__all__ = [
    "STATE_BODIES_F",
    "STATE_BODIES_M",
    "Gazetteer",
    "load_gazetteer",
    "nisba_forms",
    "slugify",
    "state_body_names",
]

# CLDR territory codes that are not countries, and country names that are
# also everyday words (Mali: «مالي» = "financial"): those match only in full.
_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "AQ", "IC", "CP", "DG", "EA", "TA"}
_AMBIGUOUS = {"مالي", "تشاد", "جيرسي", "توغو"}
_QUOTES = {'"', "'", "“", "”", "«", "»"}


def slugify(text: str) -> str:
    """An ASCII slug for an IRI local name.

    >>> slugify("Türkiye")
    'turkiye'
    >>> slugify("Bosnia & Herzegovina")
    'bosnia-herzegovina'
    """
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def nisba_forms(base: str) -> list[str]:
    """The inflected forms of a relational adjective, normalized.

    >>> nisba_forms("أمريكي")[:4]
    ['امريكي', 'امريكيه', 'امريكيون', 'امريكيين']
    """
    stem = normalize(base)
    forms = [stem + end for end in ("", "ه", "ون", "ين", "ان", "تان")]
    return forms + ["ال" + f for f in forms]


STATE_BODIES_F = ("الحكومة", "القوات", "السلطات", "الطائرات", "المدفعية", "البحرية", "الدبلوماسية")
STATE_BODIES_M = ("الجيش", "الطيران", "النظام")


def state_body_names(nisba: str) -> list[str]:
    """Names of a country's state bodies built from its relational adjective.

    >>> state_body_names("تركي")[:2]
    ['الحكومة التركية', 'القوات التركية']
    """
    base = nisba.strip()
    fem = [f"{body} ال{base}ة" for body in STATE_BODIES_F]
    return fem + [f"{body} ال{base}" for body in STATE_BODIES_M]


@dataclass
class Gazetteer:
    """Entities by id, and a table from normalized name tokens to entity ids."""

    entities: dict[str, Entity] = field(default_factory=dict)
    names: dict[tuple[str, ...], tuple[str, bool]] = field(default_factory=dict)
    head_nouns: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    default_heads: dict[str, str] = field(default_factory=dict)  # «التحالف» -> the global one
    theatres: dict[str, set[str]] = field(default_factory=dict)  # actor -> where it acts
    governments: dict[str, str] = field(default_factory=dict)  # country -> «الحكومة السورية»'s
    part_of: dict[str, str] = field(default_factory=dict)
    head_words: dict[str, str] = field(default_factory=dict)  # «حزب» -> "Organization"
    max_len: int = 1
    name_lengths: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))  # by first

    def add_name(self, name: str, entity: str, *, hidden: bool = False) -> None:
        """Register a surface name for ``entity`` (first registration of a name wins)."""
        key = tuple(normalize(name).replace('"', " ").split())
        if not key or key in self.names:
            return
        self.names[key] = (entity, hidden)
        self.name_lengths[key[0]].add(len(key))
        self.max_len = max(self.max_len, len(key))

    def find_mentions(
        self, sent: Sentence, extra: Mapping[tuple[str, ...], tuple[str, bool]] | None = None
    ) -> list[Mention]:
        """Longest non-overlapping name matches in a sentence.

        ``extra`` holds names found in this article only (people named after a title).
        """
        tokens = sent.tokens
        extra = extra or {}
        extra_lengths = _lengths_by_first_word(extra)
        mentions: list[Mention] = []
        i = 0
        while i < len(tokens):
            found = self._match_at(tokens, i, extra, extra_lengths)
            if found is None:
                i += 1
                continue
            last, prefix, (entity, hidden) = found
            last = self._before_person(tokens, i, last, entity, extra, extra_lengths)
            first_tok = tokens[i]
            # «للجيش» is ل + «الجيش» with its alef dropped: the name starts after one letter
            letters = len(prefix) - 1 if prefix.endswith("لل") else len(prefix)
            start = first_tok.start + _letters_to_chars(first_tok.text, letters)
            end = tokens[last].end
            text = sent.text[start - sent.start : end - sent.start]
            mentions.append(Mention(start, end, text, entity, i, last, hidden))
            i = last + 1
        return mentions

    def _before_person(self, tokens, i: int, last: int, entity: str, extra, lengths) -> int:
        """Where the name at ``i`` ends when a person's name closes it: «حكومة الرئيس
        اليمني عبد ربه منصور هادي» is the government up to the person, and the person
        (one the gazetteer knows, named in two words or more: a lone «العربي» in
        «طيران التحالف العربي» is an adjective) a mention of its own, the pair the
        relation is read from. Otherwise ``last``."""
        for k in range(i + 1, last):
            inner = self._match_at(tokens, k, extra, lengths)
            if inner is None or inner[0] != last:
                continue
            eid, hidden = inner[2]
            known = self.entities.get(eid)
            if eid != entity and not hidden and known is not None and known.type == "Person":
                return k - 1
        return last

    def match_at(self, tokens, i, extra=None):
        """The longest name at token ``i``: (last token, clitic prefix, (entity, hidden))."""
        return self._match_at(tokens, i, extra or {}, _lengths_by_first_word(extra or {}))

    def _match_at(self, tokens, i, extra, extra_lengths):
        """``match_at``, with the lengths of the ``extra`` names by first word at hand.

        A name is looked up only in the lengths that names starting with the stem have;
        quotes between its words are skipped («حركة "أحرار الشام"»).
        """
        best = None
        following = None  # the words after token i that are not quotes: (norm, index)
        longest = min(self.max_len, len(tokens) - i)
        for prefix, stem in strip_clitics(tokens[i].norm):
            lengths = self.name_lengths.get(stem, _NO_LENGTHS) | extra_lengths.get(
                stem, _NO_LENGTHS
            )
            if not lengths:
                continue
            if following is None:
                following = _words_after(tokens, i, self.max_len - 1)
            for length in sorted(lengths, reverse=True):
                if length > longest or length - 1 > len(following):
                    continue
                key = (stem, *(norm for norm, _j in following[: length - 1]))
                hit = extra.get(key) or self.names.get(key)
                if hit is None:
                    continue
                if length == 1 and stem in _AMBIGUOUS:
                    continue
                last = following[length - 2][1] if length > 1 else i
                if best is None or last > best[0]:
                    best = (last, prefix, hit)
                break
        return best


_NO_LENGTHS: frozenset[int] = frozenset()


def _lengths_by_first_word(names: Mapping[tuple[str, ...], object]) -> dict[str, set[int]]:
    lengths: dict[str, set[int]] = defaultdict(set)
    for key in names:
        lengths[key[0]].add(len(key))
    return lengths


def _words_after(tokens, i: int, count: int) -> list[tuple[str, int]]:
    """Up to ``count`` (normalized word, index) of the tokens after ``i``, quotes skipped."""
    words: list[tuple[str, int]] = []
    for j in range(i + 1, len(tokens)):
        if len(words) >= count:
            break
        if tokens[j].norm not in _QUOTES:
            words.append((tokens[j].norm, j))
    return words


def _letters_to_chars(text: str, letters: int) -> int:
    """How many characters of ``text`` hold its first ``letters`` non-diacritic letters."""
    if letters == 0:
        return 0
    seen = 0
    for pos, ch in enumerate(text):
        if normalize(ch):
            seen += 1
        if seen == letters:
            return pos + 1
    return len(text)


def _literal_text(lit: Node) -> str:
    return str(lit).strip()


def _cldr_countries(gaz: Gazetteer, declared: dict[str, str]) -> None:
    ar, en = Locale("ar"), Locale("en")
    for code, name_ar in ar.territories.items():
        if len(code) != 2 or not code.isalpha() or code in _NOT_COUNTRIES:
            continue
        name_en = en.territories.get(code, code)
        eid = declared.get(code) or slugify(name_en)
        old = gaz.entities.get(eid)
        gaz.entities[eid] = Entity(
            eid,
            "Country",
            label_ar=(old.label_ar if old and old.label_ar else name_ar),
            label_en=(old.label_en if old and old.label_en else name_en),
            alt_labels=(old.alt_labels if old else ()) + (name_en,),
        )
        gaz.add_name(name_ar, eid)
        gaz.add_name(name_en, eid)


@functools.lru_cache(maxsize=4)
def load_gazetteer(*extra: str | Path) -> Gazetteer:
    """Read the gazetteer from the ontology (plus ``extra`` Turtle files) and CLDR."""
    g = load_ontology(*extra)
    gaz = Gazetteer()
    declared: dict[str, str] = {}
    state_bodies: list[tuple[str, str]] = []
    subjects = set(g.subjects(SKOS.altLabel, None)) | set(g.subjects(KH.countryCode, None))
    subjects |= {s for s in g.subjects(RDFS.label, None) if str(s).startswith(str(ENT))}
    for node in sorted(subjects):  # type: ignore[type-var]  # rdflib types graph nodes as Node; they are Identifiers, which order
        if not str(node).startswith(str(ENT)):
            continue
        eid = str(node)[len(str(ENT)) :]
        cls = next(
            (
                str(c).rsplit("#", 1)[-1]
                for c in g.objects(node, RDF.type)
                if str(c).startswith(str(KH))
            ),
            "Organization",
        )
        labels = list(g.objects(node, RDFS.label))
        label_ar = next(
            (_literal_text(x) for x in labels if getattr(x, "language", None) == "ar"), ""
        )
        label_en = next(
            (_literal_text(x) for x in labels if getattr(x, "language", None) == "en"), ""
        )
        alts = tuple(sorted(_literal_text(x) for x in g.objects(node, SKOS.altLabel)))
        gaz.entities[eid] = Entity(eid, cls, label_ar, label_en, alts)
        for code in g.objects(node, KH.countryCode):
            declared[str(code)] = eid
        for name in [label_ar, label_en, *alts]:
            gaz.add_name(name, eid)
        for hidden in g.objects(node, SKOS.hiddenLabel):
            gaz.add_name(str(hidden), eid, hidden=True)
        for adjective in g.objects(node, KH.nisba):
            for form in nisba_forms(str(adjective)):
                gaz.add_name(form, eid, hidden=True)
            if cls == "Country":
                state_bodies.append((eid, str(adjective)))
        for head in g.objects(node, KH.headNoun):
            gaz.head_nouns[normalize(str(head))].append(eid)
        for head in g.objects(node, KH.defaultHeadNoun):
            gaz.default_heads[normalize(str(head))] = eid
        theatres = {str(t)[len(str(ENT)) :] for t in g.objects(node, KH.theatre)}
        if theatres:
            gaz.theatres[eid] = theatres
        for parent in g.objects(node, KH.partOf):
            gaz.part_of[eid] = str(parent)[len(str(ENT)) :]
    # «الحكومة التركية», «الطيران الروسي»: the state's bodies, after every explicit name
    for eid, nisba in state_bodies:
        for name in state_body_names(nisba):
            gaz.add_name(name, eid)
    for eid, nisba in state_bodies:
        government = gaz.names.get(tuple(normalize(f"الحكومة ال{nisba.strip()}ة").split()))
        if government is not None:
            gaz.governments[eid] = government[0]
    for word_class, word in g.subject_objects(KH.headWord):
        gaz.head_words[normalize(str(word))] = str(word_class).rsplit("#", 1)[-1]
    _cldr_countries(gaz, declared)
    return gaz
