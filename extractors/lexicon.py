"""The lexicon extractor: gazetteer mentions + trigger words + Arabic word order -> statements.

Offline and deterministic. Everything it knows about words comes from the
ontology's Turtle (gazetteer, triggers, cues); what is here is grammar: where
the subject and the object of a trigger stand in an Arabic clause.

>>> from extractors.types import Article
>>> ext = LexiconExtractor()
>>> text = "أجرت واشنطن محادثات مع موسكو. ولم تتفاوض تركيا مع قسد."
>>> [(s.subject, s.predicate, s.object, s.negated)
...  for s in ext.extract(Article("doc", text))]
[('united-states', 'negotiatesWith', 'russia', False), ('turkey', 'negotiatesWith', 'sdf', True)]
"""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from .dates import find_event_date
from .entities import (
    NER_CLASSES,
    attach_entities,
    dedupe,
    entity_type,
    mint_id,
    types_ok,
)
from .errors import ModelError
from .gazetteer import STATE_BODIES_F, STATE_BODIES_M, Gazetteer, load_gazetteer
from .grammar import (
    ANAPHORA_LATTER,
    CLAUSE_BREAKS,
    CLAUSE_WORDS,
    COUNTERPART,
    EVALUATIVE,
    EVENT_NOUNS,
    GENERIC_ADJECTIVES,
    HIS_COUNTRY,
    INSTITUTION_NOUNS,
    MEMBER_HEADS,
    NAME_PARTICLES,
    NOT_NEGATION_AFTER,
    PREPOSITIONS,
    QUOTE_TOKENS,
    RANKS,
    RELATIVE,
    STOP,
    TITLE_ADVERBS,
    WAW_NAMES,
    Clause,
    adjacent,
    agent_by,
    bare_word,
    conjuncts,
    coordination_head,
    crosses_break,
    dangling_marker,
    distance_confidence,
    drop_modifiers,
    expand,
    has_pronoun_object,
    is_name_word,
    is_place_or_member_noun,
    modifies,
    noun_agent_before,
    noun_phrase,
    numbered,
    preposition_between,
    preposition_of,
    relative_agent,
    relative_before,
    second_party,
    ungap,
)
from .normalize import normalize, strip_clitics
from .sentences import split_sentences
from .triggers import Relation, Trigger, TriggerLexicon, load_triggers
from .types import Article, Entity, Mention, Sentence, Statement, Token

__all__ = ["Analysis", "LexiconExtractor", "NER_DEFAULT", "NER_LEAD", "NER_SCOPES", "load_ner"]

# --- Arabic grammar words (not lexicon: they decide structure, not meaning) ---
_NER_REACH = 6  # tokens after a trigger that NER tags (ner_scope="triggers")
STATE_BODY_NOUNS = {normalize(w) for w in (*STATE_BODIES_F, *STATE_BODIES_M)}
_NOT_NAMED = {"Place", "Group", ""}  # classes whose head nouns refer back to nobody
GOVERNMENTAL = normalize("الحكومية")  # «القوات الحكومية»: the forces of a government
_LANDS = ("Country", "Place")  # entity types a construct name may end with
NER_LEAD = 8  # sentences from the top (the title first) NER reads whole (ner_scope="lead")
NER_SCOPES = ("off", "triggers", "lead", "all")
NER_DEFAULT = "lead"  # the scope of `khabar build` and of get_extractor("trained" | "lexicon")
# Violence is recorded even when its author is unnamed, against this gazetteer node.
UNKNOWN_AGENT = "unknown-perpetrator"
_VIOLENT = {"attacks", "kills", "executes"}


@dataclass
class _Doc:
    """Per-article working state: names found so far and their order."""

    article: Article
    sents: list[Sentence]
    extra: dict[tuple[str, ...], tuple[str, bool]] = field(default_factory=dict)
    new_entities: dict[str, Entity] = field(default_factory=dict)
    surface: dict[str, set[str]] = field(default_factory=dict)
    order: list[tuple[int, str]] = field(default_factory=list)  # (char offset, entity) of mentions
    country_of: dict[str, str] = field(default_factory=dict)  # person -> the state a title names
    heads: dict[str, set[str]] = field(default_factory=dict)  # «الحركة» -> actors named «حركة …»
    named: Counter[str] = field(default_factory=Counter)  # entity -> mentions («اليمني» too)


@dataclass
class Analysis:
    """What the lexicon extractor read in one article."""

    doc: _Doc
    clauses: list[Clause]  # one per sentence, with its final mentions
    statements: list[Statement]

    def entity(self, eid: str, gaz: Gazetteer) -> Entity | None:
        """An entity of this article (found in its text) or of the gazetteer."""
        return self.doc.new_entities.get(eid) or gaz.entities.get(eid)


def load_ner(scope: str) -> tuple[Callable | None, str]:
    """Khabar's NER model as the extractors call it, for ``scope`` "off", "triggers", "lead"
    or "all".

    Without Stanza or the model: no NER (scope "off") and a warning that says why.
    """
    if scope not in NER_SCOPES:
        raise ValueError(f"ner must be one of {', '.join(NER_SCOPES)}, not {scope!r}")
    if scope == "off":
        return None, "off"
    try:
        from .ner.tagger import load_ner_tagger, ner_mentions_batch

        load_ner_tagger()
    except (ModelError, ImportError) as err:
        warnings.warn(f"{err}; extracting without NER (ner='off')", stacklevel=3)
        return None, "off"
    return ner_mentions_batch, scope


