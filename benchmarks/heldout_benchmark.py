"""Triple F1 on annotated sets nothing was trained or tuned on: prints a table, asserts nothing.

Usage: python benchmarks/heldout_benchmark.py [--shared ../shared] [BUILD OPTION ...]

Each folder of ``benchmarks/heldout/`` is an annotation set in the format of
``extractors/relations/annotations/`` (gold triples, entities, clause offsets, and
the line number and checksum of each article in a ``../shared`` corpus; no article
text). Training never reads these folders: they measure how the default build
carries to other outlets and years. For each set the articles are cut from
``../shared`` into a temporary folder, built with ``khabar build`` (options after
the set's name are passed on, e.g. ``--ner off``) and scored with
``../shared/eval/score.py`` against the set's own entity file. Skips cleanly when
``../shared`` is absent.

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

HELDOUT = ROOT / "benchmarks" / "heldout"


def score_set(set_dir: Path, shared: Path, build_options: list[str]) -> dict[str, str]:
    """Build one set's articles and score them: the scorer's precision, recall, F1 lines."""
    with tempfile.TemporaryDirectory(prefix="khabar-heldout-") as tmp:
        corpus, gold = unpack(set_dir, shared, Path(tmp))
        articles = len(list(corpus.glob("*.txt")))
        graph = Path(tmp) / "graph.ttl"
        khabar = [sys.executable, "-c", "from graph.cli import main; main()"]
        subprocess.run(
            [*khabar, "build", str(corpus), "-o", str(graph), "-q", *build_options],
            check=True,
            cwd=ROOT,
        )
        scored = subprocess.run(
            [
                sys.executable,
                str(shared / "eval" / "score.py"),
                str(graph),
                str(gold / "gold.json"),
                str(gold / "entities.json"),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    lines = scored.stdout.strip().splitlines()
    counts = lines[-2].split()  # precision P (a/b)  recall R (c/d)
    return {
        "articles": str(articles),
        "precision": f"{counts[1]} {counts[2]}",
        "recall": f"{counts[4]} {counts[5]}",
        "f1": lines[-1].split()[-1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args, build_options = parser.parse_known_args()
    if not (args.shared / "eval" / "score.py").is_file():
        print(f"{args.shared}: no shared data (corpora and scorer); nothing to measure")
        return
    print(f"{'set':<22} {'articles':>8} {'precision':>16} {'recall':>16} {'F1':>6}")
    for set_dir in sorted(p.parent for p in HELDOUT.glob("*/sources.json")):
        row = score_set(set_dir, args.shared, build_options)
        print(
            f"{set_dir.name:<22} {row['articles']:>8} {row['precision']:>16} "
            f"{row['recall']:>16} {row['f1']:>6}"
        )


if __name__ == "__main__":
    main()
