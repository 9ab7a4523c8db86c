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

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from .dates import find_event_date
from .gazetteer import Gazetteer, load_gazetteer, slugify
from .normalize import normalize, strip_clitics
from .sentences import split_sentences
from .triggers import Relation, Trigger, TriggerLexicon, load_triggers
from .types import Article, Entity, Mention, Sentence, Statement, Token

__all__ = ["LexiconExtractor", "romanize"]

# --- Arabic grammar words (not lexicon: they decide structure, not meaning) ---
_PREPOSITIONS = {
    "جانب",
    "مع",
    "من",
    "الي",
    "نحو",
    "باتجاه",
    "علي",
    "ضد",
    "بين",
    "في",
    "عن",
    "تجاه",
    "لدي",
}
_LETTER_PREPS = {"ب", "ل", "ك"}
_RELATIVE = {"الذي", "التي", "الذين", "اللذين", "اللتين", "اللذان", "اللتان", "اللواتي"}
_NOT_NEGATION_AFTER = {"يزال", "تزال", "زال", "زالت", "يزالون", "سيما", "بد", "شك"}
_RANKS = {
    "الكولونيل",
    "الجنرال",
    "العقيد",
    "اللواء",
    "العميد",
    "الشيخ",
    "الدكتور",
    "السيد",
    "المقدم",
    "الرائد",
    "الفريق",
    "المشير",
    "النقيب",
    "الملازم",
    "الامير",
    "السيده",
}
_NAME_PARTICLES = {"عبد", "ابو", "ابي", "بن", "ابن", "ال", "دي", "فان", "ولد"}
_STOP = {
    "في",
    "من",
    "الي",
    "علي",
    "عن",
    "مع",
    "ان",
    "انه",
    "انها",
    "الذي",
    "التي",
    "قد",
    "لقد",
    "كان",
    "كانت",
    "هو",
    "هي",
    "هذا",
    "هذه",
    "ذلك",
    "تلك",
    "بعد",
    "قبل",
    "خلال",
    "حول",
    "امس",
    "اليوم",
    "غدا",
    "الان",
    "الاحد",
    "الاثنين",
    "الثلاثاء",
    "الاربعاء",
    "الخميس",
    "الجمعه",
    "السبت",
    "يوم",
    "مساء",
    "صباح",
    "ما",
    "لا",
    "لم",
    "لن",
    "ثم",
    "او",
    "ام",
    "كما",
    "حيث",
    "بين",
    "عند",
    "لدي",
    "منذ",
    "حتي",
    "اي",
    "كل",
    "بعض",
    "غير",
    "سابق",
    "السابق",
    "الجديد",
    "الحالي",
    "العام",
    "الاسبق",
    "نفسه",
    "ايضا",
    "وقال",
    "قال",
    "قالت",
    "اكد",
    "اكدت",
    "اعلن",
    "اعلنت",
    "ذكر",
    "ذكرت",
    "اضاف",
    "اضافت",
    "وكان",
    "وهو",
    "قائلا",
    "مضيفا",
    "مشيرا",
    "مؤكدا",
    "موضحا",
    "معتبرا",
    "لافتا",
    "داعيا",
    "مطالبا",
    "محذرا",
}
_ANAPHORA_LATTER = {"الاخير", "الاخيره"}
_PRONOUN_SUFFIXES = ("هما", "هم", "ها", "ه")
_CLAUSE_BREAKS = {"؛", ";", "(", ")"}
# Heads of a construct that name members or arms of an actor: «مقاتلو داعش», «طائرات التحالف».
_MEMBER_HEADS = {
    "عناصر",
    "عنصر",
    "مقاتلو",
    "مقاتلي",
    "مسلحو",
    "مسلحي",
    "قوات",
    "جنود",
    "وحدات",
    "طائرات",
    "الطائرات",
    "طيران",
    "مقاتلات",
    "قيادات",
    "قادة",
    "وفد",
    "مسؤولو",
    "مسؤولي",
    "ميليشيات",
    "فصائل",
    "مليشيات",
    "جيش",
    "حكومة",
    "رئيس",
    "زعيم",
    "قائد",
    "سلطات",
    "اداره",
    "وزارة",
    "وزاره",
    "رئيسا",
    "رؤساء",
    "زعماء",
    "وزيرا",
    "وزراء",
    "وزير",
    "ممثلو",
    "ممثلي",
}
# Nouns that stand between a preposition and a place: «في شمال سوريا», «من مدينة الرقة».
_LOCATION_NOUNS = {
    "شرق",
    "غرب",
    "شمال",
    "جنوب",
    "شمالي",
    "جنوبي",
    "شرقي",
    "غربي",
    "ريف",
    "وسط",
    "قرب",
    "بالقرب",
    "محيط",
    "اطراف",
    "مدينه",
    "بلده",
    "قريه",
    "محافظه",
    "مخيم",
    "حي",
    "منطقه",
    "ضواحي",
    "داخل",
    "خارج",
    "عاصمه",
    "العاصمه",
    "مدينتي",
    "قضاء",
    "ناحيه",
    "حدود",
    "الحدود",
}
# Institutional nouns inside a title, never a person's name: «أمير دولة قطر».
_INSTITUTION_NOUNS = {
    "دوله",
    "جمهوريه",
    "مملكه",
    "اماره",
    "ولايه",
    "اقليم",
    "منطقه",
    "مدينه",
    "وزاره",
    "حكومه",
    "مجلس",
    "هيئه",
    "لجنه",
    "جامعه",
    "حزب",
    "حركه",
    "جبهه",
    "منظمه",
    "جمعيه",
    "اتحاد",
    "مكتب",
    "ادارة",
    "اداره",
    "قياده",
    "رئاسه",
    "مركز",
    "وكاله",
    "صحيفه",
    "قناه",
    "شركه",
    "مؤسسه",
    "برلمان",
}
# Entities found in text get ids under a folder named after their class.
_MINTED_TYPES = {
    "person": "Person",
    "org": "Organization",
    "armed": "ArmedGroup",
    "group": "Group",
    "place": "Place",
}
_FOLDER_OF = {v: k for k, v in _MINTED_TYPES.items()}
# Definite adjectives that follow a head word without naming anything.
_GENERIC_ADJECTIVES = {
    "الجديد",
    "الجديده",
    "الاخير",
    "الاخيره",
    "المذكور",
    "المذكوره",
    "نفسه",
    "نفسها",
    "الحدوديه",
    "العسكري",
    "العسكريه",
    "الامنيه",
    "المحليه",
    "الدوليه",
    "الوطني",
    "المسلحه",
    "الاولي",
    "الثانيه",
    "الكبري",
    "الرئيسي",
    "الرئيسيه",
    "الشمالي",
    "الجنوبي",
    "الشرقي",
    "الغربي",
    "الشماليه",
    "الجنوبيه",
    "الشرقيه",
    "الغربيه",
    "المجاوره",
    "المحاصره",
    "الحاكم",
    "المعارض",
    "المعارضه",
    "الخاصه",
    "العامه",
    "الاخري",
    "السابق",
    "السابقه",
    "الحالي",
    "الحاليه",
    "المقبل",
    "المقبله",
    "الماضي",
    "الماضيه",
}
# Violence is recorded even when its author is unnamed, against this gazetteer node.
UNKNOWN_AGENT = "unknown-perpetrator"
_VIOLENT = {"attacks", "kills", "executes"}
_NUMBER_WORDS = {
    "ثلاثه",
    "اربعه",
    "خمسه",
    "سته",
    "سبعه",
    "ثمانيه",
    "تسعه",
    "عشره",
    "عشرات",
    "مئات",
    "الاف",
    "عدد",
    "عددا",
    "اثنين",
    "اثنان",
    "احد",
    "جميع",
    "نحو",
    "حوالي",
    "قرابه",
    "اكثر",
    "اقل",
}
# Names that begin with و; any other word that does is a conjunction and a new phrase.
_WAW_NAMES = {"وليد", "وائل", "وحيد", "وسام", "وفيق", "وديع", "وجدي", "وصفي", "وهيب", "وضاح"}
_COUNTERPART = {"نظير", "نظيره", "نظيرها", "نظيريه", "نظراءه", "نظرائه"}
_QUOTE_TOKENS = {'"', "'", "“", "”", "«", "»"}
_CLAUSE_WORDS = {
    "فيما",
    "بينما",
    "لكن",
    "ولكن",
    "عندما",
    "بعدما",
    "حين",
    "حينما",
    "وفيما",
    "وبينما",
}
_NEG_PARTICLES = {"لا", "لن", "لم", "ليس", "ليست", "لسنا", "دون", "بدون", "عدم", "غير"}
_ROMAN = dict(
    zip(
        "ابتثجحخدذرزسشصضطظعغفقكلمنهويءئؤة",
        [
            "a",
            "b",
            "t",
            "th",
            "j",
            "h",
            "kh",
            "d",
            "dh",
            "r",
            "z",
            "s",
            "sh",
            "s",
            "d",
            "t",
            "z",
            "",
            "gh",
            "f",
            "q",
            "k",
            "l",
            "m",
            "n",
            "h",
            "w",
            "y",
            "",
            "",
            "",
            "a",
        ],
        strict=True,
    )
)


