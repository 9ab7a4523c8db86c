"""Triple F1 on annotated sets nothing was trained or tuned on: prints a table, asserts nothing.

Usage: python benchmarks/heldout_benchmark.py [--shared ../shared] [BUILD OPTION ...]

Each folder of ``benchmarks/heldout/`` is an annotation set in the format of
``extractors/relations/annotations/`` (gold triples, entities, clause offsets, and
the line number and checksum of each article in a ``../shared`` corpus; no article
text). Training never reads these folders: they measure how the default build
carries to other outlets and years. For each set the articles are cut from
``../shared`` into a temporary folder, built with ``khabar build`` (options after
the set's name are passed on, e.g. ``--ner off``) and scored with
``graph.evaluate`` (what ``khabar eval`` prints, counted as ``../shared/eval/score.py``
counts) against the set's own entity file. Skips cleanly when ``../shared`` is
absent.

- ``jawharafm-2016-17``: 12 JawharaFM (Tunisia) articles of 2016-17 from
  ``news-ar.txt.xz`` (Libya, Yemen, Syria, Lebanon, Tunisia), 63 required triples,
  annotated with ``../shared/gold/GUIDE.md``; every training article is 2015
  SaudiNewsNet. Its errors were read (the gazetteer learnt from them): no longer blind.
- ``jawharafm-2016-17-b``: 12 more, drawn at random from the same filter (three
  names of conflict actors or more, 600-2,200 characters), 49 required triples;
  scored once, blind, with the model of its session.
- ``jawharafm-2016-17-c``: 12 more the same way, 52 required triples; scored once,
  blind (one name form the annotator had missed, «محمد زواري», was added after).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractors.relations.annotated import unpack  # noqa: E402
from graph.evaluate import Evaluation, evaluate, load_gold  # noqa: E402
from graph.serialize import read_graph  # noqa: E402

HELDOUT = ROOT / "benchmarks" / "heldout"
CORPUS = Path("corpus") / "news-ar.txt.xz"  # where the sets' articles are cut from


def score_set(set_dir: Path, shared: Path, build_options: list[str]) -> tuple[int, Evaluation]:
    """Build one set's articles with the command line and score the graph:
    (articles, evaluation)."""
    with tempfile.TemporaryDirectory(prefix="khabar-heldout-") as tmp:
        corpus, gold = unpack(set_dir, shared, Path(tmp))
        graph = Path(tmp) / "graph.ttl"
        khabar = [sys.executable, "-c", "from graph.cli import main; main()"]
        subprocess.run(
            [*khabar, "build", str(corpus), "-o", str(graph), "-q", *build_options],
            check=True,
            cwd=ROOT,
        )
        gold_data, names = load_gold(gold / "gold.json", gold / "entities.json")
        return len(list(corpus.glob("*.txt"))), evaluate(read_graph(graph), gold_data, names)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args, build_options = parser.parse_known_args()
    if not (args.shared / CORPUS).is_file():
        print(f"{args.shared / CORPUS}: absent; nothing to measure")
        return
    print(f"{'set':<22} {'articles':>8} {'precision':>16} {'recall':>16} {'F1':>6}")
    for set_dir in sorted(p.parent for p in HELDOUT.glob("*/sources.json")):
        articles, ev = score_set(set_dir, args.shared, build_options)
        docs = ev.documents.values()
        right, stmts = sum(d.correct for d in docs), sum(d.statements for d in docs)
        found, required = sum(d.found for d in docs), sum(d.required for d in docs)
        precision = f"{ev.precision:.3f} ({right}/{stmts})"
        recall = f"{ev.recall:.3f} ({found}/{required})"
        print(f"{set_dir.name:<22} {articles:>8} {precision:>16} {recall:>16} {ev.f1:>6.3f}")


if __name__ == "__main__":
    main()
