"""Arabic grammar for the lexicon extractor: function words, and where arguments stand.

The word lists here are grammar (prepositions, relative pronouns, particles, heads of
constructs), not lexicon: what a word *means* (triggers, actors, cues) lives in the
ontology's Turtle. The functions read one sentence's tokens and mentions.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from .entities import class_of_id
from .gazetteer import load_gazetteer
from .normalize import normalize, strip_clitics
from .types import Mention, Sentence, Token


def words(text: str) -> frozenset[str]:
    """A word list, normalized as tokens are (so «حكومة» and «حكومه» are one entry).

    >>> sorted(words("حكومة وزارة"))
    ['حكومه', 'وزاره']
    """
    return frozenset(normalize(word) for word in text.split())


PREPOSITIONS = words("الي باتجاه بين تجاه جانب ضد علي عن في لدي مع من نحو")

LETTER_PREPS = words("ب ك ل")

RELATIVE = words("التي الذي الذين اللتان اللتين اللذان اللذين اللواتي")

NOT_NEGATION_AFTER = words("بد تزال زال زالت سيما شك يزال يزالون")

RANKS = words(
    "الامير الجنرال الدكتور الرائد السيد السيده الشيخ العقيد العميد الفريق الكولونيل "
    "اللواء المشير المقدم الملازم النقيب"
)

NAME_PARTICLES = words("ابن ابو ابي ال بن دي عبد فان ولد")

STOP = words(
    "اضاف اضافت اعلن اعلنت اكد اكدت الاثنين الاحد الاربعاء الاسبق الان التي الثلاثاء "
    "الجديد الجمعه الحالي الخميس الذي السابق السبت العام الي اليوم ام امس ان انه انها "
    "او اي ايضا بعد بعض بين تلك ثم حتي حول حيث خلال داعيا ذكر ذكرت ذلك سابق صباح علي "
    "عن عند غدا غير في قائلا قال قالت قبل قد كان كانت كل كما لا لافتا لدي لقد لم لن "
    "مؤكدا ما محذرا مساء مشيرا مضيفا مطالبا مع معتبرا من منذ موضحا نفسه هذا هذه هو هي "
    "وقال وكان وهو يوم"
)

# «وزير الخارجية الإسرائيلي آنذاك أفيجدور ليبرمان»: time adverbs between a title and a name.
TITLE_ADVERBS = words("آنذاك حينها حينذاك وقتها سابقا حاليا")

# «بلاده»: the country of the official speaking.
HIS_COUNTRY = words("بلاده بلادها بلادهم بلادنا بلدي بلده دولته حكومته حكومتها")

ANAPHORA_LATTER = words("الاخير الاخيره")

PRONOUN_SUFFIXES = ("هما", "هم", "ها", "ه")

# «مواقع تابعة لتنظيم داعش»: what belongs to a name, which then is the one concerned.
BELONGING = words("تابعة التابعة تابع التابع تابعين التابعين تابعا")

# Nouns of a relation to someone: «حلفاءها» are its allies, not it («لدعم حلفائها»).
RELATIONAL_NOUNS = words("حلفاء حلفائ اعداء اعدائ خصوم شركاء شركائ انصار مؤيدي معارضي")

# Adjectives that describe an actor already named rather than another one: «التنظيم الإرهابي».
EVALUATIVE = words("الارهابي الارهابيه المتطرف المتطرفه المتشدد المتشدده المسلح المسلحه")

# Nouns of events whose genitive actor is their author, not their target: «غارات النظام».
EVENT_NOUNS = words("غارة غارات ضربة ضربات هجوم هجمات هجمة قصف حرب حملة عمليات عملية")

CLAUSE_BREAKS = words("( ) ; ؛")

# Heads of a construct that name members or arms of an actor: «مقاتلو داعش», «طائرات التحالف».
MEMBER_HEADS = words(
    "اداره الطائرات جنود جيش حكومة رؤساء رئيس رئيسا زعماء زعيم سلطات طائرات طيران "
    "عناصر عنصر فصائل قائد قادة قوات قيادات مسؤولو مسؤولي مسلحو مسلحي مقاتلات مقاتلو "
    "مقاتلي مليشيات ممثلو ممثلي ميليشيات وحدات وزارة وزاره وزراء وزير وزيرا وزيري وفد"
)

# Nouns that stand between a preposition and a place: «في شمال سوريا», «من مدينة الرقة».
LOCATION_NOUNS = words(
    "اطراف الحدود العاصمه بالقرب بلده جنوب جنوبي حدود حي خارج داخل ريف شرق شرقي شمال "
    "شمالي ضواحي عاصمه غرب غربي قرب قريه قضاء محافظه محيط مخيم مدينتي مدينه منطقه "
    "ناحيه وسط مواقع موقع مقرات مقر معاقل معقل مراكز مركز اهداف قواعد مخازن تجمعات آليات "
    "ارتال رتل مواكب حواجز حاجز نقاط"
)

# Institutional nouns inside a title, never a person's name: «أمير دولة قطر».
# (ministries too: «وزيري خارجية أمريكا وروسيا»)
INSTITUTION_NOUNS = words(
    "اتحاد ادارة اداره اقليم اماره برلمان جامعه جبهه جمعيه جمهوريه حركه حزب حكومه "
    "دوله رئاسه شركه صحيفه قناه قياده لجنه مؤسسه مجلس مدينه مركز مكتب مملكه منطقه "
    "منظمه هيئه وزاره وكاله ولايه خارجيه الخارجيه دفاع الدفاع داخليه الداخليه"
)

# Definite adjectives that follow a head word without naming anything.
GENERIC_ADJECTIVES = words(
    "الاخري الاخير الاخيره الامنيه الاولي الثانيه الجديد الجديده الجنوبي الجنوبيه "
    "الحاكم الحالي الحاليه الحدوديه الخاصه الدوليه الرئيسي الرئيسيه السابق السابقه "
    "الشرقي الشرقيه الشمالي الشماليه العامه العسكري العسكريه الغربي الغربيه الكبري "
    "الماضي الماضيه المجاوره المحاصره المحليه المذكور المذكوره المسلحه المعارض "
    "المعارضه المقبل المقبله الوطني نفسه نفسها"
)

NUMBER_WORDS = words(
    "اثنان اثنين احد اربعه اقل اكثر الاف تسعه ثلاثه ثمانيه جميع حوالي خمسه سبعه سته "
    "عدد عددا عشرات عشره قرابه مئات نحو"
)

# Names that begin with و; any other word that does is a conjunction and a new phrase.
WAW_NAMES = words("وائل وجدي وحيد وديع وسام وصفي وضاح وفيق وليد وهيب")

COUNTERPART = words("نظراءه نظرائه نظير نظيره نظيرها نظيريه")

QUOTE_TOKENS = frozenset(['"', "'", "«", "»", "“", "”"])

CLAUSE_WORDS = words("بعدما بينما حين حينما عندما فيما لكن وبينما وفيما ولكن")


@dataclass
class Clause:
    """One sentence being read: tokens, mentions, and which tokens are used up."""

    sent: Sentence
    mentions: list[Mention]
    consumed: set[int] = field(default_factory=set)  # token indices of titles and roles
    entity_type: Callable[[str], str] | None = None  # id -> class, for coordination

    @functools.cached_property
    def preps(self) -> dict[int, str | None]:
        """Each mention's governing preposition, by ``id(mention)``; read once the
        mentions are final (the relation phase)."""
        return prepositions_of(self)

    def mention_at(self, tok: int) -> Mention | None:
        return next((m for m in self.mentions if m.first <= tok <= m.last), None)


def bare_word(word: str) -> str:
    """A word without its conjunction و or ف, unless the و belongs to a word of these lists.

    >>> bare_word("وقوات"), bare_word("وزيري"), bare_word("فيما")
    ('قوات', 'وزيري', 'فيما')
    """
    if word[:1] not in "وف" or word in _known_words():
        return word
    return strip_clitics(word)[-1][1]


@functools.lru_cache(maxsize=1)
def _known_words() -> frozenset[str]:
    lists = [v for v in globals().values() if isinstance(v, frozenset)]
    return frozenset().union(*lists)


def noun_phrase(words: list[str]) -> bool:
    """Two definite words in a row agree like noun and adjective («الشؤون الخارجية»): no name."""
    return any(
        a.startswith("ال") and b.startswith("ال") for a, b in zip(words, words[1:], strict=False)
    )


def is_name_word(word: str) -> bool:
    return (
        len(word) >= 2
        and word.isalpha()
        and word not in STOP
        and word not in RANKS
        and word not in INSTITUTION_NOUNS
        and not word.endswith("ًا")
        and not word.startswith(("وال", "بال", "لل"))
    )


def noun_agent_before(toks: Sequence[Token], m: Mention, a: int, preps) -> bool:
    """«تجري واشنطن محادثات»: a name just before a verbal noun is its agent, unless a
    preposition or particle stands between («الأكراد بعد الحرب»). A partitive «من أبرز»
    or an apposition «، أبرز» is transparent: «إيران من أبرز حلفاء النظام»."""
    if preps[id(m)] is not None:
        return False
    between = [t.norm for t in toks[m.last + 1 : a]]
    if len(between) >= 2 and between[-2] in {"من", "،", ","} and is_elative(between[-1]):
        between = between[:-2]
    if len(between) > 1:
        return False
    return not any(w in STOP or w in PREPOSITIONS for w in between)


def is_elative(word: str) -> bool:
    """An elative adjective («أبرز», «أهم», «أكبر»): أفعل, normalized to افعل.

    >>> is_elative("ابرز"), is_elative("اهم"), is_elative("الجيش")
    (True, True, False)
    """
    return word.startswith("ا") and len(word) in (3, 4) and not word.startswith("ال")


def _belongs(toks: Sequence[Token], k: int) -> bool:
    """«تابعة» after a place or member noun: «مواقع تابعة لـ…», «عناصر تابعة لـ…» (after a
    name it is the memberOf trigger: «جبهة النصرة التابعة لتنظيم القاعدة»)."""
    if k < 1 or not any(stem in BELONGING for _p, stem in strip_clitics(toks[k].norm)):
        return False
    return any(is_place_or_member_noun(stem) for _p, stem in strip_clitics(toks[k - 1].norm))


def preposition_of(toks: Sequence[Token], m: Mention) -> str | None:
    """The preposition governing a mention: a word before it or a letter on it.

    Location and member nouns in between are skipped: «في شمال سوريا», «بريف حلب»,
    «من عناصر البيشمركة»; after one, a «لـ» on the name is possessive, not the
    governing preposition: «هاجم … حاجزا للجيش السوري», «مواقع تابعة لتنظيم داعش».
    """
    k = m.first - 1
    skipped = False
    while k >= 0:
        readings = strip_clitics(toks[k].norm)
        skip = next((p for p, stem in readings if is_place_or_member_noun(stem)), None)
        if skip is None and _belongs(toks, k):
            skip = ""
        if skip is None:
            break
        if skip.lstrip("وف")[:1] in LETTER_PREPS:
            return skip.lstrip("وف")[:1]
        skipped = True
        k -= 1
    if k >= 0:
        prev = toks[k].norm
        if prev == "من" and k > 0 and bare_word(toks[k - 1].norm) == "كل":  # «كل من X و Y»: both
            return None
        if prev in PREPOSITIONS:
            return prev
        if prev.startswith("و") and prev[1:] in PREPOSITIONS:
            return prev[1:]
    head = toks[m.first]
    letters = normalize(head.text[: m.start - head.start]).lstrip("وف")
    if letters[:1] in LETTER_PREPS and not (skipped and letters[:1] == "ل"):
        return letters[:1]
    return None


def is_place_or_member_noun(word: str) -> bool:
    """A location or member noun, also in the accusative: «حاجزا», «مواقع», «عناصر»."""
    nouns = LOCATION_NOUNS | MEMBER_HEADS
    return word in nouns or word.endswith("ا") and word[:-1] in nouns


def coordination_kind(eid: str, entity_type: Callable[[str], str] | None = None) -> str:
    """Coarse kind for coordination: people with people, places with places.

    ``entity_type`` gives an entity's class (the extractor's own gazetteer);
    without it the shipped gazetteer is read.
    """
    if entity_type is None:
        ent = load_gazetteer().entities.get(eid)
        kind = ent.type if ent else class_of_id(eid)
    else:
        kind = entity_type(eid)
    return kind if kind in {"Person", "Place"} else "Actor"


def prepositions_of(clause: Clause) -> dict[int, str | None]:
    """Each mention's preposition; a conjunct shares its head's: «بين سوريا والعراق»."""
    out: dict[int, str | None] = {}
    for m in clause.mentions:
        out.setdefault(id(m), preposition_of(clause.sent.tokens, m))
        for c in conjuncts(clause, m):
            out[id(c)] = out[id(m)]
    return out


def expand(clause: Clause, subj: Mention, obj: Mention, conf: float):
    """All subject/object pairs over coordination: «روسيا وإيران تدعمان X و Y»."""
    subj = coordination_head(clause, subj)
    subjects = [subj, *conjuncts(clause, subj)]
    objects = [obj, *conjuncts(clause, obj)]
    return [(s, o, conf) for s in subjects for o in objects if s is not o]


def ungap(clause: Clause, pairs, preps):
    """«دعم تقدمه واشنطن لقسد، وروسيا للنظام»: a conjunct followed by its own object."""
    out = []
    for subj, obj, conf in pairs:
        nxt = next((m for m in clause.mentions if m.first > obj.last), None)
        head_obj = next(
            (o for s, o, _c in pairs if s is subj and obj in conjuncts(clause, o)), None
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


def adjacent(toks: Sequence[Token], b: int, first: int, titled: Iterable[int] = ()) -> bool:
    """Does a name at ``first`` follow the verb at ``b`` directly? A time word or a member
    noun may intervene, and so may the ``titled`` words of a title before a person's name
    («والتقى وزير الخارجية التركي هاكان فيدان …»)."""
    titled = set(titled)
    between = [
        bare_word(t.norm) for k, t in enumerate(toks[b + 1 : first], b + 1) if k not in titled
    ]
    ok = STOP | QUOTE_TOKENS | MEMBER_HEADS
    return all(w in ok for w in between) and len(between) <= 2


def modifies(toks: Sequence[Token], m: Mention, a: int) -> bool:
    """Is the name at ``m`` the head a participle at ``a`` describes (only adjectives between)?"""
    between = toks[m.last + 1 : a]
    return len(between) <= 2 and all(
        t.norm.startswith("ال") or t.norm in {"،", ","} for t in between
    )


def numbered(toks: Sequence[Token], b: int, first: int) -> bool:
    """Is a counted noun between the verb and the name («قتل 5 من عناصر …», «ثلاثة جنود»)?"""
    if first - b > 4:
        return False
    between = toks[b + 1 : first + 1]
    return any(t.norm.isdigit() or bare_word(t.norm) in NUMBER_WORDS for t in between)


def preposition_between(
    toks: Sequence[Token], lo: int, hi: int, mentions: Sequence[Mention] = ()
) -> bool:
    """A preposition between a verb and a name puts the name in another phrase.

    A preposition whose object is a whole name before ``hi`` is passed over: in
    «هاجم مسلحون من هيئة تحرير الشام حاجزا …» the object still follows the subject.
    """
    k = lo + 1
    while k < hi:
        if toks[k].norm in PREPOSITIONS:
            named = next((m for m in mentions if m.first == k + 1 and m.last < hi), None)
            if named is None:
                return True
            k = named.last
        k += 1
    return False


def second_party(clause: Clause, x: Mention) -> Mention | None:
    """Y in «بين X و Y», also across a modifier: «بين الجيش بقيادة البرهان والدعم السريع»."""
    toks = clause.sent.tokens
    side = other_side(toks, x.last)
    for m in clause.mentions:
        if m.first <= x.last or m.hidden or side is not None and m.first < side:
            continue
        if m.first - x.last > 6 and side is None:
            return None
        own_wa = toks[m.first].norm.startswith("و") and m.start > toks[m.first].start
        k = m.first - 1
        while k > x.last and toks[k].norm in QUOTE_TOKENS:  # و"داعش"
            k -= 1
        wa_head = toks[k].norm.startswith("و") and len(toks[k].norm) > 2
        if own_wa or wa_head or toks[k].norm == "و":
            return m
    return None


def agent_by(toks: Sequence[Token], b: int, after) -> Mention | None:
    """The agent of a verbal noun given by «من قبل X», «من جانب X», «على يد X»."""
    for k in range(b + 1, min(b + 5, len(toks) - 1)):
        pair = (toks[k].norm, toks[k + 1].norm)
        if pair in {("من", "قبل"), ("من", "جانب"), ("علي", "يد"), ("علي", "ايدي")}:
            return next((m for m in after if k + 1 < m.first <= k + 3 and not m.hidden), None)
    return None


def other_side(toks: Sequence[Token], start: int) -> int | None:
    """«بين النظام وحزب الله من جهة وجبهة النصرة من جهة أخرى»: where the second side begins."""
    for k in range(start + 1, min(start + 10, len(toks) - 1)):
        if toks[k].norm == "من" and bare_word(toks[k + 1].norm) == "جهه":
            return k + 2
    return None


def relative_agent(toks, b, after, preps) -> Mention | None:
    """«الدعم الذي تقدمه الولايات المتحدة»: the agent of a relative clause on the noun."""
    for k in (b + 1, b + 2):
        if k < len(toks) and toks[k].norm in RELATIVE:
            return next(
                (m for m in after if k + 1 < m.first <= k + 3 and preps[id(m)] is None), None
            )
    return None


def dangling_marker(toks, start: int, markers: set[str], mentions) -> bool:
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


def coordination_head(clause: Clause, m: Mention) -> Mention:
    """The first of a run of coordinated mentions ending with ``m``: «روسيا» in «روسيا وإيران»."""
    for p in clause.mentions:
        if p.last < m.first and m in conjuncts(clause, p):
            return p
    return m


def conjuncts(clause: Clause, m: Mention) -> list[Mention]:
    """Mentions coordinated with ``m`` by «و» right after it: «روسيا وإيران»."""
    out: list[Mention] = []
    cur = m
    toks = clause.sent.tokens
    kind = functools.partial(coordination_kind, entity_type=clause.entity_type)
    while True:
        nxt = next((x for x in clause.mentions if x.first > cur.last), None)
        if nxt is None or nxt.first - cur.last > 2:
            return out
        gap = [t.norm for t in toks[cur.last + 1 : nxt.first]]
        starts_with_wa = toks[nxt.first].norm.startswith("و") and nxt.start > toks[nxt.first].start
        if not (starts_with_wa and not gap) and gap != ["و"]:  # «حلفاء دمشق، وتركيا» is no list
            return out
        if nxt.hidden or kind(nxt.entity) != kind(m.entity):
            return out
        out.append(nxt)
        cur = nxt


def relative_before(toks: Sequence[Token], a: int, *, anywhere: bool = False) -> int | None:
    lo = 0 if anywhere else max(0, a - 2)
    for i in range(a - 1, lo - 1, -1):
        word = toks[i].norm
        if word in RELATIVE or (word.startswith("و") and word[1:] in RELATIVE):
            return i
    return None


def crosses_break(toks: Sequence[Token], lo: int, hi: int) -> bool:
    """Is there a clause boundary (punctuation or «فيما», «بينما» …) between two tokens?"""
    return any(t.norm in CLAUSE_BREAKS or t.norm in CLAUSE_WORDS for t in toks[lo + 1 : hi])


def has_pronoun_object(toks: Sequence[Token], b: int) -> bool:
    """Does the word after the trigger end in a pronoun that is the target («قصفت
    مواكبهم»: their convoys, so them), not in ة, nor on a relational noun («حلفائها»)?"""
    if b + 1 >= len(toks):
        return False
    raw = [ch for ch in toks[b + 1].text if normalize(ch)]
    word = toks[b + 1].norm
    suffix = next((s for s in PRONOUN_SUFFIXES if word.endswith(s)), None)
    if len(raw) <= 4 or raw[-1] == "ة" or suffix is None:
        return False
    return bare_word(word[: -len(suffix)]).removeprefix("ل") not in RELATIONAL_NOUNS


def distance_confidence(base: float, lo: int, hi: int) -> float:
    return max(0.3, base - 0.03 * max(0, abs(hi - lo) - 3))


def drop_modifiers(mentions: list[Mention]) -> list[Mention]:
    """A relational adjective right after a name modifies it: «حزب الله اللبناني»."""
    out: list[Mention] = []
    for m in mentions:
        if m.hidden and out and m.first == out[-1].last + 1:
            continue
        out.append(m)
    return out
