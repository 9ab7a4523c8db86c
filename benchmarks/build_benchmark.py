"""Throughput of `khabar build` with the lexicon extractor: prints figures, asserts nothing.

Usage: python benchmarks/build_benchmark.py [JSONL] [--limit N] [--repeat K]

Reads ../shared/corpus/saudinews_syria.jsonl by default (skips cleanly when it
is absent), extracts statements from every article and adds them to an rdflib
graph, and prints articles/s, sentences/s, statements, and peak memory.
"""

from __future__ import annotations

import argparse
import itertools
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractors import get_extractor, read_articles  # noqa: E402
from extractors.sentences import split_sentences  # noqa: E402
from graph import build_graph  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "corpus" / "saudinews_syria.jsonl"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("jsonl", nargs="?", default=str(DEFAULT))
    parser.add_argument("--limit", type=int, default=None, help="read only the first N articles")
    parser.add_argument("--repeat", type=int, default=3, help="runs; the best is reported")
    args = parser.parse_args(argv)
    if not Path(args.jsonl).is_file():
        print(f"skipped: {args.jsonl} not found")
        return 0
    articles = list(itertools.islice(read_articles([args.jsonl]), args.limit))
    sentences = sum(len(split_sentences(a.text)) for a in articles)
    chars = sum(len(a.text) for a in articles)
    extractor = get_extractor("lexicon")
    extractor.extract(articles[0])  # load the ontology once, outside the timing
    best = None
    for _ in range(args.repeat):
        start = time.perf_counter()
        result = build_graph(articles, extractor)
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"articles        {len(articles)}")
    print(f"sentences       {sentences}")
    print(f"characters      {chars}")
    print(f"statements      {result.statements}")
    print(f"entities        {result.entities}")
    print(f"triples         {len(result.store)}")
    print(f"best of {args.repeat}       {best:.2f} s")
    print(f"articles/s      {len(articles) / best:.1f}")
    print(f"sentences/s     {sentences / best:.0f}")
    print(f"peak RSS        {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