def romanize(text: str) -> str:
    """A rough ASCII transcription of normalized Arabic, for readable IRIs.

    >>> romanize("وليد المعلم")
    'wlyd-almlm'
    """
    return slugify("".join(_ROMAN.get(ch, ch) for ch in normalize(text)))


@dataclass
class _Doc:
    """Per-article working state: names found so far and their order."""

    article: Article
    sents: list[Sentence]
    extra: dict[tuple[str, ...], tuple[str, bool]] = field(default_factory=dict)
    new_entities: dict[str, Entity] = field(default_factory=dict)
    surface: dict[str, set[str]] = field(default_factory=dict)
    order: list[tuple[int, str]] = field(default_factory=list)  # (char offset, entity) of mentions


@dataclass
class _Clause:
    """One sentence being read: tokens, mentions, and which tokens are used up."""

    sent: Sentence
    mentions: list[Mention]
    consumed: set[int] = field(default_factory=set)  # token indices of titles and roles

    def mention_at(self, tok: int) -> Mention | None:
        return next((m for m in self.mentions if m.first <= tok <= m.last), None)


class LexiconExtractor:
    """Gazetteer + triggers + word order. ``extract(article) -> list[Statement]``."""

    name = "lexicon"

    def __init__(
        self,
        *,
        gazetteer: Gazetteer | None = None,
        triggers: TriggerLexicon | None = None,
        window: int = 12,
    ) -> None:
        self.gaz = gazetteer or load_gazetteer()
        self.lex = triggers or load_triggers()
        self.window = window

    # -- public API ----------------------------------------------------------
    def pipe(self, articles: Iterable[Article]) -> Iterator[tuple[Article, list[Statement]]]:
        """Stream (article, statements) pairs."""
        for article in articles:
            yield article, self.extract(article)

    def extract(self, article: Article) -> list[Statement]:
        """All statements of one article, each with its evidence sentence."""
        doc, clauses = self._read(article)
        stmts: dict[tuple, Statement] = {}
        for clause in clauses:
            for stmt in [*self._roles(doc, clause), *self._relations(doc, clause)]:
                key = _key(stmt, self.lex.relations)
                if key not in stmts or stmts[key].confidence < stmt.confidence:
                    stmts[key] = stmt
        return [self._with_entities(doc, s) for s in stmts.values()]

    def mentions(self, article: Article) -> list[tuple[Sentence, list[Mention]]]:
        """Each sentence with its entity mentions (gazetteer, titled people, references)."""
        _doc, clauses = self._read(article)
        return [(c.sent, c.mentions) for c in clauses]

    def entity(self, eid: str, article: Article | None = None) -> Entity | None:
        """The gazetteer entity ``eid`` (people found in text are known only per article)."""
        return self.gaz.entities.get(eid)

    def _read(self, article: Article) -> tuple[_Doc, list[_Clause]]:
        doc = _Doc(article, split_sentences(article.text))
        for sent in doc.sents:
            mentions = self.gaz.find_mentions(sent)
            self._find_people(doc, sent, mentions)
            self._find_headed_names(doc, sent, mentions)
        clauses = []
        for sent in doc.sents:
            mentions = self.gaz.find_mentions(sent, doc.extra)
            clauses.append(_Clause(sent, mentions))
            doc.order.extend((m.start, m.entity) for m in mentions if not m.hidden)
        for clause in clauses:
            self._resolve_anaphora(doc, clause)
            clause.mentions = _drop_modifiers(clause.mentions)
            for m in clause.mentions:
                if not m.hidden:
                    doc.surface.setdefault(m.entity, set()).add(m.text)
        return doc, clauses

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
            if not words:
                continue
            first_tok = toks[i]
            stem = next(s for _p, s in strip_clitics(first_tok.norm) if s in self.gaz.head_words)
            key = (stem, *[toks[k].norm for k in words])
            name = " ".join(key)
            eid = f"{_FOLDER_OF[cls]}/{romanize(name) or 'x'}-{_short_hash(name)}"
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
        quoted = j < len(toks) and toks[j].norm in _QUOTE_TOKENS
        if quoted:
            j += 1
        while j < len(toks) and len(words) < 4:
            word = toks[j].norm
            if quoted and word in _QUOTE_TOKENS:
                break
            # «حزب العدالة والتنمية»: a conjunction inside a definite name
            inner_and = word.startswith("وال") and words and toks[words[-1]].norm.startswith("ال")
            if any(m.first <= j <= m.last for m in mentions):
                break
            if not (_is_name_word(word) or inner_and and word.isalpha()):
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
                    break
            words.append(j)
            j += 1
        if words and all(toks[k].norm in _GENERIC_ADJECTIVES for k in words):
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
            _rel, name_first, name_last, _aff, person = title
            if person is not None:
                continue
            words = [t.norm for t in toks[name_first : name_last + 1]]
            eid = (
                "person/" + (romanize(" ".join(words)) or "x") + "-" + _short_hash(" ".join(words))
            )
            label = sent.text[
                toks[name_first].start - sent.start : toks[name_last].end - sent.start
            ]
            doc.new_entities.setdefault(eid, Entity(eid, "Person", label_ar=label))
            doc.extra.setdefault(tuple(words), (eid, False))
            if len(words) >= 2 and len(words[-1]) >= 3 and words[-1] not in _STOP:
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
                if self._type(m.entity) == "Person":
                    return title.relation, j, m.last, affiliation, m
                affiliation = affiliation or m  # «السفير الأميركي في بيروت»: the first
                j = m.last + 1
                continue
            word = _stem(toks[j].norm)
            nxt_named = any(m.first == j + 1 for m in mentions)
            if (
                word.startswith("ال")
                and word not in _STOP
                or word in {"باسم", "لشؤون", "شؤون"} | _INSTITUTION_NOUNS
                or word == "في"
                and nxt_named  # «السفير الأميركي في بيروت»
                or word in _RANKS
                or self._is_title(toks, j)
            ):
                j += 1
                continue
            break
        names: list[int] = []
        while j < len(toks) and len(names) < 4:
            word = toks[j].norm
            if (
                not _is_name_word(word)
                or any(m.first == j for m in mentions)
                or _stem(word) in _MEMBER_HEADS
                or self.lex.match(toks, j)
                or any(
                    self.lex.cue_at(toks, j, c) is not None for c in ("lightVerbs", "reportCues")
                )
            ):
                break
            if word.startswith("و") and word not in _WAW_NAMES:
                break
            names.append(j)
            particles = sum(toks[k].norm in _NAME_PARTICLES for k in names)
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
                if _is_name_word(toks[k].norm) and not any(m.first <= k <= m.last for m in mentions)
            ]
            if len(later) == 2:
                names = later
        if not names or _noun_phrase([toks[k].norm for k in names]):
            return None
        return title.relation, names[0], names[-1], affiliation, None

    def _is_title(self, toks: Sequence[Token], k: int) -> bool:
        found = self.lex.match(toks, k)
        return bool(found) and any(t.kind == "title" for t in found[2])

    def _third_name_word(self, toks: Sequence[Token], k: int, mentions: list[Mention]) -> bool:
        """A third name word only when a boundary follows it (not a verb or a noun phrase)."""
        if k >= len(toks) or any(m.first <= k <= m.last for m in mentions):
            return False
        word = toks[k].norm
        if not _is_name_word(word) or word[:1] in "وتيس" or self._is_title(toks, k):
            return False
        nxt = toks[k + 1].norm if k + 1 < len(toks) else ""
        return (
            not nxt
            or not nxt[:1].isalpha()
            or nxt in _STOP
            or nxt.startswith("و")
            or any(m.first == k + 1 for m in mentions)
        )

    def _roles(self, doc: _Doc, clause: _Clause) -> Iterator[Statement]:
        toks = clause.sent.tokens
        skip_to = 0
        for i in range(len(toks)):
            if i < skip_to:  # «النائب الثاني للرئيس السوداني …»: the first title decides
                continue
            title = self._title_at(toks, i, clause.mentions)
            if title is None:
                yield from self._apposition(doc, clause, i)
                continue
            rel, name_first, _name_last, affiliation, _person = title
            skip_to = name_first
            rel = self._counterpart_relation(toks, i, rel)
            person = clause.mention_at(name_first)
            if affiliation is not None:  # the person stays a possible argument
                clause.consumed.update(range(affiliation.first, affiliation.last + 1))
            clause.consumed.update(range(i, name_first))
            if person is None or affiliation is None or person.entity == affiliation.entity:
                continue
            if self._type(affiliation.entity) in {"Place", "Person", ""}:
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
        if not any(s in _COUNTERPART for _p, s in strip_clitics(toks[i].norm)):
            return rel
        for k in range(i - 1, -1, -1):
            found = self.lex.match(toks, k)
            title = next((t for t in found.triggers if t.kind == "title"), None) if found else None
            if title is not None and not any(
                s in _COUNTERPART for _p, s in strip_clitics(toks[k].norm)
            ):
                return title.relation
        return rel

    def _apposition(self, doc: _Doc, clause: _Clause, i: int) -> Iterator[Statement]:
        """«أبو بكر البغدادي، زعيم تنظيم داعش»: a title after a person's name."""
        toks = clause.sent.tokens
        if i < 2 or toks[i - 1].norm not in {"،", ","} or not self._is_title(toks, i):
            return
        person = next((m for m in clause.mentions if m.last == i - 2), None)
        if person is None or self._type(person.entity) != "Person":
            return
        found = self.lex.match(toks, i)
        rel = next(t.relation for t in found.triggers if t.kind == "title")
        for j in range(found.last + 1, min(found.last + 5, len(toks))):
            m = clause.mention_at(j)
            if m is not None:
                if m.entity != person.entity and self._type(m.entity) != "Person":
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
            word = _stem(toks[j].norm)
            if not (word.startswith("ال") or word in _INSTITUTION_NOUNS or word in {"في", "باسم"}):
                return

    # -- reference -------------------------------------------------------------
    def _resolve_anaphora(self, doc: _Doc, clause: _Clause) -> None:
        """Add mentions for «التنظيم», «الجيش» … (head nouns) and «الأخير»."""
        toks, added = clause.sent.tokens, []
        for i, tok in enumerate(toks):
            if clause.mention_at(i) is not None:
                continue
            for prefix, stem in strip_clitics(tok.norm):
                target = None
                if stem in self.gaz.head_nouns:
                    target = _nearest(doc.order, tok.start, set(self.gaz.head_nouns[stem]))
                elif (
                    stem in _ANAPHORA_LATTER
                    and i > 0
                    and not (toks[i - 1].norm.startswith("ال") or toks[i - 1].norm.endswith("ها"))
                ):
                    target = _latest_actor(doc.order, tok.start, self._is_actor)
                if target:
                    start = tok.start + len(prefix)
                    added.append(Mention(start, tok.end, tok.text[len(prefix) :], target, i, i))
                    break
        clause.mentions = sorted(clause.mentions + added, key=lambda m: m.first)

    def _is_actor(self, eid: str) -> bool:
        return self._type(eid) not in {"Place", ""}

    def _type(self, eid: str) -> str:
        ent = self.gaz.entities.get(eid)
        return ent.type if ent else _MINTED_TYPES.get(eid.split("/", 1)[0], "")

    # -- relations ---------------------------------------------------------------
    def _relations(self, doc: _Doc, clause: _Clause) -> Iterator[Statement]:
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
            for trig in trigs:
                yield from self._arguments(doc, clause, trig, i, found)
            i = found.last + 1

    def _inside_names(self, doc: _Doc, clause: _Clause) -> Iterator[Statement]:
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
                j = found.last + 1
                if j <= m.last and toks[j].norm == "من":
                    j += 1
                inner = self.gaz._match_at(toks, j, None) if j <= m.last else None
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
                if m.last < a and a - m.last <= self.window and not _crosses_break(toks, m.last, a)
            ]
            after = [
                m
                for m in usable
                if m.first > b
                and m.first - b <= self.window
                and not _crosses_break(toks, b, m.first)
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
        preps = _preps(clause)
        toks = clause.sent.tokens
        if trig.kind == "passive":  # «X المدعومة من Y»: agent after, patient before
            patients = [m for m in before if not m.hidden and _modifies(toks, m, a)]
            if not after or not patients or after[0].first - b > 3:
                return []
            agents = [after[0], *_conjuncts(clause, after[0])]
            return [(ag, patients[0], _conf(0.85, patients[0].last, a)) for ag in agents]
        nisba = after[0] if after and after[0].hidden and after[0].first - b <= 2 else None
        before = [m for m in before if not m.hidden]
        after = [m for m in after if not m.hidden]
        # «بين X و Y»: the two parties of talks, a deal, a war, a mediation
        if "بين" in rel.markers:
            x = next((m for m in after[:2] if preps[id(m)] == "بين"), None)
            y = _second_party(clause, x) if x is not None else None
            if y is not None:
                if rel.symmetric:
                    return [(x, y, _conf(0.85, b, x.first))]
                agent = nisba or next((m for m in before if preps[id(m)] is None), None)
                return [(agent, x, 0.75), (agent, y, 0.75)] if agent is not None else []
        if trig.kind == "participle":  # «تركيا الداعمة للمعارضة»: describes the name before
            if not before or not _modifies(toks, before[0], a):
                return []
            pairs = self._assign_verb(clause, rel, match, a, b, before[:1], after, None, preps)
        elif trig.kind == "noun" or match.definite:
            pairs = self._assign_noun(clause, rel, match, a, b, before, after, nisba, preps)
        else:
            pairs = self._assign_verb(clause, rel, match, a, b, before, after, nisba, preps)
        return _ungap(clause, pairs, preps)

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
        relative = _relative_before(toks, a)
        if relative is not None:
            antecedent = self._antecedent(clause, relative)
            rest = [m for m in after if preps[id(m)] is None]
            if antecedent is not None and rest:
                subj, obj = (rest[0], antecedent) if match.suffix else (antecedent, None)
            elif match.suffix:  # «… الذي تقوده الولايات المتحدة»: the object is not a name
                return []
        if subj is None:
            direct_after = [m for m in after if preps[id(m)] is None]
            if before and a - before[0].last <= 3 and preps[id(before[0])] is None:
                subj = before[0]
            elif nisba is not None:
                subj = nisba
            elif (
                direct_after and _numbered(toks, b, direct_after[0].first) and rel.name in _VIOLENT
            ):
                return []  # «قتل ثلاثة جنود»: the victims, not the killers (see _unknown_agent)
            elif direct_after and _adjacent(toks, b, direct_after[0].first):
                subj = direct_after[0]
            elif any(self._free_subject(toks, m, a, preps) for m in before):
                subj, conf = next(m for m in before if self._free_subject(toks, m, a, preps)), 0.55
        if subj is None:
            return []
        if obj is None and match.suffix and subj not in after:  # «القوات الأمريكية اعتقلتها»
            obj = self._pronoun_antecedent(clause, a, subj)
            return _expand(clause, subj, obj, 0.45) if obj is not None else []
        if obj is None:
            start = subj.last if subj in after else b
            if _dangling_marker(toks, start, markers, clause.mentions):
                return []
            later = [m for m in after if m.first > start]
            with_marker = [m for m in later if preps[id(m)] in markers and m.first - start <= 4]
            direct = [
                m
                for m in later
                if preps[id(m)] is None
                and m not in _conjuncts(clause, subj)
                and not _preposition_between(toks, start, m.first)
            ]
            if rel.needs_marker:
                direct = []
            candidates = [
                m for m in (with_marker or direct) if self._types_ok(rel, subj.entity, m.entity)
            ]
            if direct and direct[0].first == start + 1:  # the object right after the verb
                candidates = [direct[0], *candidates]
            if candidates:
                obj = candidates[0]
                conf = min(conf, _conf(conf, b, obj.first))
            elif rel.symmetric and _conjuncts(clause, _coordination_head(clause, subj)):
                group = [_coordination_head(clause, subj)]
                group += _conjuncts(clause, group[0])
                return [(x, y, 0.75) for k, x in enumerate(group) for y in group[k + 1 :]]
            elif match.suffix or _has_pronoun_object(toks, b):
                obj, conf = self._pronoun_antecedent(clause, a, subj), 0.4
        if obj is None:
            return []
        return _expand(clause, subj, obj, conf)

    def _assign_noun(self, clause, rel, match, a, b, before, after, nisba, preps):
        """A verbal noun: agent by adjective, genitive, «الذي تقدمه X» or context."""
        toks = clause.sent.tokens
        markers = set(rel.markers) - {"بين"}
        genitive = next((m for m in after if m.first == b + 1 and preps[id(m)] is None), None)
        marked = next(
            (
                m
                for m in after
                if preps[id(m)] in markers and (genitive is None or m.first > genitive.last)
            ),
            None,
        )
        agent, conf = nisba, 0.85
        if agent is None:
            agent = _relative_agent(toks, b, after, preps)
        by_agent = _agent_by(toks, b, after) if agent is None else None
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
            return _expand(clause, agent, obj, 0.75)
        if agent is None and match.suffix:  # «انسحابه»: the suffix is the agent
            agent, conf = self._pronoun_antecedent(clause, a, None), 0.5
        if agent is None and before and _noun_agent_before(toks, before[0], a, preps):
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
            if not candidates:
                return []
            agent, conf = candidates[0], 0.5
        obj = marked or (genitive if genitive is not agent else None)
        head = _coordination_head(clause, agent)
        group = [head, *_conjuncts(clause, head)]
        if _preposition_between(toks, group[-1].last, a):  # «سيشاركون في المحادثات»: not mutual
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
        return _expand(clause, agent, obj, min(conf, _conf(conf, b, obj.first)))

    def _after_light_verb(self, toks: Sequence[Token], a: int) -> bool:
        """Does a light verb (أجرى، شن، عقد …) govern the verbal noun at ``a``?"""
        return any(
            self.lex.cue_at(toks, k, "lightVerbs") is not None for k in range(max(0, a - 7), a)
        )

    def _pronoun_antecedent(self, clause: _Clause, a: int, subj: Mention | None):
        """The actor a pronoun suffix points back to: the nearest one before, not the subject."""
        for m in reversed(clause.mentions):
            if m.last >= a or m.hidden or m is subj:
                continue
            if (subj is None or m.entity != subj.entity) and self._is_actor(m.entity):
                return m
        return None

    def _antecedent(self, clause: _Clause, rel_tok: int) -> Mention | None:
        """What a relative pronoun refers to; «والذي» continues an earlier relative clause."""
        toks = clause.sent.tokens
        if toks[rel_tok].norm.startswith("و"):
            earlier = _relative_before(toks, rel_tok, anywhere=True)
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

    def _speaker(self, clause: _Clause, a: int) -> Mention | None:
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
                and _prep(toks, m) is None
            ]
            people = [m for m in near if self._type(m.entity) == "Person"]
            if people:
                return people[0]
            return near[0] if near and near[0].first <= end + 4 else None
        return None

    def _unknown_agent(self, clause: _Clause, rel: Relation, a: int, b: int, after, *, noun):
        """«قتل ثلاثة جنود», «غارة على مدينة إدلب»: violence whose author the sentence
        does not name is still recorded, against an unknown perpetrator, at low confidence."""
        toks = clause.sent.tokens
        preps = _preps(clause)
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
                agent = self._instrument_agent(clause, victim.last)
                if agent is not None and agent.entity != victim.entity:
                    return [(agent, victim, 0.6)]
                unknown = Mention(
                    toks[a].start, toks[a].start, "", UNKNOWN_AGENT, a, a, hidden=True
                )
                return [(unknown, victim, 0.4)]
        target = next(
            (
                m
                for m in after
                if not m.hidden
                and m.first - b <= 4
                and preps[id(m)] in allowed
                and not _preposition_between(toks, b, m.first - 1)
            ),
            None,
        )
        if target is None:
            return []
        if preps[id(target)] == "في" and self._type(target.entity) != "Place":
            return []
        if preps[id(target)] is None and not (noun and target.first == b + 1):
            # after a verb, an unmarked name is its subject unless it is counted, or unless
            # an attack noun is the subject: «استهدفت غارة جوية مدينة إدلب»
            attack_subject = any(
                (m := self.lex.match(toks, k)) and any(t.relation in _VIOLENT for t in m.triggers)
                for k in range(b + 1, target.first)
            )
            if noun or not (_numbered(toks, b, target.first) or attack_subject):
                return []
        agent = self._instrument_agent(clause, b)
        if agent is not None and agent.entity != target.entity:  # «… في غارة أميركية»
            return [(agent, target, 0.6)]
        agent = Mention(toks[a].start, toks[a].start, "", UNKNOWN_AGENT, a, a, hidden=True)
        return [(agent, target, 0.4)]

    def _instrument_agent(self, clause: _Clause, b: int) -> Mention | None:
        """The author named by the weapon: «قتل … في غارة أميركية», «بقصف لطيران النظام»."""
        toks = clause.sent.tokens
        for k in range(b + 1, min(b + 14, len(toks))):
            if toks[k].norm in _CLAUSE_BREAKS or toks[k].norm in _CLAUSE_WORDS:
                return None
            found = self.lex.match(toks, k)
            if not found or not any(t.relation == "attacks" for t in found.triggers):
                continue
            preps = _preps(clause)
            for m in clause.mentions:
                if m.hidden and found.last < m.first <= found.last + 2:
                    return m  # «غارة أميركية»
                if m.first == found.last + 1 and preps[id(m)] in (None, "ل"):
                    return m  # «غارات التحالف», «بقصف لتنظيم داعش»
            return None
        return None

    def _source_after(self, clause: _Clause, b: int) -> Mention | None:
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
        for i in range(a - 1, max(-1, a - 9), -1):
            if toks[i].norm in _CLAUSE_BREAKS or toks[i].norm in {"،", ",", ".", "؟"}:
                return False
            end = self.lex.cue_at(toks, i, "negationCues")
            if end is None or end >= a:
                continue
            if a - i > 4 and _stem(toks[i].norm) in _NEG_PARTICLES:  # particles negate what is near
                continue
            if end + 1 < len(toks) and _stem(toks[end + 1].norm) in _NOT_NEGATION_AFTER:
                continue
            return True
        return False

    def _cue_before(self, toks, a: int, cue: str, window: int) -> bool:
        return any(self.lex.cue_at(toks, i, cue) is not None for i in range(max(0, a - window), a))

    def _types_ok(self, rel: Relation, subj: str, obj: str) -> bool:
        st, ot = self._type(subj), self._type(obj)
        if st == "Place":
            return False
        if rel.object_classes:
            return ot in rel.object_classes
        return ot != "Place" or rel.family == "violence"

    # -- output -------------------------------------------------------------------
    def _statement(
        self,
        doc: _Doc,
        clause: _Clause,
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

    def _with_entities(self, doc: _Doc, stmt: Statement) -> Statement:
        ids = [stmt.subject, stmt.object] + ([stmt.attributed_to] if stmt.attributed_to else [])
        ents = []
        for eid in ids:
            ent = self.gaz.entities.get(eid) or doc.new_entities[eid]
            seen = tuple(sorted(doc.surface.get(eid, ())))
            ents.append(replace(ent, alt_labels=tuple(dict.fromkeys(ent.alt_labels + seen))))
        return replace(stmt, entities=tuple(ents))


# --- small pure helpers ----------------------------------------------------------
def _stem(word: str) -> str:
    return strip_clitics(word)[-1][1] if word[:1] in "وف" else word


def _short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:6]


