"""The Oxigraph store against an rdflib graph file: load time and canned-query latency.

Usage: python benchmarks/store_benchmark.py [--graph FILE.nt] [--triples N]
       [--file-repeat K] [--store-repeat K]

Without ``--graph``, builds ../shared/corpus/saudinews_syria.jsonl with
``--ner off`` into N-Triples (skips cleanly when the corpus is absent). The
graph is then copied with renamed articles and statements (entities shared)
until it has at least ``--triples`` triples (default 1,000,000), and:

- loaded into rdflib (what ``khabar query FILE`` does for every query) and
  bulk-loaded into a new Oxigraph store (``khabar build --store``), timed;
- every canned query (``khabar query --list``) run ``--file-repeat`` times on
  the rdflib graph (in a child process stopped after ``--file-cap`` seconds in
  all) and ``--store-repeat`` times on the store (likewise, ``--store-cap``);
  p50 and p99 in ms, ">N" when the runs did not finish in N ms.

Prints a table; asserts nothing.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph.serialize import read_graph  # noqa: E402
from graph.sparql import canned_queries, resolve_query, run_query  # noqa: E402
from graph.store import OxigraphStore  # noqa: E402
from ontology import ART, ENT, STMT  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "corpus" / "saudinews_syria.jsonl"
PARAMS = {"actor": {"actor": "turkey"}, "timeline": {"a": "turkey", "b": "russia"}}


def replicate(source: Path, target: Path, min_triples: int) -> int:
    """Write copies of ``source`` (articles and statements renamed) until min_triples."""
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    entity = f"<{ENT}"
    shared = [line for line in lines if line.startswith(entity)]
    own = [line for line in lines if not line.startswith(entity)]
    written, copy = 0, 0
    with target.open("w", encoding="utf-8") as out:
        out.writelines(shared)
        written += len(shared)
        while written < min_triples or copy == 0:
            art, stmt = f"<{ART}", f"<{STMT}"
            for line in own:
                out.write(_rename(_rename(line, art, f"~{copy}"), stmt, f"x{copy}"))
            written += len(own)
            copy += 1
    return written


def _rename(line: str, prefix: str, suffix: str) -> str:
    if prefix not in line:
        return line
    parts = line.split(prefix)
    return parts[0] + "".join(prefix + p.replace(">", suffix + ">", 1) for p in parts[1:])


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed_in_child(run, text: str, repeat: int, cap: float):
    """(rows, ms per run) of ``run(text)`` in a forked child; (None, []) past ``cap`` s in all."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def work() -> None:
        times, rows = [], 0
        for _ in range(repeat):
            start = time.perf_counter()
            rows = len(run(text))
            times.append((time.perf_counter() - start) * 1000)
        send.send((rows, times))

    child = context.Process(target=work)
    child.start()
    answer = receive.recv() if receive.poll(cap) else (None, [])
    child.kill()
    child.join()
    return answer


def _store_query(path: Path, text: str):
    store = OxigraphStore(path, read_only=True)  # opened in the child, after the fork
    return store.query(text)


def _cell(times: list[float], cap: float, width: int) -> str:
    """p50 and p99 in ms, or '>cap' twice when the runs did not finish in time."""
    if not times:
        over = f">{round(cap * 1000)}"
        return f"{over:>{width}} {over:>{width}}"
    return f"{statistics.median(times):{width}.0f} {percentile(times, 0.99):{width}.0f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graph", type=Path, help="an N-Triples graph to start from")
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--file-repeat", type=int, default=3)
    parser.add_argument("--store-repeat", type=int, default=20)
    parser.add_argument(
        "--store-cap", type=float, default=120.0, help="seconds Oxigraph may take per query"
    )
    parser.add_argument(
        "--file-cap", type=float, default=120.0, help="seconds rdflib may take per query"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="khabar-store-bench-") as tmp:
        base = args.graph
        if base is None:
            if not DEFAULT.is_file():
                print(f"skipped: {DEFAULT} not found")
                return 0
            base = Path(tmp) / "base.nt"
            command = [sys.executable, "-m", "graph.cli", "build", str(DEFAULT), "-o", str(base)]
            subprocess.run([*command, "--ner", "off", "-q"], check=True)
        big = Path(tmp) / "big.nt"
        triples = replicate(base, big, args.triples)
        size = big.stat().st_size / 2**20
        print(f"graph: {triples} triples ({size:.0f} MB of N-Triples) from {base.name}")

        start = time.perf_counter()
        store = OxigraphStore(Path(tmp) / "store", create=True)
        store.load_file(big)
        store.close()
        store_load = time.perf_counter() - start
        store_path = Path(tmp) / "store"
        with OxigraphStore(store_path, read_only=True) as store:
            print(f"store: {len(store)} triples")

        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        start = time.perf_counter()
        graph = read_graph(big)
        file_load = time.perf_counter() - start
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"rdflib: {len(graph)} triples")
        print()
        print(f"{'load':24} {'seconds':>8}")
        print(f"{'Oxigraph bulk load':24} {store_load:8.1f}")
        print(f"{'rdflib parse':24} {file_load:8.1f}   (peak RSS +{rss_after - rss_before:.0f} MB)")
        print()
        print(
            f"{'canned query':16} {'rows':>6} {'file p50':>9} {'file p99':>9} "
            f"{'store p50':>10} {'store p99':>10}   (ms; file: rdflib, graph already parsed)"
        )
        for name in sorted(canned_queries()):
            text = resolve_query(name, params=PARAMS.get(name, {}))
            file_ms, store_ms = [], []
            rows = 0
            rows, file_ms = timed_in_child(
                partial(run_query, graph), text, args.file_repeat, args.file_cap
            )
            store_rows, store_ms = timed_in_child(
                partial(_store_query, store_path), text, args.store_repeat, args.store_cap
            )
            flag = "" if None in (rows, store_rows) or store_rows == rows else f" file {rows}"
            print(
                f"{name:16} {store_rows if store_rows is not None else '?':>6} "
                f"{_cell(file_ms, args.file_cap, 9)} {_cell(store_ms, args.store_cap, 10)}{flag}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
