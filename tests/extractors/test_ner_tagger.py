"""Khabar's shipped NER model on our own sentences (``extractors.ner.tagger``)."""

from __future__ import annotations

import pytest

from extractors.errors import ModelError
from extractors.ner.bio import spans_from_tags
from extractors.sentences import split_sentences

pytest.importorskip("stanza")

from extractors.ner.tagger import (  # noqa: E402
    NerTagger,
    load_ner_tagger,
    ner_mentions,
    ner_mentions_batch,
)

# --- the shipped NER model ---------------------------------------------------------


@pytest.fixture(scope="module")
def tagger() -> NerTagger:
    return load_ner_tagger()


def test_the_shipped_model_loads_once_however_it_is_asked_for(tagger):
    # the extractor asks with no argument, the batch tagger with model_dir=None:
    # one model in memory (it takes seconds to load and ~100 MB)
    assert load_ner_tagger(None) is tagger
    assert load_ner_tagger(model_dir=None) is tagger


def _entities(tokens: list[str], tags: list[str]) -> dict[str, str]:
    """{entity text: label} from BIO tags."""
    return {" ".join(tokens[a : b + 1]): label for a, b, label in spans_from_tags(tags)}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "التقى الرئيس الروسي فلاديمير بوتين نظيره التركي في أنقرة",
            {"فلاديمير بوتين": "PER", "أنقرة": "LOC"},
        ),
        (
            "وصل وزير الخارجية الأمريكي جون كيري إلى القاهرة أمس",
            {"جون كيري": "PER", "القاهرة": "LOC"},
        ),
        ("أعلنت منظمة الصحة العالمية عن حملة تطعيم في اليمن", {"اليمن": "LOC"}),
    ],
)
def test_shipped_model_tags_names_in_our_sentences(tagger, sentence, expected):
    tokens = sentence.split()
    tags = tagger([tokens])[0]
    assert len(tags) == len(tokens)
    assert set(tags) <= {"O"} | {f"{p}-{t}" for p in "BI" for t in ("PER", "LOC", "ORG", "MISC")}
    found = _entities(tokens, tags)
    for name, label in expected.items():
        assert found.get(name) == label, (name, found)
    assert tags[0] == "O"  # the verb is never a name


_OUR_NEWS = (
    "وقال المتحدث باسم وزارة الخارجية الروسية ماريا زاخاروفا إن موسكو ستواصل دعم الحكومة السورية."
    " واستقبل الملك سلمان بن عبد العزيز في الرياض رئيس الوزراء العراقي حيدر العبادي."
    " وأعلنت قوات سوريا الديمقراطية سيطرتها على بلدة الشدادي جنوب الحسكة بعد معارك مع تنظيم داعش."
    " وأدان الأمين العام للأمم المتحدة بان كي مون الهجوم الذي استهدف مدينة عدن."
)


def test_the_default_tagger_runs_eight_bit_weights_and_tags_as_the_float_model(tagger):
    # dynamic int8 quantization of the LSTMs and linear layers: the speed-up the
    # default build counts on, without changing what the model says on our news
    import torch

    assert tagger.quantized

    def float_lstms(t: NerTagger) -> int:
        model = t.pipeline.processors["ner"]._trainer.model
        return sum(type(m) is torch.nn.LSTM for m in model.modules())

    float_tagger = NerTagger(quantize=False)
    assert not float_tagger.quantized
    assert (float_lstms(tagger), float_lstms(float_tagger)) == (0, 2)
    sents = [[t.text for t in s.tokens] for s in split_sentences(_OUR_NEWS)]
    assert len(sents) == 4
    assert tagger(sents) == float_tagger(sents)
    assert any(tag != "O" for tags in tagger(sents) for tag in tags)


def test_tagger_keeps_empty_sentences_and_order(tagger):
    sents = [["زار", "بوتين", "دمشق"], [], ["في", "القاهرة"]]
    tags = tagger(sents)
    assert [len(t) for t in tags] == [3, 0, 2]
    assert tags[2][1] == "B-LOC"


def test_ner_mentions_take_khabar_tokens():
    sent = split_sentences("واستقبل الرئيس المصري عبد الفتاح السيسي وفدا من حركة حماس في القاهرة.")[
        0
    ]
    spans = ner_mentions(sent.tokens)
    words = [t.text for t in sent.tokens]
    by_text = {" ".join(words[a : b + 1]): label for a, b, label in spans}
    assert by_text.get("عبد الفتاح السيسي") == "PER"
    assert by_text.get("القاهرة") == "LOC"
    assert all(0 <= a <= b < len(words) for a, b, _label in spans)
    assert ner_mentions_batch([sent.tokens, []]) == [spans, []]


def test_a_missing_ner_model_names_the_folder_and_the_fix(tmp_path):
    with pytest.raises(ModelError) as err:
        NerTagger(model_dir=tmp_path)
    message = str(err.value)
    assert message.startswith(f"{tmp_path}: NER model file ar_khabar_nertagger.pt is missing")
    assert "khabar models train-ner" in message