def _noun_phrase(words: list[str]) -> bool:
    """Two definite words in a row agree like noun and adjective («الشؤون الخارجية»): no name."""
    return any(
        a.startswith("ال") and b.startswith("ال") for a, b in zip(words, words[1:], strict=False)
    )


def _is_name_word(word: str) -> bool:
    return (
        len(word) >= 2
        and word.isalpha()
        and word not in _STOP
        and word not in _RANKS
        and word not in _INSTITUTION_NOUNS
        and not word.endswith("ًا")
        and not word.startswith(("وال", "بال", "لل"))
    )


def _noun_agent_before(toks: Sequence[Token], m: Mention, a: int, preps) -> bool:
    """«تجري واشنطن محادثات»: a name just before a verbal noun is its agent, unless a
    preposition or particle stands between («الأكراد بعد الحرب»)."""
    if preps[id(m)] is not None or a - m.last > 2:
        return False
    if any(t.norm in _STOP or t.norm in _PREPOSITIONS for t in toks[m.last + 1 : a]):
        return False
    return True


def _prep(toks: Sequence[Token], m: Mention) -> str | None:
    """The preposition governing a mention: a word before it or a letter on it.

    Location and member nouns in between are skipped: «في شمال سوريا», «بريف حلب»,
    «من عناصر البيشمركة».
    """
    k = m.first - 1
    while k >= 0:
        readings = strip_clitics(toks[k].norm)
        skip = next((p for p, stem in readings if stem in _LOCATION_NOUNS | _MEMBER_HEADS), None)
        if skip is None:
            break
        if skip.lstrip("وف")[:1] in _LETTER_PREPS:
            return skip.lstrip("وف")[:1]
        k -= 1
    if k >= 0:
        prev = toks[k].norm
        if prev == "من" and k > 0 and _stem(toks[k - 1].norm) == "كل":  # «كل من X و Y»: both
            return None
        if prev in _PREPOSITIONS:
            return prev
        if prev.startswith("و") and prev[1:] in _PREPOSITIONS:
            return prev[1:]
    head = toks[m.first]
    letters = normalize(head.text[: m.start - head.start]).lstrip("وف")
    if letters[:1] in _LETTER_PREPS:
        return letters[:1]
    return None


