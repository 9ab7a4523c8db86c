"""Annotation sets kept without their text: pack an annotator's folder, unpack it again.

The round trip runs on a small one-article-per-line corpus written here; the shipped
sets are checked against ``../shared`` when it is present.
"""

from __future__ import annotations

import json
import lzma
from pathlib import Path

import pytest

from extractors.errors import InputError
from extractors.relations.annotated import (
    annotation_sets,
    article_text,
    held_out_copies,
    pack,
    unpack,
)

SHARED = Path(__file__).resolve().parents[2].parent / "shared"

# Three articles as news-ar.txt stores them: «title . body», one per line.
LINES = [
    "الجيش يتقدم في ريف حلب . أعلن الجيش السوري اليوم أنه سيطر على بلدة قرب حلب.\n",
    "لقاء في الرياض . استقبل الملك سلمان في الرياض وزير الخارجية الأمريكي جون كيري.\n",
    "هدنة في عدن . اتهمت الحكومة اليمنية الحوثيين بخرق الهدنة في عدن، وفق بيان رسمي.\n",
]


@pytest.fixture
def shared(tmp_path):
    root = tmp_path / "shared"
    (root / "corpus").mkdir(parents=True)
    with lzma.open(root / "corpus" / "news.txt.xz", "wt", encoding="utf-8") as fh:
        fh.writelines(LINES)
    return root


