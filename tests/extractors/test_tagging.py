"""extractors.tagging: CoNLL token input and the tagger choice behind ``khabar tag``."""

from __future__ import annotations

import pytest

from extractors.errors import InputError, ModelError
from extractors.tagging import read_conll_tokens, tag, tag_sentences

SENTS = [
    "استقبل الرئيس السوري بشار الأسد في حلب وزير الخارجية الإيراني".split(),
    "وقال الجيش التركي إنه قصف مواقع حزب العمال الكردستاني".split(),
]


def test_conll_input_takes_the_first_column_and_splits_on_blank_lines():
    lines = ["زار\tO", "بوتين\tB-PER", "", "", "دمشق", ""]
    assert read_conll_tokens(lines) == [["زار", "بوتين"], ["دمشق"]]


def test_binary_input_is_refused_with_its_line():
    with pytest.raises(InputError, match="in.conll:2: binary data"):
        read_conll_tokens(["زار", "\x00\x01"], path="in.conll")


def test_gazetteer_tags_people_places_and_groups():
    tagged = tag(SENTS, tagger="gazetteer")
    assert tagged == tag_sentences(SENTS)
    first = dict(tagged[0])
    assert (first["بشار"], first["الأسد"], first["حلب"]) == ("B-PER", "I-PER", "B-LOC")
    assert [t for _w, t in tagged[1]][-3:] == ["B-ORG", "I-ORG", "I-ORG"]


def test_auto_falls_back_to_the_gazetteer_with_a_warning(tmp_path):
    with pytest.warns(UserWarning, match="tagging with the gazetteer instead"):
        tagged = tag(SENTS, tagger="auto", model_dir=tmp_path / "no-model")
    assert tagged == tag_sentences(SENTS)


def test_ner_refuses_to_fall_back(tmp_path):
    with pytest.raises(ModelError):
        tag(SENTS, tagger="ner", model_dir=tmp_path / "no-model")


def test_the_shipped_model_tags_every_token():
    pytest.importorskip("stanza")
    tagged = tag(SENTS, tagger="ner")
    assert [len(s) for s in tagged] == [len(s) for s in SENTS]
    assert dict(tagged[0])["حلب"] == "B-LOC"