def _kind(eid: str) -> str:
    """Coarse kind for coordination: people with people, places with places."""
    ent = load_gazetteer().entities.get(eid)
    kind = ent.type if ent else _MINTED_TYPES.get(eid.split("/", 1)[0], "")
    return kind if kind in {"Person", "Place"} else "Actor"


def _preps(clause: _Clause) -> dict[int, str | None]:
    """Each mention's preposition; a conjunct shares its head's: «بين سوريا والعراق»."""
    out: dict[int, str | None] = {}
    for m in clause.mentions:
        out.setdefault(id(m), _prep(clause.sent.tokens, m))
        for c in _conjuncts(clause, m):
            out[id(c)] = out[id(m)]
    return out


def _expand(clause: _Clause, subj: Mention, obj: Mention, conf: float):
    """All subject/object pairs over coordination: «روسيا وإيران تدعمان X و Y»."""
    subj = _coordination_head(clause, subj)
    subjects = [subj, *_conjuncts(clause, subj)]
    objects = [obj, *_conjuncts(clause, obj)]
    return [(s, o, conf) for s in subjects for o in objects if s is not o]


def _ungap(clause: _Clause, pairs, preps):
    """«دعم تقدمه واشنطن لقسد، وروسيا للنظام»: a conjunct followed by its own object."""
    out = []
    for subj, obj, conf in pairs:
        nxt = next((m for m in clause.mentions if m.first > obj.last), None)
        head_obj = next(
            (o for s, o, _c in pairs if s is subj and obj in _conjuncts(clause, o)), None
        )
        if (
            head_obj is not None
            and nxt is not None
            and nxt.first - obj.last <= 1
            and preps[id(nxt)] is not None
            and preps[id(nxt)] == preps[id(head_obj)]
        ):
            out.append((obj, nxt, min(conf, 0.7)))
        else:
            out.append((subj, obj, conf))
    return out


