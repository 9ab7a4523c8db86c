"""graph.evaluate: the scorer behind ``khabar eval``, on graphs written here and, when
``../shared`` is present, against the shared scorer on a real build."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal
from rdflib.namespace import DCTERMS, PROV

from graph.evaluate import evaluate, format_evaluation, load_gold, norm_name
from ontology import ART, ENT, KH, STMT

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"

# The gold entities' names, normalized as load_gold gives them.
NAMES = {
    eid: {norm_name(n) for n in names}
    for eid, names in {
        "US": ["الولايات المتحدة", "واشنطن"],
        "SDF": ["قسد"],
        "ISIS": ["داعش"],
        "RAQQA": ["الرقة"],
        "RUSSIA": ["روسيا"],
    }.items()
}


def graph_of(doc: str, *statements: tuple[str, str, str, bool]) -> Graph:
    """A graph in SPEC's shape: one article, reified statements derived from it."""
    g = Graph()
    art = ART[doc]
    g.add((art, DCTERMS.identifier, Literal(doc)))
    labels = {"US": "الولايات المتحدة", "SDF": "قسد", "ISIS": "داعش", "RAQQA": "الرقة"}
    labels |= {"RUSSIA": "روسيا", "TURKEY": "تركيا"}
    for n, (s, p, o, negated) in enumerate(statements):
        st = STMT[f"{doc}-{n}"]
        g.add((st, RDF.type, RDF.Statement))
        g.add((st, RDF.subject, ENT[s.lower()]))
        g.add((st, RDF.predicate, KH[p]))
        g.add((st, RDF.object, ENT[o.lower()]))
        g.add((st, PROV.wasDerivedFrom, art))
        if negated:
            g.add((st, KH.negated, Literal(True)))
        for e in (s, o):
            g.add((ENT[e.lower()], RDFS.label, Literal(labels[e], lang="ar")))
    return g


GOLD = {
    "symmetric": ["negotiatesWith"],
    "documents": {
        "a1": {
            "required": [
                ["US", "negotiatesWith", "SDF"],
                ["ISIS", "withdrawsFrom", "RAQQA"],
                ["RUSSIA", "!supports", "ISIS"],
            ],
            "optional": [["US", "attacks|fights", "ISIS"]],
        }
    },
}


def test_counts_symmetric_alternatives_negation_and_optional():
    g = graph_of(
        "a1",
        ("SDF", "negotiatesWith", "US", False),  # symmetric: matches the required pair
        ("ISIS", "withdrawsFrom", "RAQQA", True),  # negated: not the plain required triple
        ("RUSSIA", "supports", "ISIS", True),  # the denied statement («!supports»)
        ("US", "fights", "ISIS", False),  # optional: right, but no recall
        ("TURKEY", "attacks", "SDF", False),  # not in the gold: wrong
    )
    ev = evaluate(g, GOLD, NAMES)
    doc = ev.documents["a1"]
    assert (doc.required, doc.found, doc.statements, doc.correct) == (3, 2, 5, 3)
    assert doc.missed == [["ISIS", "withdrawsFrom", "RAQQA"]]
    assert ev.precision == pytest.approx(3 / 5)
    assert ev.recall == pytest.approx(2 / 3)
    assert ev.f1 == pytest.approx(2 * 0.6 * (2 / 3) / (0.6 + 2 / 3))
    assert (ev.relations["withdrawsFrom"].found, ev.relations["withdrawsFrom"].required) == (0, 1)
    assert (ev.relations["attacks"].right, ev.relations["attacks"].produced) == (0, 1)


def test_statements_of_other_articles_are_not_counted():
    g = graph_of("elsewhere", ("US", "negotiatesWith", "SDF", False))
    ev = evaluate(g, GOLD, NAMES)
    assert ev.documents["a1"].statements == 0
    assert ev.f1 == 0.0


def test_report_ends_with_f1_and_lists_misses():
    g = graph_of("a1", ("TURKEY", "attacks", "SDF", False))
    report = format_evaluation(evaluate(g, GOLD, NAMES), verbose=True)
    assert "missed: US negotiatesWith SDF" in report
    assert "wrong:  تركيا attacks قسد" in report
    assert report.splitlines()[-1] == "F1 0.000"


def test_load_gold_reads_names_normalized(tmp_path):
    (tmp_path / "gold.json").write_text(json.dumps(GOLD), encoding="utf-8")
    (tmp_path / "entities.json").write_text(
        json.dumps({"RAQQA": {"type": "City", "names": ["الرقـة"]}}, ensure_ascii=False),
        encoding="utf-8",
    )
    gold, names = load_gold(tmp_path / "gold.json")
    assert gold["symmetric"] == ["negotiatesWith"]
    assert names == {"RAQQA": {"الرقه"}}


@pytest.mark.slow
@pytest.mark.skipif(not (SHARED / "eval" / "score.py").exists(), reason="no ../shared")
def test_agrees_with_the_shared_scorer_on_the_seed_build(tmp_path):
    khabar = Path(sys.executable).with_name("khabar")
    out = tmp_path / "seeds.ttl"
    subprocess.run([khabar, "build", SHARED / "corpus" / "seeds", "-o", out, "-q"], check=True)
    gold = SHARED / "gold" / "seeds.json"
    ours = evaluate(Graph().parse(out), *load_gold(gold))
    shared = subprocess.run(
        [sys.executable, SHARED / "eval" / "score.py", out, gold],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert shared[-1] == f"F1 {ours.f1:.3f}"
    assert f"precision {ours.precision:.3f}" in shared[-2]
    assert f"recall {ours.recall:.3f}" in shared[-2]
