"""extractors.grammar: where arguments stand, on Arabic sentences written for these tests."""

from __future__ import annotations

from extractors.grammar import (
    bare_word,
    crosses_break,
    has_pronoun_object,
    is_name_word,
    noun_phrase,
    preposition_of,
    relative_before,
)
from extractors.sentences import split_sentences
from extractors.types import Mention


def tokens(text: str):
    (sent,) = split_sentences(text)
    return sent.tokens


def mention_of(toks, word: str, entity: str = "x") -> Mention:
    """The mention of the token whose text ends with ``word`` (clitics before it)."""
    k = next(i for i, t in enumerate(toks) if t.text.endswith(word))
    start = toks[k].end - len(word)
    return Mention(start, toks[k].end, word, entity, k, k)


def test_the_preposition_governing_a_name_skips_place_nouns():
    toks = tokens("قصفت الطائرات مواقع في شمال سوريا")
    assert preposition_of(toks, mention_of(toks, "سوريا")) == "في"
    toks = tokens("انسحب التنظيم من ريف حلب")
    assert preposition_of(toks, mention_of(toks, "حلب")) == "من"


def test_a_letter_preposition_on_the_name_itself():
    toks = tokens("أعلنت واشنطن دعمها لتركيا")
    assert preposition_of(toks, mention_of(toks, "تركيا")) == "ل"


def test_possessive_lam_after_a_place_noun_is_not_the_governor():
    toks = tokens("هاجم المسلحون حاجزا للجيش")
    assert preposition_of(toks, mention_of(toks, "جيش")) is None


def test_no_preposition_for_a_subject():
    toks = tokens("قصفت روسيا مواقع التنظيم")
    assert preposition_of(toks, mention_of(toks, "روسيا")) is None


def test_clause_breaks_between_tokens():
    toks = tokens("قصفت روسيا حلب، فيما انسحب التنظيم من تدمر")
    assert crosses_break(toks, 1, 6)
    assert not crosses_break(toks, 0, 2)


def test_relative_pronoun_just_before_a_verb():
    toks = tokens("التحالف الذي تقوده الولايات المتحدة")
    assert relative_before(toks, 2) == 1
    assert relative_before(toks, 1) is None


def test_pronoun_object_but_not_ta_marbuta_or_a_relational_noun():
    assert has_pronoun_object(tokens("قصفت الطائرات مواكبهم"), 1)
    assert not has_pronoun_object(tokens("قصفت الطائرات مدينة"), 1)
    assert not has_pronoun_object(tokens("دعمت روسيا حلفاءها"), 1)


def test_words_of_names_and_noun_phrases():
    assert is_name_word("لافروف")
    assert not is_name_word("في")
    assert noun_phrase(["الشؤون", "الخارجية"])
    assert not noun_phrase(["سيرغي", "لافروف"])
    assert bare_word("وروسيا") == "روسيا"