def _adjacent(toks: Sequence[Token], b: int, first: int) -> bool:
    """Does a name at ``first`` follow the verb at ``b`` directly (a time word may intervene)?"""
    between = [_stem(t.norm) for t in toks[b + 1 : first]]
    ok = _STOP | _QUOTE_TOKENS | _MEMBER_HEADS
    return all(w in ok for w in between) and len(between) <= 2


def _modifies(toks: Sequence[Token], m: Mention, a: int) -> bool:
    """Is the name at ``m`` the head a participle at ``a`` describes (only adjectives between)?"""
    between = toks[m.last + 1 : a]
    return len(between) <= 2 and all(
        t.norm.startswith("ال") or t.norm in {"،", ","} for t in between
    )


def _numbered(toks: Sequence[Token], b: int, first: int) -> bool:
    """Is a counted noun between the verb and the name («قتل 5 من عناصر …», «ثلاثة جنود»)?"""
    if first - b > 4:
        return False
    between = toks[b + 1 : first + 1]
    return any(t.norm.isdigit() or _stem(t.norm) in _NUMBER_WORDS for t in between)


def _preposition_between(toks: Sequence[Token], lo: int, hi: int) -> bool:
    """A preposition between a verb and a name puts the name in another phrase."""
    return any(t.norm in _PREPOSITIONS for t in toks[lo + 1 : hi])


