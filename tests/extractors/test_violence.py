"""The violence stage: a sentence classifier that vets attacks and kills statements."""

from __future__ import annotations

import json
import shutil

import pytest

from extractors.errors import ModelError
from extractors.relations.violence import (
    default_violence_model_dir,
    labelled_sentences,
    load_violence_model,
    train_violence,
    vet,
)
from extractors.sentences import split_sentences
from extractors.types import Statement

TEXT = (
    "قصف الطيران الحربي بلدة الصالحية صباح اليوم. "
    "وأدان وزير الخارجية الهجوم في بيان. "
    "وقتل ثلاثة جنود في كمين قرب الحدود."
)
SENTS = split_sentences(TEXT)


def statement(predicate: str, start: int, negated: bool = False) -> Statement:
    return Statement("air-force", predicate, "salhiya", "a1", start, start + 5, "", 0.7, negated)


def test_vet_drops_violence_in_passing_and_adds_unnamed_violence():
    spans = [(s.start, s.end, p) for s, p in zip(SENTS, (0.9, 0.1, 0.8), strict=True)]
    stmts = [
        statement("attacks", SENTS[0].start),  # reported: kept
        statement("attacks", SENTS[1].start),  # a condemnation: dropped
        statement("attacks", SENTS[1].start, negated=True),  # denials are not vetted
        statement("meetsWith", SENTS[1].start),  # other relations are not vetted
    ]
    out = vet(stmts, spans, keep=0.3, add=0.65, article_id="a1", text=TEXT)
    assert out[:3] == [stmts[0], stmts[2], stmts[3]]
    (added,) = out[3:]  # the ambush names nobody: an unknown perpetrator's attack
    assert (added.subject, added.predicate, added.object) == (
        "unknown-perpetrator",
        "attacks",
        "unnamed-target",
    )
    assert added.evidence == SENTS[2].text
    assert added.confidence == 0.8
    assert {e.type for e in added.entities} == {"GenericActor"}


def write_set(root, docs):
    """An annotated set of our own: corpus/*.txt and gold files."""
    (root / "corpus").mkdir(parents=True)
    (root / "gold").mkdir()
    gold, evidence = {"documents": {}}, {"documents": {}}
    for aid, (text, triples) in docs.items():
        (root / "corpus" / f"{aid}.txt").write_text(text, encoding="utf-8")
        gold["documents"][aid] = {"required": [t for t, _ in triples], "optional": []}
        evidence["documents"][aid] = {"required": [c for _, c in triples]}
    (root / "gold" / "gold.json").write_text(json.dumps(gold, ensure_ascii=False), "utf-8")
    (root / "gold" / "evidence.json").write_text(json.dumps(evidence, ensure_ascii=False), "utf-8")
    return root / "corpus", root / "gold"


def test_labels_come_from_attack_clauses_and_hand_labels(tmp_path):
    corpus, gold = write_set(
        tmp_path,
        {
            "a1": (
                TEXT,
                [(["AIR_FORCE", "attacks|kills", "SALHIYA"], "قصف الطيران الحربي بلدة الصالحية")],
            )
        },
    )
    texts, labels = labelled_sentences(corpus, gold)
    assert labels == [1, 0, 0]
    ambush = {"a1": {(SENTS[2].start, SENTS[2].end): 1}}  # unnamed sides: labelled by hand
    assert labelled_sentences(corpus, gold, ambush)[1] == [1, 0, 1]
    assert texts[1] == SENTS[1].text


def test_train_save_load_round_trip(tmp_path):
    docs = {}
    for n in range(12):
        town = ["حلب", "إدلب", "درعا", "حمص"][n % 4]
        text = (
            f"قصفت الطائرات مدينة {town} وقتلت مدنيين. والتقى الوزير نظيره في {town} لبحث التعاون."
        )
        docs[f"a{n}"] = (text, [(["X", "attacks", "Y"], f"قصفت الطائرات مدينة {town}")])
    sets = [write_set(tmp_path / "set", docs)]
    model = train_violence(sets, tmp_path / "model", sentence_labels=None)
    again = load_violence_model(tmp_path / "model")
    probe = ["قصفت الطائرات مدينة حماة وقتلت مدنيين.", "والتقى الوزير نظيره في حماة لبحث التعاون."]
    p = again.probabilities(probe)
    assert p[0] > 0.5 > p[1]
    assert again.probabilities(probe) == pytest.approx(model.probabilities(probe), abs=1e-4)
    assert again.meta["sentences"] == 24 and again.meta["positive"] == 12


def test_a_corrupt_model_is_refused(tmp_path):
    shutil.copytree(default_violence_model_dir(), tmp_path / "m")
    raw = bytearray((tmp_path / "m" / "weights.npz").read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    (tmp_path / "m" / "weights.npz").write_bytes(bytes(raw))
    with pytest.raises(ModelError, match="does not match its meta.json"):
        load_violence_model(tmp_path / "m")


def test_the_shipped_model_tells_reports_from_mentions_in_passing():
    model = load_violence_model()
    reports = [
        "قتل 12 مدنيا وأصيب آخرون في قصف جوي استهدف سوقا شعبيا في مدينة حلب صباح اليوم.",
        "فجر انتحاري حزامه الناسف داخل مسجد في مدينة صعدة ما أدى إلى مقتل 20 شخصا.",
    ]
    passing = [
        "افتتح وزير التعليم مدرسة جديدة في الرياض بحضور عدد من المسؤولين.",
        "وقعت الشركتان اتفاقية تعاون في مجال الطاقة المتجددة.",
    ]
    p = model.probabilities(reports + passing)
    assert min(p[:2]) >= model.add
    assert max(p[2:]) < model.keep


def test_the_trained_extractor_runs_the_violence_stage():
    from extractors import get_extractor
    from extractors.types import Article

    text = (
        "قتل 12 مدنيا وأصيب آخرون في قصف جوي استهدف سوقا شعبيا صباح اليوم. "
        "وافتتح وزير التعليم مدرسة جديدة بحضور عدد من المسؤولين."
    )
    article = Article("v1", text)
    with_stage = get_extractor("trained", ner="off").extract(article)
    without = get_extractor("trained", ner="off", violence=None).extract(article)
    added = [s for s in with_stage if s not in without]
    assert [(s.subject, s.predicate, s.object) for s in added] == [
        ("unknown-perpetrator", "attacks", "unnamed-target")
    ]
    assert added[0].evidence == split_sentences(text)[0].text
    assert {e.label_en for e in added[0].entities} == {"unknown perpetrator", "unnamed target"}
