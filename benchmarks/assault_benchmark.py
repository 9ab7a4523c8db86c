"""Does a sentence report an assault? The default extractor against hand labels of dev.

Usage: python benchmarks/assault_benchmark.py [CORPUS] [--labels FILE]

Runs the trained extractor over ../shared/corpus/dev (skips cleanly when it is
absent) with and without its violence stage, and prints precision, recall and F1
of "the sentence has an attacks or kills statement" against every dev sentence
labelled by hand (benchmarks/assault-dev-labels.json; the labelling guide is
extractors/relations/annotations/assault-sentences.md). Prints figures, asserts
nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractors import get_extractor, read_articles  # noqa: E402
from extractors.relations.violence import read_sentence_labels, sentence_scores  # noqa: E402

DEV = ROOT.parent / "shared" / "corpus" / "dev"
LABELS = ROOT / "benchmarks" / "assault-dev-labels.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEV)
    parser.add_argument("--labels", type=Path, default=LABELS)
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        print(f"skipped: {args.corpus} not found")
        return 0
    labels = read_sentence_labels(args.labels)
    articles = list(read_articles([args.corpus]))
    n = sum(len(v) for v in labels.values())
    yes = sum(sum(v.values()) for v in labels.values())
    print(f"{len(articles)} articles, {n} labelled sentences, {yes} reporting an assault")
    print(f"{'extractor':<28}{'P':>7}{'R':>7}{'F1':>7}")
    for name, extractor, options in (
        ("trained, no violence stage", "trained", {"violence": None}),
        ("trained (default)", "trained", {}),
        ("lexicon", "lexicon", {}),
    ):
        extractor = get_extractor(extractor, **options)
        scores = sentence_scores(((a, extractor.extract(a)) for a in articles), labels)
        print(f"{name:<28}{scores['precision']:>7.3f}{scores['recall']:>7.3f}{scores['f1']:>7.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