def _second_party(clause: _Clause, x: Mention) -> Mention | None:
    """Y in «بين X و Y», also across a modifier: «بين الجيش بقيادة البرهان والدعم السريع»."""
    toks = clause.sent.tokens
    side = _other_side(toks, x.last)
    for m in clause.mentions:
        if m.first <= x.last or m.hidden or side is not None and m.first < side:
            continue
        if m.first - x.last > 6 and side is None:
            return None
        own_wa = toks[m.first].norm.startswith("و") and m.start > toks[m.first].start
        k = m.first - 1
        while k > x.last and toks[k].norm in _QUOTE_TOKENS:  # و"داعش"
            k -= 1
        wa_head = toks[k].norm.startswith("و") and len(toks[k].norm) > 2
        if own_wa or wa_head or toks[k].norm == "و":
            return m
    return None


def _agent_by(toks: Sequence[Token], b: int, after) -> Mention | None:
    """The agent of a verbal noun given by «من قبل X», «من جانب X», «على يد X»."""
    for k in range(b + 1, min(b + 5, len(toks) - 1)):
        pair = (toks[k].norm, toks[k + 1].norm)
        if pair in {("من", "قبل"), ("من", "جانب"), ("علي", "يد"), ("علي", "ايدي")}:
            return next((m for m in after if k + 1 < m.first <= k + 3 and not m.hidden), None)
    return None