@pytest.fixture
def annotator(tmp_path):
    """An annotator's folder for lines 1 and 2 (not line 0)."""
    folder = tmp_path / "annotator"
    (folder / "corpus").mkdir(parents=True)
    for aid, n in (("a-1", 1), ("a-2", 2)):
        (folder / "corpus" / f"{aid}.txt").write_text(article_text(LINES[n]), encoding="utf-8")
    gold = {
        "symmetric": ["meetsWith"],
        "documents": {
            "a-1": {"required": [["SALMAN", "meetsWith", "KERRY"]], "optional": []},
            "a-2": {
                "required": [["YEMEN_GOV", "accuses", "HOUTHIS"]],
                "optional": [["HOUTHIS", "attacks", "ADEN"]],
            },
        },
        "_note": "an annotator's remark that is not part of the set",
    }
    evidence = {
        "documents": {
            "a-1": {"required": ["استقبل الملك سلمان في الرياض وزير الخارجية الأمريكي جون كيري"]},
            "a-2": {
                "required": ["اتهمت الحكومة اليمنية الحوثيين بخرق الهدنة في عدن"],
                "optional": ["a clause the annotator paraphrased"],
            },
        }
    }
    entities = {"SALMAN": {"type": "Person", "names": ["الملك سلمان"]}}
    for name, data in (
        ("gold.json", gold),
        ("evidence.json", evidence),
        ("entities.json", entities),
    ):
        (folder / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return folder


def test_article_text_splits_title_from_body():
    assert article_text(LINES[0]) == (
        "الجيش يتقدم في ريف حلب\n\nأعلن الجيش السوري اليوم أنه سيطر على بلدة قرب حلب.\n"
    )


def test_pack_keeps_offsets_and_lines_not_text(annotator, shared, tmp_path):
    out = tmp_path / "set"
    counts = pack(annotator / "corpus", annotator, shared, "corpus/news.txt.xz", out)
    assert counts == {"located": 2, "not found": 1}
    sources = json.loads((out / "sources.json").read_text(encoding="utf-8"))
    assert sources["corpus"] == "corpus/news.txt.xz"
    assert {aid: spec["line"] for aid, spec in sources["articles"].items()} == {"a-1": 1, "a-2": 2}
    spans = json.loads((out / "evidence.json").read_text(encoding="utf-8"))["documents"]
    start, end = spans["a-1"]["required"][0]
    assert article_text(LINES[1])[start:end].startswith("استقبل الملك سلمان")
    assert spans["a-2"]["optional"] == [None]
    gold = json.loads((out / "gold.json").read_text(encoding="utf-8"))
    assert "_note" not in gold
    written = "".join(p.read_text(encoding="utf-8") for p in out.iterdir())
    assert "بخرق الهدنة" not in written and "أعلن الجيش" not in written


def test_unpack_restores_articles_and_clauses(annotator, shared, tmp_path):
    pack(annotator / "corpus", annotator, shared, "corpus/news.txt.xz", tmp_path / "set")
    corpus_dir, gold_dir = unpack(tmp_path / "set", shared, tmp_path / "out")
    for aid in ("a-1", "a-2"):
        assert (corpus_dir / f"{aid}.txt").read_text(encoding="utf-8") == (
            annotator / "corpus" / f"{aid}.txt"
        ).read_text(encoding="utf-8")
    clauses = json.loads((gold_dir / "evidence.json").read_text(encoding="utf-8"))["documents"]
    assert clauses["a-2"]["required"] == ["اتهمت الحكومة اليمنية الحوثيين بخرق الهدنة في عدن"]
    assert clauses["a-2"]["optional"] == [""]
    gold = json.loads((gold_dir / "gold.json").read_text(encoding="utf-8"))
    assert gold["documents"]["a-1"]["required"] == [["SALMAN", "meetsWith", "KERRY"]]


def test_unpack_refuses_a_changed_corpus(annotator, shared, tmp_path):
    pack(annotator / "corpus", annotator, shared, "corpus/news.txt.xz", tmp_path / "set")
    changed = [LINES[0], LINES[1].replace("جون كيري", "جون كيري أمس"), LINES[2]]
    with lzma.open(shared / "corpus" / "news.txt.xz", "wt", encoding="utf-8") as fh:
        fh.writelines(changed)
    with pytest.raises(InputError, match="not the article a-1 was annotated on"):
        unpack(tmp_path / "set", shared, tmp_path / "out")


def test_pack_refuses_an_article_not_in_the_corpus(annotator, shared, tmp_path):
    (annotator / "corpus" / "a-1.txt").write_text("نص لم يرد في المدونة\n", encoding="utf-8")
    with pytest.raises(InputError, match="not found in the corpus: a-1"):
        pack(annotator / "corpus", annotator, shared, "corpus/news.txt.xz", tmp_path / "set")


def test_pack_refuses_a_print_of_a_dev_article(annotator, shared, tmp_path):
    """Another paper's print of a dev article (the same report, a different opening
    line) is dev: it never enters a training set."""
    (shared / "corpus" / "dev").mkdir()
    report = (annotator / "corpus" / "a-2.txt").read_text(encoding="utf-8").split("\n\n")[1]
    (shared / "corpus" / "dev" / "dev-900.txt").write_text(
        "عدن: خرق جديد للهدنة\n\n" + report + " وأضاف البيان أن الهدنة تنتهي غدا.\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="a-2 ~ dev-900.txt"):
        pack(annotator / "corpus", annotator, shared, "corpus/news.txt.xz", tmp_path / "set")
    assert not (tmp_path / "set").exists()


@pytest.mark.slow
@pytest.mark.skipif(not (SHARED / "corpus" / "news-ar.txt.xz").exists(), reason="no ../shared")
def test_shipped_sets_unpack_from_shared(tmp_path):
    """Every set unpacks with all its clauses, and none holds another paper's print of a
    dev or seed article (training on it would be training on dev)."""
    assert len(list((SHARED / "corpus" / "dev").glob("*.txt"))) >= 60
    sets = annotation_sets()
    assert len(sets) >= 6
    required = located = 0
    copies = []
    for n, set_dir in enumerate(sets):
        corpus_dir, gold_dir = unpack(set_dir, SHARED, tmp_path / str(n))
        texts = {p.stem: p.read_text(encoding="utf-8") for p in corpus_dir.glob("*.txt")}
        copies += held_out_copies(texts, SHARED)
        gold = json.loads((gold_dir / "gold.json").read_text(encoding="utf-8"))["documents"]
        clauses = json.loads((gold_dir / "evidence.json").read_text(encoding="utf-8"))["documents"]
        assert sorted(p.stem for p in corpus_dir.glob("*.txt")) == sorted(gold)
        for aid, doc in gold.items():
            required += len(doc["required"])
            found = clauses[aid].get("required", [])
            assert len(found) == len(doc["required"])
            located += sum(1 for c in found if c)
    assert required >= 1000
    assert located == required
    assert not copies, copies


@pytest.mark.skipif(not (SHARED / "corpus" / "news-ar.txt.xz").exists(), reason="no ../shared")
def test_held_out_sets_unpack_and_stay_out_of_training(tmp_path):
    """The sets of benchmarks/heldout/ (other outlets and years) unpack with every
    clause; training reads annotation_sets(), which never lists them."""
    heldout = Path(__file__).resolve().parents[2] / "benchmarks" / "heldout"
    sets = sorted(p.parent for p in heldout.glob("*/sources.json"))
    assert [s.name for s in sets] == [f"jawharafm-2016-17{x}" for x in ("", "-b", "-c")]
    assert not set(sets) & set(annotation_sets())
    required = []
    for n, set_dir in enumerate(sets):
        corpus_dir, gold_dir = unpack(set_dir, SHARED, tmp_path / str(n))
        gold = json.loads((gold_dir / "gold.json").read_text(encoding="utf-8"))["documents"]
        clauses = json.loads((gold_dir / "evidence.json").read_text(encoding="utf-8"))
        assert sorted(p.stem for p in corpus_dir.glob("*.txt")) == sorted(gold)
        required.append(sum(len(doc["required"]) for doc in gold.values()))
        for aid, doc in gold.items():
            text = (corpus_dir / f"{aid}.txt").read_text(encoding="utf-8")
            found = clauses["documents"][aid]["required"]
            assert len(found) == len(doc["required"])
            assert all(c and c in text for c in found)
    assert required == [63, 49, 52]
