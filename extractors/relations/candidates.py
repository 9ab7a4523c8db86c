"""Candidates: ordered pairs of entity mentions in one sentence, and the sentence's signals.

A candidate asks one question of the model: does the sentence state a relation
from ``subject`` to ``object``? Each pair of distinct entities in a sentence is
asked both ways, with the closest pair of their mentions.

>>> from extractors.lexicon import LexiconExtractor
>>> from extractors.types import Article
>>> from extractors.triggers import load_triggers
>>> ext = LexiconExtractor()
>>> analysis = ext.analyse(Article("a", "قصفت الطائرات الروسية مواقع داعش في الرقة."))
>>> ctx = sentence_context(analysis, 0, load_triggers(), ext.entity_type)
>>> sorted((c.subject.entity, c.object.entity) for c in candidates(ctx))[:2]
[('isis', 'raqqa'), ('isis', 'russia')]
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ..grammar import bare_word
from ..lexicon import Analysis
from ..triggers import TriggerLexicon
from ..types import Mention, Sentence

__all__ = ["Candidate", "SentenceContext", "TriggerHit", "candidates", "sentence_context"]

MAX_GAP = 40  # tokens between two mentions beyond which no pair is asked
CUE_SETS = ("negationCues", "plannedCues", "reportCues", "hypotheticalCues", "lightVerbs")


@dataclass(frozen=True, slots=True)
class TriggerHit:
    first: int
    last: int
    relations: frozenset[str]
    kinds: frozenset[str]  # "active", "noun", "participle", "passive", "title"


@dataclass
class SentenceContext:
    """One sentence with everything a candidate's features read."""

    sentence: Sentence
    index: int  # of the sentence in its article (0: the title)
    mentions: list[Mention]
    types: dict[str, str]  # entity id -> ontology class
    triggers: list[TriggerHit]
    cues: dict[str, list[int]]  # cue set -> token indices where one starts
    rules: dict[tuple[str, str], set[str]] = field(default_factory=dict)  # (s, o) -> relations

    @functools.cached_property
    def words(self) -> list[str]:
        """Each token's normalized form without its conjunction (what features read)."""
        return [bare_word(t.norm) for t in self.sentence.tokens]

    @functools.cached_property
    def trigger_at(self) -> dict[int, TriggerHit]:
        """The trigger covering each token."""
        return {k: hit for hit in self.triggers for k in range(hit.first, hit.last + 1)}

    @functools.cached_property
    def mention_at(self) -> dict[int, Mention]:
        """The mention covering each token."""
        return {k: m for m in self.mentions for k in range(m.first, m.last + 1)}


@dataclass(frozen=True, slots=True)
class Candidate:
    context: SentenceContext
    subject: Mention
    object: Mention

    @property
    def forward(self) -> bool:
        """The subject comes first in the sentence."""
        return self.subject.first < self.object.first


def sentence_context(
    analysis: Analysis, index: int, lexicon: TriggerLexicon, entity_type: Callable[[str], str]
) -> SentenceContext:
    """The context of sentence ``index`` of an analysed article."""
    clause = analysis.clauses[index]
    toks = clause.sent.tokens
    hits = [
        TriggerHit(
            i,
            match.last,
            frozenset(t.relation for t in match.triggers),
            frozenset(t.kind for t in match.triggers),
        )
        for i, match in enumerate(lexicon.matches(toks))
        if match is not None
    ]
    cues = {}  # only the cue sets present
    for cue in CUE_SETS:
        starts = [i for i, end in enumerate(lexicon.cue_ends(toks, cue)) if end is not None]
        if starts:
            cues[cue] = starts
    rules: dict[tuple[str, str], set[str]] = defaultdict(set)
    sent = clause.sent
    for stmt in analysis.statements:
        if sent.start <= stmt.start < sent.end or stmt.start <= sent.start < stmt.end:
            rules[(stmt.subject, stmt.object)].add(("!" if stmt.negated else "") + stmt.predicate)
    mentions = [m for m in clause.mentions if m.entity]
    types = {m.entity: entity_type(m.entity) for m in mentions}
    return SentenceContext(sent, index, mentions, types, hits, cues, dict(rules))


def candidates(ctx: SentenceContext, max_gap: int = MAX_GAP) -> Iterator[Candidate]:
    """Both orders of every pair of distinct entities, by their closest mentions."""
    by_entity: dict[str, list[Mention]] = defaultdict(list)
    for m in ctx.mentions:
        by_entity[m.entity].append(m)
    ids = sorted(by_entity)
    for n, a in enumerate(ids):
        for b in ids[n + 1 :]:
            pair = min(
                ((x, y) for x in by_entity[a] for y in by_entity[b]),
                key=lambda xy: _gap(*xy),
            )
            if _gap(*pair) > max_gap:
                continue
            yield Candidate(ctx, pair[0], pair[1])
            yield Candidate(ctx, pair[1], pair[0])


def _gap(x: Mention, y: Mention) -> int:
    """Tokens between two mentions (0 when adjacent or overlapping)."""
    return max(0, max(x.first, y.first) - min(x.last, y.last) - 1)