def _other_side(toks: Sequence[Token], start: int) -> int | None:
    """«بين النظام وحزب الله من جهة وجبهة النصرة من جهة أخرى»: where the second side begins."""
    for k in range(start + 1, min(start + 10, len(toks) - 1)):
        if toks[k].norm == "من" and _stem(toks[k + 1].norm) == "جهه":
            return k + 2
    return None


def _relative_agent(toks, b, after, preps) -> Mention | None:
    """«الدعم الذي تقدمه الولايات المتحدة»: the agent of a relative clause on the noun."""
    for k in (b + 1, b + 2):
        if k < len(toks) and toks[k].norm in _RELATIVE:
            return next(
                (m for m in after if k + 1 < m.first <= k + 3 and preps[id(m)] is None), None
            )
    return None


def _dangling_marker(toks, start: int, markers: set[str], mentions) -> bool:
    """A marker right after the verb whose object is not a name («استولت على “نافورة السلام”»)."""
    for k in range(start + 1, min(start + 3, len(toks))):
        if any(m.first <= k <= m.last for m in mentions):
            return False
        marked = toks[k].norm in markers or any(
            p.lstrip("وف")[:1] in markers for p, _s in strip_clitics(toks[k].norm)[1:]
        )
        if marked:  # «تنضم بريطانيا الآن للضربات …»: the marked word is no name
            return toks[k].norm not in markers or not any(k < m.first <= k + 2 for m in mentions)
    return False


