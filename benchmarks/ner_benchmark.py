"""Speed of Khabar's NER model: tokens/s tagging, and articles/s building with NER on vs off.

Reads ``../shared/corpus/saudinews_syria.jsonl`` (or ``--corpus``); prints a
note and exits 0 when it is absent. One torch thread, as everywhere in Khabar.

    .venv/bin/python benchmarks/ner_benchmark.py --limit 200

"NER on" builds with the lexicon extractor's NER hook (``ner_scope``
"triggers": only sentences that hold a relation trigger are tagged, and
"all"); when ``LexiconExtractor`` has no ``ner`` option yet, that row says so.
"""

from __future__ import annotations

import argparse
import inspect
import itertools
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "saudinews_syria.jsonl"


def _articles(corpus: Path, limit: int):
    from extractors import read_articles

    return list(itertools.islice(read_articles([corpus], on_error=lambda _msg: None), limit))


def _tagging_speed(articles, tagger) -> tuple[int, float]:
    from extractors.sentences import split_sentences

    sents = [[t.text for t in s.tokens] for a in articles for s in split_sentences(a.text)]
    tagger(sents[:20])  # warm up
    started = time.perf_counter()
    tagger(sents)
    return sum(map(len, sents)), time.perf_counter() - started


def _build_speed(articles, extractor, repeat: int = 2) -> tuple[float, int]:
    """Seconds to build a graph of ``articles`` (best of ``repeat`` runs), and its statements."""
    from graph.build import build_graph

    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        result = build_graph(articles, extractor)
        best = min(best, time.perf_counter() - started)
    return best, result.statements


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=200, help="articles to use (default 200)")
    args = parser.parse_args(argv)
    if not args.corpus.is_file():
        print(f"skipped: {args.corpus} is absent (../shared is not here)")
        return 0
    try:
        from extractors.ner.resources import use_one_thread
        from extractors.ner.tagger import NerTagger, ner_mentions_batch

        tagger = NerTagger()
    except Exception as err:  # stanza or the model missing: nothing to measure
        print(f"skipped: the NER model cannot load ({err})")
        return 0
    use_one_thread(1)
    from extractors.lexicon import LexiconExtractor

    articles = _articles(args.corpus, args.limit)
    n_chars = sum(len(a.text) for a in articles)
    print(f"{len(articles)} articles, {n_chars / 1e6:.2f} M characters from {args.corpus.name}")

    tokens, seconds = _tagging_speed(articles, tagger)
    print(f"tagging: {tokens} tokens in {seconds:.1f} s = {tokens / seconds:,.0f} tokens/s")

    base_s, base_n = _build_speed(articles, LexiconExtractor())
    print(
        f"build, NER off:          {len(articles) / base_s:6.1f} articles/s "
        f"({base_s:.1f} s, {base_n} statements)"
    )
    if "ner" not in inspect.signature(LexiconExtractor).parameters:
        print("build, NER on: LexiconExtractor has no `ner` option yet (see extractors/ner)")
        return 0
    for scope in ("triggers", "all"):
        ext = LexiconExtractor(ner=ner_mentions_batch, ner_scope=scope)
        on_s, on_n = _build_speed(articles, ext)
        print(
            f"build, NER on ({scope:<8}): {len(articles) / on_s:6.1f} articles/s "
            f"({on_s:.1f} s, {on_n} statements, {on_s / base_s:.2f}x the time)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