class LexiconExtractor:
    """Gazetteer + triggers + word order. ``extract(article) -> list[Statement]``."""

    name = "lexicon"

    def __init__(
        self,
        *,
        gazetteer: Gazetteer | None = None,
        triggers: TriggerLexicon | None = None,
        window: int = 12,
        ner: Callable[[list[list[str]]], list[list[tuple[int, int, str]]]] | str | None = None,
        ner_scope: str = "triggers",
    ) -> None:
        self.gaz = gazetteer or load_gazetteer()
        self.lex = triggers or load_triggers()
        self.window = window
        if isinstance(ner, str):  # "off", "triggers", "lead", "all": the NER model at that scope
            ner, ner_scope = load_ner(ner)
        if ner_scope not in NER_SCOPES:
            raise ValueError(f"ner_scope must be one of {', '.join(NER_SCOPES)}, not {ner_scope!r}")
        self.ner = ner if ner_scope != "off" else None  # sentences -> [(first, last, label)]
        self.ner_scope = ner_scope
        # negation that reaches only the words right after it («لم», «عدم»), not to the clause end
        self.near_negation = self.lex.cue_words("negationParticles") | self.lex.cue_words(
            "negationGovernors"
        )

    # -- public API ----------------------------------------------------------
    def pipe(self, articles: Iterable[Article]) -> Iterator[tuple[Article, list[Statement]]]:
        """Stream (article, statements) pairs."""
        for article in articles:
            yield article, self.extract(article)

    def extract(self, article: Article) -> list[Statement]:
        """All statements of one article, each with its evidence sentence."""
        return self.analyse(article).statements

    def analyse(self, article: Article) -> Analysis:
        """The article as read: its names, sentences with their mentions, and its statements.

        The trained relation extractor reads its mentions and the rules' statements here.
        """
        doc, clauses = self._read(article)
        found = [s for c in clauses for s in [*self._roles(doc, c), *self._relations(doc, c)]]
        stmts = dedupe(found, self.lex.relations)
        return Analysis(doc, clauses, [self.attach_entities(doc, s) for s in stmts])

    def mentions(self, article: Article) -> list[tuple[Sentence, list[Mention]]]:
        """Each sentence with its entity mentions (gazetteer, titled people, references)."""
        _doc, clauses = self._read(article)
        return [(c.sent, c.mentions) for c in clauses]

    def _read(self, article: Article) -> tuple[_Doc, list[Clause]]:
        doc = _Doc(article, split_sentences(article.text))
        for sent in doc.sents:
            mentions = self.gaz.find_mentions(sent)
            self._find_people(doc, sent, mentions)
            self._find_headed_names(doc, sent, mentions)
        if self.ner is not None:
            self._find_ner_names(doc)
        clauses = []
        for sent in doc.sents:
            mentions = self.gaz.find_mentions(sent, doc.extra)
            clauses.append(Clause(sent, mentions, entity_type=self.entity_type))
            doc.order.extend((m.start, m.entity) for m in mentions if not m.hidden)
            doc.named.update(m.entity for m in mentions)
        self._collect_heads(doc, clauses)
        for clause in clauses:
            self._resolve_anaphora(doc, clause)
            clause.mentions = self._drop_described_heads(clause, drop_modifiers(clause.mentions))
            for m in clause.mentions:
                key = tuple(normalize(m.text).replace('"', " ").split())
                if not m.hidden and (key in self.gaz.names or key in doc.extra):
                    doc.surface.setdefault(m.entity, set()).add(m.text)  # a name as written
        return doc, clauses

    # -- names only the NER model knows ------------------------------------------
    def _find_ner_names(self, doc: _Doc) -> None:
        """PER, ORG and LOC names the NER model finds and the gazetteer lacks: article entities.

        The gazetteer still decides identity and type wherever it knows a name.
        """
        pieces = [
            (sent, lo, hi)
            for n, sent in enumerate(doc.sents)
            for lo, hi in self._ner_ranges(doc, sent, n)
        ]
        if not pieces:
            return
        assert self.ner is not None  # _read calls this only with a model
        found = self.ner([[t.text for t in sent.tokens[lo:hi]] for sent, lo, hi in pieces])
        for (sent, lo, _hi), spans in zip(pieces, found, strict=True):
            known = self.gaz.find_mentions(sent, doc.extra)
            for first, last, label in ((a + lo, b + lo, lab) for a, b, lab in spans):
                cls = NER_CLASSES.get(label)
                if cls is None or any(m.first <= last and first <= m.last for m in known):
                    continue
                words = [t.norm for t in sent.tokens[first : last + 1]]
                if not all(w.isalpha() and w not in STOP for w in words) or len(words[-1]) < 3:
                    continue  # «عليه», «أمس»: grammar words are never names
                if len(words) == 1 and (
                    _class_noun(words[0])  # «المدينة», «ريف»: a class noun names nothing
                    or first > 0
                    and self._names_follow(sent.tokens[first - 1])  # «حيا سكنيا», «مستشفى عائشة»
                ):
                    continue
                start = sent.tokens[first].start
                if len(words[0]) > 3 and words[0][0] == "و":  # «وبوتين»: the conjunction is no name
                    words[0], start = words[0][1:], start + 1
                name = " ".join(words)
                eid = mint_id(cls, name)
                label_ar = sent.text[start - sent.start : sent.tokens[last].end - sent.start]
                doc.new_entities.setdefault(eid, Entity(eid, cls, label_ar=label_ar))
                doc.extra.setdefault(tuple(words), (eid, False))

    def _names_follow(self, tok: Token) -> bool:
        """A class noun or head word: what follows it is its adjective or its own name,
        read by the head-word rule («حيا سكنيا», «مستشفى عائشة»), not a name of its own."""
        return _class_noun(tok.norm) or any(
            stem in self.gaz.head_words for _p, stem in strip_clitics(tok.norm)
        )

    def _ner_ranges(self, doc: _Doc, sent: Sentence, index: int) -> list[tuple[int, int]]:
        """Token ranges of sentence ``index`` worth tagging: the whole sentence
        (``ner_scope="all"``, and ``"lead"`` for the first ``NER_LEAD`` sentences, where
        news names its actors: a name found there is known in the whole article), or
        (``"triggers"``, and ``"lead"`` further down) where a trigger's missing argument
        may be: the ``_NER_REACH`` tokens after a relation trigger whose ``window``
        holds exactly one known actor (places aside). Tagging costs about 7x the
        lexicon's time per token.
        """
        toks = sent.tokens
        if self.ner_scope == "all" or self.ner_scope == "lead" and index < NER_LEAD:
            return [(0, len(toks))] if toks else []
        known = [
            m
            for m in self.gaz.find_mentions(sent, doc.extra)
            if not m.hidden and self.entity_type(m.entity) != "Place"
        ]
        ranges: list[tuple[int, int]] = []
        for i in range(len(toks)):
            found = self.lex.match(toks, i)
            if not found or all(t.kind == "title" for t in found[2]):
                continue
            lo, hi = max(0, i - self.window), min(len(toks), found[0] + 1 + self.window)
            near = [m for m in known if lo <= m.first and m.last < hi]
            if len({m.entity for m in near}) != 1:
                continue
            # verb-first clauses put both arguments after the trigger, and a subject
            # before it leaves the object after it: the missing name follows
            lo, hi = found[0] + 1, min(hi, found[0] + 1 + _NER_REACH)
            if lo >= hi:
                continue
            if ranges and lo <= ranges[-1][1]:
                ranges[-1] = (ranges[-1][0], max(hi, ranges[-1][1]))
            else:
                ranges.append((lo, hi))
        return ranges

    # -- organisations and places named after a head word ----------------------
    def _find_headed_names(self, doc: _Doc, sent: Sentence, mentions: list[Mention]) -> None:
        """«حركة أحرار الشام», «بلدة مارع»: a head word of a class, then a name."""
        toks = sent.tokens
        for i, tok in enumerate(toks):
            if any(m.first <= i <= m.last for m in mentions):
                continue
            cls = next(
                (
                    self.gaz.head_words[s]
                    for _p, s in strip_clitics(tok.norm)
                    if s in self.gaz.head_words
                ),
                None,
            )
            if cls is None:
                continue
            words = self._headed_name(toks, i, cls, mentions)
            if not words or len(words) == 1 and self._refers_back(toks[words[0]].norm):
                continue  # «قوات التحالف», «عناصر التنظيم»: the coalition named before
            first_tok = toks[i]
            stem = next(s for _p, s in strip_clitics(first_tok.norm) if s in self.gaz.head_words)
            key = (stem, *[toks[k].norm for k in words])
            name = " ".join(key)
            eid = mint_id(cls, name)
            start = first_tok.end - len(stem)
            label = sent.text[start - sent.start : toks[words[-1]].end - sent.start]
            label = " ".join("".join(ch for ch in label if ch not in "\"'«»“”").split())
            doc.new_entities.setdefault(eid, Entity(eid, cls, label_ar=label))
            doc.extra.setdefault(key, (eid, False))
            if cls == "Place" and len(key) == 2 and len(key[1]) >= 3:  # «مارع» after «بلدة مارع»
                doc.extra.setdefault(key[1:], (eid, False))

    def _headed_name(self, toks, i: int, cls: str, mentions: list[Mention]) -> list[int]:
        """The name tokens after a head word: definite words, quoted words, or one place name."""
        words: list[int] = []
        j = i + 1
        quoted = j < len(toks) and toks[j].norm in QUOTE_TOKENS
        if quoted:
            j += 1
        while j < len(toks) and len(words) < 4:
            word = toks[j].norm
            if quoted and word in QUOTE_TOKENS:
                break
            # «حزب العدالة والتنمية»: a conjunction inside a definite name
            inner_and = word.startswith("وال") and words and toks[words[-1]].norm.startswith("ال")
            if any(m.first <= j <= m.last for m in mentions):
                break
            if is_place_or_member_noun(word) or not (
                is_name_word(word) or inner_and and word.isalpha()
            ):
                break
            if not quoted and cls == "Group":
                backer = self._backer(toks, j, mentions)
                if backer is not None:  # «الميليشيات المدعومة من تركيا»: a group by its backer
                    return [*words, *range(j, backer + 1)]
            if not quoted and (self.lex.match(toks, j) or word.startswith("و") and not inner_and):
                break
            nxt = toks[j + 1].norm if j + 1 < len(toks) else ""
            if not (quoted or word.startswith("ال") or inner_and):
                # an indefinite word is a name only in a construct («أحرار الشام») or alone
                # as a place name («بلدة مارع»), never an adjective («قاعدة عسكرية»)
                raw = [ch for ch in toks[j].text if normalize(ch)]
                if raw and raw[-1] in "ةيه" or words:
                    break
                if not nxt.startswith("ال") and cls != "Place":
                    # «حركة مشروع تونس», «حزب نداء تونس»: a construct whose second
                    # word is a country or place the gazetteer knows
                    place = next((m for m in mentions if m.first == j + 1), None)
                    if place is not None and self.entity_type(place.entity) in _LANDS:
                        return [j, *range(place.first, place.last + 1)]
                    break
            words.append(j)
            j += 1
        if words and all(toks[k].norm in GENERIC_ADJECTIVES for k in words):
            return []
        return words

    def _backer(self, toks, j: int, mentions: list[Mention]) -> int | None:
        """If a passive trigger and its named agent start at ``j``, the agent's last token."""
        found = self.lex.match(toks, j)
        if not found or not any(t.kind == "passive" for t in found.triggers):
            return None
        k = found.last + 1
        if k < len(toks) and toks[k].norm == "من":
            k += 1
        agent = next((m for m in mentions if m.first == k and not m.hidden), None)
        return agent.last if agent is not None else None

    # -- people named after a title ------------------------------------------
    def _find_people(self, doc: _Doc, sent: Sentence, mentions: list[Mention]) -> None:
        toks = sent.tokens
        for i in range(len(toks)):
            title = self._title_at(toks, i, mentions)
            if title is None:
                continue
            _rel, name_first, name_last, aff, person = title
            words = [t.norm for t in toks[name_first : name_last + 1]]
            state = (
                aff.entity
                if aff and self.entity_type(aff.entity) in ("Country", "Government")
                else None
            )
            if person is not None:  # a known person: its family name alone refers back later
                if len(words) >= 2 and len(words[-1]) >= 3 and words[-1] not in STOP:
                    doc.extra.setdefault((words[-1],), (person.entity, False))
                if state:
                    doc.country_of.setdefault(person.entity, state)
                continue
            eid = mint_id("Person", " ".join(words))
            label = sent.text[
                toks[name_first].start - sent.start : toks[name_last].end - sent.start
            ]
            doc.new_entities.setdefault(eid, Entity(eid, "Person", label_ar=label))
            if state:
                doc.country_of.setdefault(eid, state)
            doc.extra.setdefault(tuple(words), (eid, False))
            if len(words) >= 2 and len(words[-1]) >= 3 and words[-1] not in STOP:
                doc.extra.setdefault((words[-1],), (eid, False))

    def _title_at(self, toks: Sequence[Token], i: int, mentions: list[Mention]):
        """A role title at token ``i``: (relation, name first, name last, affiliation, person)."""
        if any(m.first <= i <= m.last for m in mentions):
            return None
        found = self.lex.match(toks, i)
        if found is None:
            return None
        last, trigs = found.last, found.triggers
        title = next((t for t in trigs if t.kind == "title"), None)
        if title is None:
            return None
        affiliation, j = None, last + 1
        while j < len(toks) and j <= last + 7:
            m = next((m for m in mentions if m.first == j), None)
            if m is not None:
                if self.entity_type(m.entity) == "Person":
                    return title.relation, j, m.last, affiliation, m
                affiliation = affiliation or m  # «السفير الأميركي في بيروت»: the first
                j = m.last + 1
                continue
            word = bare_word(toks[j].norm)
            nxt_named = any(m.first == j + 1 for m in mentions)
            if (
                word.startswith("ال")
                and word not in STOP
                or word in {"باسم", "لشؤون", "شؤون"} | INSTITUTION_NOUNS
                or word == "في"
                and nxt_named  # «السفير الأميركي في بيروت»
                or word in RANKS
                or word in TITLE_ADVERBS
                or self._is_title(toks, j)
            ):
                j += 1
                continue
            break
        names: list[int] = []
        while j < len(toks) and len(names) < 4:
            word = toks[j].norm
            known = next((m for m in mentions if m.first == j), None)
            if names and known is not None and self.entity_type(known.entity) == "Person":
                # «أفيجدور ليبرمان»: a first name spelled otherwise before a known family name
                return title.relation, names[0], known.last, affiliation, known
            if (
                not is_name_word(word)
                or "\u064b" in toks[j].text  # tanween: an adverb or a count («عددًا»)
                or word.startswith("لت")  # «لتخريب»: ل + a verbal noun
                or known is not None
                or bare_word(word) in MEMBER_HEADS
                or self.lex.match(toks, j)
                or any(
                    self.lex.cue_at(toks, j, c) is not None for c in ("lightVerbs", "reportCues")
                )
            ):
                break
            if word.startswith("و") and word not in WAW_NAMES:
                break
            names.append(j)
            particles = sum(toks[k].norm in NAME_PARTICLES for k in names)
            if len(names) >= 2 + particles:
                if self._third_name_word(toks, j + 1, mentions):  # «أحمد داود أوغلو»
                    names.append(j + 1)
                break
            j += 1
        # «القيادي في الحزب المصنف إرهابيا، طلال حمية»: the name stands after the comma
        if len(names) == 1 and names[-1] + 3 < len(toks) and toks[names[-1] + 1].norm in {"،", ","}:
            later = [
                k
                for k in (names[-1] + 2, names[-1] + 3)
                if is_name_word(toks[k].norm) and not any(m.first <= k <= m.last for m in mentions)
            ]
            if len(later) == 2:
                names = later
        if not names or noun_phrase([toks[k].norm for k in names]):
            return None
        return title.relation, names[0], names[-1], affiliation, None

    def _is_title(self, toks: Sequence[Token], k: int) -> bool:
        found = self.lex.match(toks, k)
        return found is not None and any(t.kind == "title" for t in found[2])

    def _third_name_word(self, toks: Sequence[Token], k: int, mentions: list[Mention]) -> bool:
        """A third name word only when a boundary follows it (not a verb or a noun phrase)."""
        if k >= len(toks) or any(m.first <= k <= m.last for m in mentions):
            return False
        word = toks[k].norm
        if not is_name_word(word) or word[:1] in "وتيس" or self._is_title(toks, k):
            return False
        nxt = toks[k + 1].norm if k + 1 < len(toks) else ""
        return (
            not nxt
            or not nxt[:1].isalpha()
            or nxt in STOP
            or nxt.startswith("و")
            or any(m.first == k + 1 for m in mentions)
        )

    def _roles(self, doc: _Doc, clause: Clause) -> Iterator[Statement]:
        toks = clause.sent.tokens
        skip_to = 0
        for i in range(len(toks)):
            if i < skip_to:  # «النائب الثاني للرئيس السوداني …»: the first title decides
                continue
            title = self._title_at(toks, i, clause.mentions)
            if title is None:
                yield from self._apposition(doc, clause, i)
                continue
            rel, name_first, _name_last, affiliation, known = title
            skip_to = name_first
            rel = self._counterpart_relation(toks, i, rel)
            person = known or clause.mention_at(name_first)
            if affiliation is not None:  # the person stays a possible argument
                clause.consumed.update(range(affiliation.first, affiliation.last + 1))
            clause.consumed.update(range(i, name_first))
            if person is None or affiliation is None or person.entity == affiliation.entity:
                continue
            if self.entity_type(affiliation.entity) in {"Place", "Person", ""}:
                continue
            yield self._statement(
                doc,
                clause,
                person.entity,
                rel,
                affiliation.entity,
                confidence=0.8,
                trigger=toks[i].text,
            )

    def _counterpart_relation(self, toks: Sequence[Token], i: int, rel: str) -> str:
        """«الرئيس الأمريكي باراك أوباما ونظيره التركي»: a counterpart holds the same role."""
        if not any(s in COUNTERPART for _p, s in strip_clitics(toks[i].norm)):
            return rel
        for k in range(i - 1, -1, -1):
            found = self.lex.match(toks, k)
            title = next((t for t in found.triggers if t.kind == "title"), None) if found else None
            if title is not None and not any(
                s in COUNTERPART for _p, s in strip_clitics(toks[k].norm)
            ):
                return title.relation
        return rel

    def _apposition(self, doc: _Doc, clause: Clause, i: int) -> Iterator[Statement]:
        """«أبو بكر البغدادي، زعيم تنظيم داعش»: a title after a person's name."""
        toks = clause.sent.tokens
        if i < 2 or toks[i - 1].norm not in {"،", ","} or not self._is_title(toks, i):
            return
        person = next((m for m in clause.mentions if m.last == i - 2), None)
        if person is None or self.entity_type(person.entity) != "Person":
            return
        found = self.lex.match(toks, i)
        assert found is not None  # _is_title matched here
        rel = next(t.relation for t in found.triggers if t.kind == "title")
        for j in range(found.last + 1, min(found.last + 5, len(toks))):
            m = clause.mention_at(j)
            if m is not None:
                if m.entity != person.entity and self.entity_type(m.entity) != "Person":
                    clause.consumed.update(range(m.first, m.last + 1))
                    yield self._statement(
                        doc,
                        clause,
                        person.entity,
                        rel,
                        m.entity,
                        confidence=0.75,
                        trigger=toks[i].text,
                    )
                return
            word = bare_word(toks[j].norm)
            if not (word.startswith("ال") or word in INSTITUTION_NOUNS or word in {"في", "باسم"}):
                return

    # -- reference -------------------------------------------------------------
    def _collect_heads(self, doc: _Doc, clauses: list[Clause]) -> None:
        """The definite head nouns this article's actors were named with: «حركة حماس» gives
        «الحركة», «طائرات التحالف العربي» gives «التحالف» (later in the article, «الحركة»
        refers back to Hamas): a class's head word that opens a name of two words or more,
        or else the name's first definite word."""
        for clause in clauses:
            toks = clause.sent.tokens
            for m in clause.mentions:
                # actors with a name of two words or more; a Group's («الفصائل المسلحة») is
                # a description
                if m.hidden or m.last == m.first or self.entity_type(m.entity) in _NOT_NAMED:
                    continue
                words = [bare_word(toks[k].norm) for k in range(m.first, m.last)]
                if words[0] in self.gaz.head_words and not words[0].startswith("ال"):
                    head = "ال" + words[0]
                else:
                    head = next((w for w in words if w.startswith("ال") and len(w) > 3), "")
                if head:
                    doc.heads.setdefault(head, set()).add(m.entity)
                if head == "الحكومه":  # and «القوات الحكومية» are that government's forces
                    doc.heads.setdefault(GOVERNMENTAL, set()).add(m.entity)

    def _refers_back(self, word: str) -> bool:
        """A definite head noun that refers to an actor named before («التحالف»)."""
        return any(stem in self.gaz.head_nouns for _p, stem in strip_clitics(word))

    def _default_head(self, doc: _Doc, stem: str) -> str | None:
        """The actor a head noun means when the article named none with it: its
        ``default_heads`` actor, unless another actor with that head noun has a theatre
        the article names more («التحالف» in a story about Yemen and the Houthis is the
        Saudi-led coalition)."""
        default = self.gaz.default_heads.get(stem)

        def weight(actor: str | None) -> int:
            places = self.gaz.theatres.get(actor or "", set())
            return sum(
                n for e, n in doc.named.items() if e in places or self.gaz.part_of.get(e) in places
            )

        rivals = sorted(a for a in self.gaz.head_nouns.get(stem, ()) if a in self.gaz.theatres)
        best = max(rivals, key=weight, default=None)
        return best if best is not None and weight(best) > weight(default) else default

    def _body_before(self, toks, i: int) -> str | None:
        """The proclitic of a state body noun («للقوات») right before token ``i``, if any."""
        if i == 0:
            return None
        for prefix, stem in strip_clitics(toks[i - 1].norm):
            if stem in STATE_BODY_NOUNS or "ال" + stem in STATE_BODY_NOUNS:
                return prefix
        return None

    def _government_near(self, doc: _Doc, pos: int, sent: Sentence) -> str | None:
        """The government of the country named closest in the sentence, or else most often
        in the article (for an article that named no «الحكومة …» before)."""
        govs = self.gaz.governments
        here = [(abs(p - pos), e) for p, e in doc.order if sent.start <= p < sent.end and e in govs]
        if here:
            return govs[min(here)[1]]
        counts = Counter(e for _p, e in doc.order if e in govs)
        return govs[counts.most_common(1)[0][0]] if counts else None

    def _resolve_anaphora(self, doc: _Doc, clause: Clause) -> None:
        """Add mentions for «التنظيم», «الجيش» … (head nouns) and «الأخير»."""
        toks, added = clause.sent.tokens, []
        for i, tok in enumerate(toks):
            if clause.mention_at(i) is not None:
                continue
            for prefix, stem in strip_clitics(tok.norm):
                target = None
                nxt = toks[i + 1].norm if i + 1 < len(toks) else ""
                # «التنظيم الشيعي» is described; «التحالف الذي تقوده …» refers back
                described = nxt.startswith("ال") and nxt not in EVALUATIVE | RELATIVE
                heads = set(self.gaz.head_nouns.get(stem, ())) | doc.heads.get(stem, set())
                if heads and not described:
                    # the one named nearest, or the one it means when none was named
                    target = _nearest(doc.order, tok.start, heads) or self._default_head(doc, stem)
                elif stem == GOVERNMENTAL and not described:  # «القوات الحكومية في سوريا»
                    target = self._government_near(doc, tok.start, clause.sent)
                elif stem in HIS_COUNTRY:  # «قال وزير الخارجية التركي إن بلاده …»
                    speakers = [e for p, e in doc.order if p < tok.start and e in doc.country_of]
                    target = doc.country_of[speakers[-1]] if speakers else None
                elif (
                    stem in ANAPHORA_LATTER
                    and i > 0
                    and not (toks[i - 1].norm.startswith("ال") or toks[i - 1].norm.endswith("ها"))
                ):
                    target = _latest_actor(doc.order, tok.start, self._is_actor)
                if target:
                    first, start = i, tok.start + len(prefix)
                    body = self._body_before(toks, i) if stem == GOVERNMENTAL else None
                    if body is not None:  # «للقوات الحكومية»: the forces are the mention
                        first, start = i - 1, toks[i - 1].start + len(body)
                    text = clause.sent.text[start - clause.sent.start : tok.end - clause.sent.start]
                    added.append(Mention(start, tok.end, text, target, first, i))
                    break
        clause.mentions = sorted(clause.mentions + added, key=lambda m: m.first)

    def _drop_described_heads(self, clause: Clause, mentions: list[Mention]) -> list[Mention]:
        """«القاعدة الجوية الروسية» is a base, not al-Qaeda: a one-word name that is also a
        class's head word, followed by an adjective, is that common noun; an evaluative
        adjective describes the actor itself («التنظيم الإرهابي» is still ISIS)."""
        toks = clause.sent.tokens
        kept = []
        for m in mentions:
            nxt = toks[m.last + 1].norm if m.last + 1 < len(toks) else ""
            head = toks[m.first].norm.removeprefix("ال") if m.first == m.last else ""
            described = nxt.startswith("ال") and nxt not in EVALUATIVE
            if not m.hidden and head in self.gaz.head_words and described:
                continue
            kept.append(m)
        return kept

    def _is_actor(self, eid: str) -> bool:
        return self.entity_type(eid) not in {"Place", ""}

    def entity_type(self, eid: str) -> str:
        """The class of an entity id: from the gazetteer, or from a minted id's folder."""
        return entity_type(eid, self.gaz.entities)

    # -- relations ---------------------------------------------------------------
    def _relations(self, doc: _Doc, clause: Clause) -> Iterator[Statement]:
        toks = clause.sent.tokens
        yield from self._inside_names(doc, clause)
        i = 0
        while i < len(toks):
            if i in clause.consumed or clause.mention_at(i) is not None:
                i += 1
                continue
            found = self.lex.match(toks, i)
            trigs = [t for t in (found[2] if found else []) if t.kind != "title"]
            if not trigs:
                i += 1
                continue
            assert found is not None  # it gave the triggers
            for trig in trigs:
                yield from self._arguments(doc, clause, trig, i, found)
            i = found.last + 1

    def _inside_names(self, doc: _Doc, clause: Clause) -> Iterator[Statement]:
        """A name that states a relation: «المعارضة المدعومة من تركيا» is backed by Turkey,
        «الفصائل الموالية لتركيا» are its allies."""
        toks = clause.sent.tokens
        for m in clause.mentions:
            for k in range(m.first + 1, m.last):
                found = self.lex.match(toks, k)
                kinds = ("passive", "active", "participle")
                trig = next((t for t in found.triggers if t.kind in kinds), None) if found else None
                if trig is None:
                    continue
                assert found is not None  # it gave the trigger
                j = found.last + 1
                if j <= m.last and toks[j].norm == "من":
                    j += 1
                inner = self.gaz.match_at(toks, j, None) if j <= m.last else None
                if inner is not None and inner[2][0] != m.entity:
                    inner_id = inner[2][0]
                    subj, obj = (
                        (inner_id, m.entity) if trig.kind == "passive" else (m.entity, inner_id)
                    )
                    yield self._statement(
                        doc, clause, subj, trig.relation, obj, confidence=0.8, trigger=toks[k].text
                    )
                break

    def _arguments(self, doc, clause, trig: Trigger, a: int, match):
        b = match.last
        rel = self.lex.relations[trig.relation]
        toks = clause.sent.tokens
        for marker, other in rel.becomes:  # «يقاتل حزب الله إلى جانب الجيش»: an alliance
            if any(
                tuple(t.norm for t in toks[k : k + len(marker)]) == marker
                for k in range(b + 1, min(b + 7, len(toks)))
            ):
                rel = self.lex.relations[other]
                break
        speaker = self._speaker(clause, a)
        pairs = []
        for skip in (speaker, None):  # the speaker is the subject only when no one else is
            usable = [
                m for m in clause.mentions if m.first not in clause.consumed and m is not skip
            ]
            before = [
                m
                for m in reversed(usable)
                if m.last < a and a - m.last <= self.window and not crosses_break(toks, m.last, a)
            ]
            after = [
                m
                for m in usable
                if m.first > b
                and m.first - b <= self.window
                and not crosses_break(toks, b, m.first)
            ]
            pairs = self._assign(clause, rel, trig, match, a, b, before, after)
            if pairs or speaker is None:
                break
        if not pairs and rel.name in _VIOLENT and trig.kind != "passive":
            noun = trig.kind == "noun" or match.definite
            pairs = self._unknown_agent(clause, rel, a, b, after, noun=noun)
        negated = self._negated(toks, a)
        source = None if speaker is not None else self._source_after(clause, b)
        speaker = speaker or source
        if self._cue_before(toks, a, "hypotheticalCues", 8):
            modality = "Hypothetical"
        elif match.future or self._cue_before(toks, a, "plannedCues", 6):
            modality = "Planned"
        elif speaker is not None or self._cue_before(toks, a, "reportCues", a):
            modality = "Reported"
        else:
            modality = None
        for subj, obj, conf in pairs:
            if subj is None or obj is None or subj.entity == obj.entity:
                continue
            if not self._types_ok(rel, subj.entity, obj.entity):
                continue
            yield self._statement(
                doc,
                clause,
                subj.entity,
                rel.name,
                obj.entity,
                confidence=conf,
                negated=negated,
                modality=modality,
                attributed_to=speaker.entity if speaker else None,
                trigger=toks[a].text,
            )

    def _assign(self, clause, rel: Relation, trig: Trigger, match, a, b, before, after):
        """Subject/object pairs with a confidence, by Arabic word order."""
        preps = clause.preps
        toks = clause.sent.tokens
        if trig.kind == "passive":  # «X المدعومة من Y»: agent after, patient before
            patients = [m for m in before if not m.hidden and modifies(toks, m, a)]
            if not after or not patients or after[0].first - b > 3:
                return []
            agents = [after[0], *conjuncts(clause, after[0])]
            return [
                (ag, patients[0], distance_confidence(0.85, patients[0].last, a)) for ag in agents
            ]
        nisba = after[0] if after and after[0].hidden and after[0].first - b <= 2 else None
        before = [m for m in before if not m.hidden]
        after = [m for m in after if not m.hidden]
        # «بين X و Y»: the two parties of talks, a deal, a war, a mediation
        if "بين" in rel.markers:
            x = next((m for m in after[:2] if preps[id(m)] == "بين"), None)
            y = second_party(clause, x) if x is not None else None
            if x is not None and y is not None:
                if rel.symmetric:
                    return [(x, y, distance_confidence(0.85, b, x.first))]
                agent = nisba or next((m for m in before if preps[id(m)] is None), None)
                return [(agent, x, 0.75), (agent, y, 0.75)] if agent is not None else []
        if trig.kind == "participle":  # «تركيا الداعمة للمعارضة»: describes the name before
            if not before or not modifies(toks, before[0], a):
                return []
            pairs = self._assign_verb(clause, rel, match, a, b, before[:1], after, None, preps)
        elif trig.kind == "noun" or match.definite:
            pairs = self._assign_noun(clause, rel, match, a, b, before, after, nisba, preps)
        else:
            pairs = self._assign_verb(clause, rel, match, a, b, before, after, nisba, preps)
        return ungap(clause, pairs, preps)

    def _svo_subject(self, toks, m: Mention, a: int, preps, *, verb) -> bool:
        """Is ``m`` the subject standing before the trigger at ``a``: at most two words
        between, none a preposition, particle or other trigger, and for a verb no comma."""
        if preps[id(m)] is not None or a - m.last > 3:
            return False
        between = toks[m.last + 1 : a]
        is_verb = any(t.kind == "active" for t in verb)
        for k, tok in zip(range(m.last + 1, a), between, strict=True):
            word = tok.norm
            if word in PREPOSITIONS or self.lex.match(toks, k):
                return False
            if word in {"،", ",", ":"} and is_verb:  # «قال X: "خطف داعش …"»
                return False
        return True

    def _shared_subject(self, clause: Clause, a: int, m: Mention) -> Mention | None:
        """In «V1 S O وV2 …» the second verb shares the first one's subject S: the name
        ``m`` right before «وV2» is V1's object, not V2's subject."""
        toks = clause.sent.tokens
        if bare_word(toks[a].norm) == toks[a].norm or a - m.last > 2:
            return None  # no conjunction on the verb, or not right after the name
        earlier = [x for x in clause.mentions if x.last < m.first and not x.hidden]
        if not earlier or earlier[-1].first == 0:
            return None
        subj = earlier[-1]
        verb = self.lex.match(toks, subj.first - 1)
        if verb is None or not any(t.kind == "active" for t in verb.triggers):
            return None
        between = [t.norm for t in toks[subj.last + 1 : m.first]]
        if len(between) > 1 or any(w in PREPOSITIONS for w in between):
            return None  # «طاردت القوات مقاتلي داعش»: at most a member noun between
        return subj

    def _nisba_subject(self, clause: Clause, a: int) -> Mention | None:
        """«الدبابات التركية قصفت»: a relational adjective on the noun right before a verb."""
        m = clause.mention_at(a - 1) if a > 1 else None
        if m is None or not m.hidden or m.first < 1 or clause.mention_at(m.first - 1):
            return None
        return m if is_name_word(clause.sent.tokens[m.first - 1].norm) else None

    def _free_subject(self, toks, m: Mention, a: int, preps) -> bool:
        """Can ``m`` be a distant subject: no preposition on it, not the object of a verb
        right before it («وضرب المتظاهرين … واعتقل النائب»), within six words?"""
        if preps[id(m)] is not None or a - m.last > 6:
            return False
        return m.first == 0 or not self.lex.match(toks, m.first - 1)

    def _assign_verb(self, clause, rel, match, a, b, before, after, nisba, preps):
        """VSO or SVO: the subject right after the verb or right before it."""
        toks = clause.sent.tokens
        markers = set(rel.markers)
        subj = obj = None
        conf = 0.85
        relative = relative_before(toks, a)
        if relative is not None:
            antecedent = self._antecedent(clause, relative)
            rest = [m for m in after if preps[id(m)] is None and adjacent(toks, b, m.first)]
            if antecedent is not None and rest:
                subj, obj = (rest[0], antecedent) if match.suffix else (antecedent, None)
            elif match.suffix:  # «… الذي تقوده الولايات المتحدة»: the object is not a name
                return []
        if subj is None:
            direct_after = [m for m in after if preps[id(m)] is None]
            nisba_before = self._nisba_subject(clause, a)
            own = direct_after and adjacent(toks, b, direct_after[0].first, clause.consumed)
            shared = self._shared_subject(clause, a, before[0]) if before and not own else None
            if shared is not None:  # «طاردت القوات الروسية مقاتلي داعش وقصفت مواقعهم»
                subj, conf = shared, 0.75
            elif before and self._svo_subject(toks, before[0], a, preps, verb=match.triggers):
                subj = before[0]
            elif nisba_before is not None:  # «الدبابات التركية قصفت»
                subj, conf = nisba_before, 0.75
            elif nisba is not None:
                subj = nisba
            elif direct_after and numbered(toks, b, direct_after[0].first) and rel.name in _VIOLENT:
                return []  # «قتل ثلاثة جنود»: the victims, not the killers (see _unknown_agent)
            elif direct_after and adjacent(toks, b, direct_after[0].first, clause.consumed):
                subj = direct_after[0]
            elif any(self._free_subject(toks, m, a, preps) for m in before):
                subj, conf = next(m for m in before if self._free_subject(toks, m, a, preps)), 0.55
        if subj is None:
            return []
        if obj is None and match.suffix and a > 0 and clause.mention_at(a - 1) is None:
            if is_name_word(toks[a - 1].norm) and toks[a - 1].norm not in STOP:
                return []  # «لتحالف تقوده الولايات المتحدة»: the pronoun is that noun
        if obj is None and match.suffix and subj not in after:  # «القوات الأمريكية اعتقلتها»
            obj = self._pronoun_antecedent(clause, a, subj)
            return expand(clause, subj, obj, 0.45) if obj is not None else []
        if obj is None:
            start = subj.last if subj in after else b
            if dangling_marker(toks, start, markers, clause.mentions):
                return []
            later = [m for m in after if m.first > start]
            with_marker = [m for m in later if preps[id(m)] in markers and m.first - start <= 6]
            direct = [
                m
                for m in later
                if preps[id(m)] is None
                and m not in conjuncts(clause, subj)
                and not preposition_between(toks, start, m.first, clause.mentions)
            ]
            if rel.needs_marker:
                direct = []
            if rel.name in _VIOLENT and not with_marker and not direct:
                # «قتلت 3042 من تنظيم داعش»: a counted part of a group is its victims
                direct = [
                    m for m in later if preps[id(m)] == "من" and numbered(toks, start, m.first)
                ]
            candidates = [
                m for m in (with_marker or direct) if self._types_ok(rel, subj.entity, m.entity)
            ]
            if direct and direct[0].first == start + 1:  # the object right after the verb
                candidates = [direct[0], *candidates]
            if candidates:
                obj = candidates[0]
                conf = min(conf, distance_confidence(conf, b, obj.first))
            elif rel.symmetric and conjuncts(clause, coordination_head(clause, subj)):
                group = [coordination_head(clause, subj)]
                group += conjuncts(clause, group[0])
                return [(x, y, 0.75) for k, x in enumerate(group) for y in group[k + 1 :]]
            elif match.suffix or has_pronoun_object(toks, b):
                obj, conf = self._pronoun_antecedent(clause, a, subj), 0.4
        if obj is None:
            return []
        return expand(clause, subj, obj, conf)

    def _assign_noun(self, clause, rel, match, a, b, before, after, nisba, preps):
        """A verbal noun: agent by adjective, genitive, «الذي تقدمه X» or context."""
        toks = clause.sent.tokens
        markers = set(rel.markers) - {"بين"}
        # the genitive: «انسحاب داعش», also through member and office nouns: «انسحاب مقاتلي
        # داعش», «مباحثات وزيري خارجية روسيا والولايات المتحدة»
        genitive = next(
            (m for m in after if preps[id(m)] is None and _through_heads(toks, b, m.first)), None
        )
        start = genitive.last if genitive is not None else b
        marked = next(
            (m for m in after if preps[id(m)] in markers and start < m.first <= start + 4),
            None,
        )
        if genitive is not None and bare_word(toks[a].norm).removeprefix("ال") in EVENT_NOUNS:
            # «ضربات التحالف», «غارات النظام»: an event's genitive actor is its author
            if self._is_actor(genitive.entity) and nisba is None:
                nisba, genitive = genitive, None
        agent, conf = nisba, 0.85
        if agent is None and genitive is not None and rel.symmetric and marked is None:
            group = [genitive, *conjuncts(clause, genitive)]
            if len(group) > 1:  # «مباحثات روسيا والولايات المتحدة»: between the parties
                return [(x, y, 0.75) for k, x in enumerate(group) for y in group[k + 1 :]]
        if agent is None:
            agent = relative_agent(toks, b, after, preps)
        by_agent = agent_by(toks, b, after) if agent is None else None
        if by_agent is not None:  # «استهدافه من قبل تنظيم داعش»: the suffix is the patient
            agent = by_agent
            obj = (
                marked
                or genitive
                or next(
                    (m for m in after if m.last < by_agent.first and preps[id(m)] is None), None
                )
            )
            if obj is None and match.suffix:
                obj = self._pronoun_antecedent(clause, a, agent)
            if obj is None or obj.entity == agent.entity:
                return []
            return expand(clause, agent, obj, 0.75)
        if agent is None and match.suffix:  # «انسحابه»: the suffix is the agent
            agent, conf = self._pronoun_antecedent(clause, a, None), 0.5
        if agent is None and before and noun_agent_before(toks, before[0], a, preps):
            agent = before[0]
        if agent is None and genitive is not None and marked is not None:
            agent, genitive = genitive, None
        if agent is None:
            if genitive is not None and rel.object_classes:
                return []
            if genitive is None and marked is None and not rel.symmetric:
                return []
            if not self._after_light_verb(toks, a):  # «أجرت تركيا مفاوضات», «شن غارات»
                return []
            candidates = [m for m in before if preps[id(m)] is None and a - m.last <= 6]
            agent = self._light_verb_agent(clause, a) or (candidates[0] if candidates else None)
            if agent is None:
                return []
            conf = 0.5
        # «إيران من أبرز حلفاء النظام»: with the agent known, the genitive is the object
        obj = genitive if genitive is not None and genitive is not agent else marked
        head = coordination_head(clause, agent)
        group = [head, *conjuncts(clause, head)]
        if preposition_between(toks, group[-1].last, a):  # «سيشاركون في المحادثات»: not mutual
            group = group[:1]
        if obj is None and rel.symmetric and len(group) > 1:  # «وقعت أنقرة وبغداد اتفاقا»
            return [(x, y, 0.75) for k, x in enumerate(group) for y in group[k + 1 :]]
        if obj is None and rel.symmetric:  # «توصل X إلى اتفاق يمنح مقاتلي التنظيم …»
            obj = next(
                (
                    m
                    for m in after
                    if preps[id(m)] is None and m.first - b <= 6 and m.entity != agent.entity
                ),
                None,
            )
            conf = 0.5
        if obj is None or not self._types_ok(rel, agent.entity, obj.entity):
            return []
        return expand(clause, agent, obj, min(conf, distance_confidence(conf, b, obj.first)))

    def _after_light_verb(self, toks: Sequence[Token], a: int) -> bool:
        """Does a light verb (أجرى، شن، عقد …) govern the verbal noun at ``a``?"""
        return self._light_verb_at(toks, a) is not None

    def _light_verb_at(self, toks: Sequence[Token], a: int) -> int | None:
        """The light verb up to ten words before ``a`` in the same clause, if any."""
        for k in range(a - 1, max(-1, a - 11), -1):
            if toks[k].norm in CLAUSE_BREAKS or toks[k].norm in CLAUSE_WORDS:
                return None
            if self.lex.cue_at(toks, k, "lightVerbs") is not None:
                return k
        return None

    def _pronoun_antecedent(self, clause: Clause, a: int, subj: Mention | None):
        """The actor a pronoun suffix points back to: the nearest one before, not the subject."""
        for m in reversed(clause.mentions):
            if m.last >= a or m.hidden or m is subj:
                continue
            if (subj is None or m.entity != subj.entity) and self._is_actor(m.entity):
                return m
        return None

    def _antecedent(self, clause: Clause, rel_tok: int) -> Mention | None:
        """What a relative pronoun refers to; «والذي» continues an earlier relative clause."""
        toks = clause.sent.tokens
        if toks[rel_tok].norm.startswith("و"):
            earlier = relative_before(toks, rel_tok, anywhere=True)
            if earlier is not None:
                rel_tok = earlier
        for m in reversed(clause.mentions):
            if m.last >= rel_tok or m.hidden:
                continue
            # only adjectives may stand between a name and its relative pronoun
            between = toks[m.last + 1 : rel_tok]
            if rel_tok - m.last <= 3 and all(t.norm.startswith("ال") for t in between):
                return m
            return None
        return None

    def _speaker(self, clause: Clause, a: int) -> Mention | None:
        """The entity a report cue before the trigger attributes the statement to."""
        toks = clause.sent.tokens
        for i in range(a - 1, -1, -1):
            end = self.lex.cue_at(toks, i, "reportCues")
            if end is None or end >= a:
                continue
            near = [
                m
                for m in clause.mentions
                if end < m.first <= end + 8
                and m.last < a
                and not m.hidden
                and preposition_of(toks, m) is None
            ]
            people = [m for m in near if self.entity_type(m.entity) == "Person"]
            if people:
                return people[0]
            return near[0] if near and near[0].first <= end + 4 else None
        return None

    def _unknown_agent(self, clause: Clause, rel: Relation, a: int, b: int, after, *, noun):
        """«قتل ثلاثة جنود», «غارة على مدينة إدلب»: violence whose author the sentence
        does not name is still recorded, against an unknown perpetrator, at low confidence."""
        toks = clause.sent.tokens
        preps = clause.preps
        allowed = {None, "علي", "ضد", "في"} if rel.name == "attacks" else {None}
        if noun and rel.name != "attacks":  # «مقتل القيادي في تنظيم داعش أبو محمد العدناني»
            victim = next(
                (
                    m
                    for m in after
                    if not m.hidden
                    and m.first - b <= 6
                    and self._is_actor(m.entity)
                    and preps[id(m)] in (None, "من")
                ),
                None,
            )
            if victim is not None:
                agent = self._instrument_agent(clause, victim.last, a)
                if agent is not None and agent.entity != victim.entity:
                    return [(agent, victim, 0.6)]
                return self._against_unknown(toks, a, victim)
        target = next(
            (
                m
                for m in after
                if not m.hidden
                and m.first - b <= 4
                and preps[id(m)] in allowed
                and not preposition_between(toks, b, m.first - 1)
            ),
            None,
        )
        if target is None:
            return []
        if preps[id(target)] == "في" and self.entity_type(target.entity) != "Place":
            return []
        event = bare_word(toks[a].norm).removeprefix("ال") in EVENT_NOUNS
        if noun and event and target.first == b + 1 and self._is_actor(target.entity):
            return []  # «ضربات التحالف»: the author of the strikes, not their target
        if preps[id(target)] is None and not (noun and target.first == b + 1):
            # after a verb, an unmarked name is its subject unless it is counted, or unless
            # an attack noun is the subject: «استهدفت غارة جوية مدينة إدلب»
            attack_subject = any(
                (m := self.lex.match(toks, k)) and any(t.relation in _VIOLENT for t in m.triggers)
                for k in range(b + 1, target.first)
            )
            if noun or not (numbered(toks, b, target.first) or attack_subject):
                return []
        agent = self._instrument_agent(clause, b, a) or self._light_verb_agent(clause, a)
        if agent is not None and agent.entity != target.entity:  # «… في غارة أميركية»
            return [(agent, target, 0.6)]
        return self._against_unknown(toks, a, target)

    def _against_unknown(self, toks: Sequence[Token], a: int, target: Mention):
        """Violence by an unnamed author, kept when its target is a person, an unnamed
        group or a place («قتل ثلاثة جنود», «غارة على إدلب»). An armed group or a state
        hit by someone unnamed is left out: the author is usually named nearby, and a
        guess would only add a false edge."""
        if self.entity_type(target.entity) not in ("Person", "GenericActor", "Place"):
            return []
        agent = Mention(toks[a].start, toks[a].start, "", UNKNOWN_AGENT, a, a, hidden=True)
        return [(agent, target, 0.4)]

    def _instrument_agent(self, clause: Clause, b: int, a: int | None = None) -> Mention | None:
        """The author named by the weapon: «قتل … في غارة أميركية», «بقصف لطيران النظام»,
        and, before the killing (from ``a`` back), «قصف طائرات التحالف … تسبب في مقتل …»."""
        toks = clause.sent.tokens
        forward = range(b + 1, min(b + 14, len(toks)))
        backward = range(a - 1, max(-1, a - 13), -1) if a is not None else range(0)
        for ks in (forward, backward):
            for k in ks:
                if toks[k].norm in CLAUSE_BREAKS or toks[k].norm in CLAUSE_WORDS:
                    break
                found = self.lex.match(toks, k)
                if found and any(t.relation == "attacks" for t in found.triggers):
                    author = self._author_of(clause, found.last)
                    if author is not None:
                        return author
                    break
        return None

    def _light_verb_agent(self, clause: Clause, a: int) -> Mention | None:
        """The subject of the light verb governing the verbal noun at ``a``: the actor right
        before it («السماح لطائرات أمريكية بشن ضربات») or, in VSO, the first actor between
        it and the noun («توصل قيادات كردية في ميليشيات قسد إلى اتفاق»)."""
        verb = self._light_verb_at(clause.sent.tokens, a)
        if verb is None:
            return None
        actors = [m for m in clause.mentions if self._is_actor(m.entity)]
        toks = clause.sent.tokens
        opens = verb == 0 or not toks[verb - 1].norm[:1].isalpha()  # «: "نفذت الطائرات التركية»
        before = [] if opens else [m for m in actors if m.last < verb and verb - m.last <= 2]
        if before:
            return before[-1]
        return next((m for m in actors if verb < m.first and m.last < a), None)

    def _author_of(self, clause: Clause, last: int) -> Mention | None:
        """The actor named right after an attack noun: «غارة أميركية», «غارات التحالف»,
        «قصف طائرات التحالف», «بقصف لتنظيم داعش»."""
        toks = clause.sent.tokens
        preps = clause.preps
        for m in clause.mentions:
            if m.hidden and last < m.first <= last + 2:
                return m
            if last < m.first <= last + 2 and adjacent(toks, last, m.first):
                if preps[id(m)] in (None, "ل") and self._is_actor(m.entity):
                    return m
        return None

    def _source_after(self, clause: Clause, b: int) -> Mention | None:
        """«…، وفقا لما نشرته مجلة فورين بوليسي»: the source named after the claim."""
        toks = clause.sent.tokens
        for i in range(b + 1, len(toks)):
            end = self.lex.cue_at(toks, i, "sourceCues")
            if end is None:
                continue
            return next(
                (m for m in clause.mentions if end < m.first <= end + 5 and not m.hidden), None
            )
        return None

    def _negated(self, toks: Sequence[Token], a: int) -> bool:
        """Is the trigger at ``a`` denied? A particle (لا، لم، لن، ليس) negates what stands at
        most two words after it («لم تشن تركيا غارات»); a verb of denial (نفى، رفض) reaches
        further, to the end of the clause."""
        for i in range(a - 1, max(-1, a - 9), -1):
            if toks[i].norm in CLAUSE_BREAKS or toks[i].norm in {"،", ",", ".", "؟"}:
                return False
            end = self.lex.cue_at(toks, i, "negationCues")
            if end is None or end >= a:
                continue
            if bare_word(toks[i].norm) in self.near_negation and a - end - 1 > 2:
                continue  # «ولم تتبن أي جهة حتى الآن اعتداء سروج»: the claim, not the attack
            if end + 1 < len(toks) and bare_word(toks[end + 1].norm) in NOT_NEGATION_AFTER:
                continue
            return True
        return False

    def _cue_before(self, toks, a: int, cue: str, window: int) -> bool:
        return any(self.lex.cue_at(toks, i, cue) is not None for i in range(max(0, a - window), a))

    def _types_ok(self, rel: Relation, subj: str, obj: str) -> bool:
        return types_ok(rel, self.entity_type(subj), self.entity_type(obj))

    # -- output -------------------------------------------------------------------
    def _statement(
        self,
        doc: _Doc,
        clause: Clause,
        subj: str,
        pred: str,
        obj: str,
        *,
        confidence: float,
        negated: bool = False,
        modality: str | None = None,
        attributed_to: str | None = None,
        trigger: str = "",
    ) -> Statement:
        sent = clause.sent
        return Statement(
            subj,
            pred,
            obj,
            doc.article.id,
            sent.start,
            sent.end,
            sent.text,
            round(confidence, 2),
            negated,
            modality,
            attributed_to,
            trigger,
            self.name,
            find_event_date(sent.text, doc.article.date) or doc.article.date,
        )

    def attach_entities(self, doc: _Doc, stmt: Statement) -> Statement:
        """``stmt`` with its entities (gazetteer, then the article's) and their written names."""

        def find(eid: str) -> Entity | None:
            return self.gaz.entities.get(eid) or doc.new_entities.get(eid)

        return attach_entities(stmt, find, doc.surface)