def _coordination_head(clause: _Clause, m: Mention) -> Mention:
    """The first of a run of coordinated mentions ending with ``m``: «روسيا» in «روسيا وإيران»."""
    for p in clause.mentions:
        if p.last < m.first and m in _conjuncts(clause, p):
            return p
    return m


def _conjuncts(clause: _Clause, m: Mention) -> list[Mention]:
    """Mentions coordinated with ``m`` by «و» right after it: «روسيا وإيران»."""
    out, cur = [], m
    toks = clause.sent.tokens
    while True:
        nxt = next((x for x in clause.mentions if x.first > cur.last), None)
        if nxt is None or nxt.first - cur.last > 2:
            return out
        gap = [t.norm for t in toks[cur.last + 1 : nxt.first]]
        starts_with_wa = toks[nxt.first].norm.startswith("و") and nxt.start > toks[nxt.first].start
        if not (starts_with_wa and not gap) and gap != ["و"]:  # «حلفاء دمشق، وتركيا» is no list
            return out
        if nxt.hidden or _kind(nxt.entity) != _kind(m.entity):
            return out
        out.append(nxt)
        cur = nxt


def _relative_before(toks: Sequence[Token], a: int, *, anywhere: bool = False) -> int | None:
    lo = 0 if anywhere else max(0, a - 2)
    for i in range(a - 1, lo - 1, -1):
        word = toks[i].norm
        if word in _RELATIVE or (word.startswith("و") and word[1:] in _RELATIVE):
            return i
    return None


def _crosses_break(toks: Sequence[Token], lo: int, hi: int) -> bool:
    """Is there a clause boundary (punctuation or «فيما», «بينما» …) between two tokens?"""
    return any(t.norm in _CLAUSE_BREAKS or t.norm in _CLAUSE_WORDS for t in toks[lo + 1 : hi])


def _has_pronoun_object(toks: Sequence[Token], b: int) -> bool:
    """Does the word after the trigger end in a pronoun («مواكبهم»), not in ة?"""
    if b + 1 >= len(toks):
        return False
    raw = [ch for ch in toks[b + 1].text if normalize(ch)]
    return len(raw) > 4 and raw[-1] != "ة" and toks[b + 1].norm.endswith(_PRONOUN_SUFFIXES)


def _conf(base: float, lo: int, hi: int) -> float:
    return max(0.3, base - 0.03 * max(0, abs(hi - lo) - 3))


def _drop_modifiers(mentions: list[Mention]) -> list[Mention]:
    """A relational adjective right after a name modifies it: «حزب الله اللبناني»."""
    out: list[Mention] = []
    for m in mentions:
        if m.hidden and out and m.first == out[-1].last + 1:
            continue
        out.append(m)
    return out


def _nearest(order: list[tuple[int, str]], pos: int, candidates: set[str]) -> str | None:
    earlier = [e for p, e in order if p < pos and e in candidates]
    if earlier:
        return earlier[-1]
    return next((e for p, e in order if p > pos and e in candidates), None)


def _latest_actor(order, pos, is_actor) -> str | None:
    earlier = [e for p, e in order if p < pos and is_actor(e)]
    return earlier[-1] if earlier else None


def _key(stmt: Statement, relations: dict[str, Relation]) -> tuple:
    s, o = stmt.subject, stmt.object
    if relations[stmt.predicate].symmetric and o < s:
        s, o = o, s
    return (s, stmt.predicate, o, stmt.negated, stmt.start)
