"""Throughput and memory of `khabar build`: prints a table, asserts nothing.

Usage: python benchmarks/build_benchmark.py [JSONL] [--limit N] [--workers 1,2]
       [--ner off,all] [--output nt|store] [--extractor trained]

Runs the real command line once per configuration (`--ner` × `--workers`) on
../shared/corpus/saudinews_syria.jsonl by default (skips cleanly when it is
absent), writing a streamed N-Triples file (or a store with ``--output store``)
in a temporary folder. Each row: wall seconds end to end (start-up and model
loading included), articles/s, MB/s of article text, triples written, and the
peak RSS of the whole process tree (the command and its workers, sampled every
0.05 s with psutil; without psutil, the largest single process).
"""

from __future__ import annotations

import argparse
import itertools
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractors import read_articles  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "corpus" / "saudinews_syria.jsonl"


def run_measured(command: list[str]) -> tuple[float, float, subprocess.CompletedProcess]:
    """(seconds, peak MB of the process tree, the finished process)."""
    start = time.perf_counter()
    try:
        import psutil
    except ImportError:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        return time.perf_counter() - start, peak, done
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        child = subprocess.Popen(command, stdout=out, stderr=err)
        proc = psutil.Process(child.pid)
        peak = 0
        while child.poll() is None:
            try:
                tree = [proc, *proc.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree))
            except psutil.Error:
                pass
            time.sleep(0.05)
        elapsed = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        done = subprocess.CompletedProcess(
            command, child.returncode, out.read().decode(), err.read().decode()
        )
    return elapsed, peak / 2**20, done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("jsonl", nargs="?", default=str(DEFAULT))
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    parser.add_argument("--ner", default="off,all", help="comma-separated --ner scopes")
    parser.add_argument("--extractor", default="trained")
    parser.add_argument("--output", choices=["nt", "store"], default="nt")
    args = parser.parse_args(argv)
    corpus = Path(args.jsonl)
    if not corpus.is_file():
        print(f"skipped: {corpus} not found")
        return 0
    with tempfile.TemporaryDirectory(prefix="khabar-bench-") as tmp:
        if args.limit:
            lines = itertools.islice(corpus.open(encoding="utf-8"), args.limit)
            corpus = Path(tmp) / "corpus.jsonl"
            corpus.write_text("".join(lines), encoding="utf-8")
        texts = [a.text for a in read_articles([corpus])]
        megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
        print(f"corpus: {args.jsonl} ({len(texts)} articles, {megabytes:.1f} MB of text)")
        print(f"extractor {args.extractor}, output {args.output}, {os.cpu_count()} CPUs")
        print()
        header = f"{'ner':9} {'workers':>7} {'seconds':>8} {'articles/s':>10} {'MB/s':>6}"
        print(f"{header} {'triples':>9} {'peak RSS MB':>11}")
        for ner, workers in itertools.product(args.ner.split(","), args.workers.split(",")):
            target = Path(tmp) / f"{ner}-{workers}"
            where = ["--store", str(target)] if args.output == "store" else ["-o", f"{target}.nt"]
            command = [sys.executable, "-m", "graph.cli", "build", str(corpus), *where]
            command += ["--extractor", args.extractor, "--ner", ner, "--workers", workers, "-q"]
            elapsed, peak, done = run_measured(command)
            if done.returncode != 0:
                print(f"{ner:9} {workers:>7} failed: {done.stderr.strip().splitlines()[-1:]}")
                continue
            triples = _count_triples(target, args.output)
            print(
                f"{ner:9} {workers:>7} {elapsed:8.1f} {len(texts) / elapsed:10.1f} "
                f"{megabytes / elapsed:6.2f} {triples:9d} {peak:11.0f}"
            )
    return 0


def _count_triples(target: Path, output: str) -> int:
    if output == "nt":
        with open(f"{target}.nt", "rb") as fh:
            return sum(1 for _ in fh)
    import pyoxigraph

    return len(pyoxigraph.Store.read_only(str(target)))


if __name__ == "__main__":
    sys.exit(main())
