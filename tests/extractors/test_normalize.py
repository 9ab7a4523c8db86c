import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.normalize import normalize, strip_clitics
from extractors.sentences import split_sentences, tokenize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("إِنْسِحَاب", "انسحاب"),  # diacritics, hamza under alef
        ("أنقرة", "انقره"),  # hamza above, ta marbuta
        ("آذار", "اذار"),  # madda
        ("مستشفى", "مستشفي"),  # alef maqsura
        ("الرقـــة", "الرقه"),  # tatweel
        ("«داعش»", '"داعش"'),
    ],
)
def test_normalize_folds_spelling_variants(text, expected):
    assert normalize(text) == expected


@given(st.text(alphabet="ابتةثجحخدذرزسشصضطظعغفقكلمنهويىأإآ ًٌٍَُِّْـ", max_size=40))
def test_normalize_is_idempotent(text):
    assert normalize(normalize(text)) == normalize(text)


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("وواشنطن", "واشنطن"),
        ("بالرقه", "الرقه"),
        ("لداعش", "داعش"),
        ("للقوات", "القوات"),
        ("وبالرقه", "الرقه"),
        ("فموسكو", "موسكو"),
    ],
)
def test_strip_clitics_finds_the_stem(word, stem):
    assert stem in [s for _p, s in strip_clitics(word)]


def test_strip_clitics_keeps_short_words_whole():
    assert strip_clitics("بلد") == [("", "بلد")]


@given(st.text(alphabet="ابتثجحخدرزسشعفقكلمنهوي .،\n؟!«»", max_size=200))
def test_sentence_and_token_offsets_slice_back(text):
    for sent in split_sentences(text):
        assert text[sent.start : sent.end] == sent.text
        for tok in sent.tokens:
            assert text[tok.start : tok.end] == tok.text


def test_tokenize_keeps_offsets_of_clitic_words():
    toks = tokenize("وانسحب داعش من الرقة.")
    assert [t.text for t in toks] == ["وانسحب", "داعش", "من", "الرقة", "."]
    assert toks[3].start == 15