# --- small pure helpers ----------------------------------------------------------
def _through_heads(toks: Sequence[Token], b: int, first: int) -> bool:
    """Is a name at ``first`` the genitive of the noun at ``b``, maybe through up to two
    member or office nouns («مقاتلي», «وزيري خارجية»)?"""
    between = [bare_word(t.norm) for t in toks[b + 1 : first]]
    return len(between) <= 2 and all(w in MEMBER_HEADS or w in INSTITUTION_NOUNS for w in between)


def _class_noun(word: str) -> bool:
    """A noun that names a class of places, members or institutions: «المدينة», «ريف», «الحزب».

    >>> _class_noun("المدينه"), _class_noun("وريف"), _class_noun("الرقه")
    (True, True, False)
    """
    bare = bare_word(word).removeprefix("ال")
    return is_place_or_member_noun(bare) or bare in INSTITUTION_NOUNS or bare in EVENT_NOUNS


def _nearest(order: list[tuple[int, str]], pos: int, candidates: set[str]) -> str | None:
    earlier = [e for p, e in order if p < pos and e in candidates]
    if earlier:
        return earlier[-1]
    return next((e for p, e in order if p > pos and e in candidates), None)


def _latest_actor(order, pos, is_actor) -> str | None:
    earlier = [e for p, e in order if p < pos and is_actor(e)]
    return earlier[-1] if earlier else None
