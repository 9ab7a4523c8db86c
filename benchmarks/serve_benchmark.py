"""How ``khabar serve`` holds up under many concurrent clients sending GROUP BY queries.

Builds (once, into ``--workdir``) the graph of ``../shared/corpus/saudinews_syria.jsonl``
with the quick settings (``--extractor lexicon --ner off``), starts a real
``khabar serve`` on a free loopback port in its own process, and runs
``--clients`` threads that each send GROUP BY queries, one connection per
request, for ``--seconds`` (or ``--requests`` each). Every request ends in one of:

- answered: HTTP 200;
- busy: HTTP 503 (the server said it is saturated; Retry-After is checked);
- http: any other HTTP status (e.g. 502, 504);
- reset, refused, timeout, other: no HTTP answer at all (the failures to avoid).

It prints one table row per client count, with the median and 99th percentile
latency of the answered requests. It asserts nothing (this is not a test).

Run: ``.venv/bin/python benchmarks/serve_benchmark.py [--clients 100] [--seconds 30]``.
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "saudinews_syria.jsonl"

QUERIES = [
    # Statements by relation.
    """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?p (COUNT(*) AS ?n) WHERE { ?s a rdf:Statement ; rdf:predicate ?p }
GROUP BY ?p ORDER BY DESC(?n)""",
    # Entities by class.
    """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?class (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?class }
GROUP BY ?class ORDER BY DESC(?n)""",
    # The most active subjects.
    """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?s (COUNT(*) AS ?n) WHERE { ?st rdf:subject ?s }
GROUP BY ?s ORDER BY DESC(?n) LIMIT 20""",
    # Statements per article.
    """PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?a (COUNT(?st) AS ?n) WHERE { ?st prov:wasDerivedFrom ?a }
GROUP BY ?a ORDER BY DESC(?n) LIMIT 50""",
]


def build_graph(workdir: Path) -> Path:
    """The Syria corpus's graph in ``workdir`` (built once; about a minute)."""
    out = workdir / "saudinews_syria.ttl"
    if out.is_file():
        return out
    if not CORPUS.is_file():
        sys.exit(f"no corpus at {CORPUS}; pass --graph FILE")
    workdir.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        "-m",
        "graph.cli",
        "build",
        str(CORPUS),
        "-o",
        str(out),
        "--extractor",
        "lexicon",
        "--ner",
        "off",
    ]
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return out


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(graph: Path, port: int, timeout: float) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "graph.cli", "serve", str(graph), "--port", str(port)]
        + ["--timeout", str(timeout)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit("khabar serve exited early")
        try:
            with socket.create_connection(("127.0.0.1", port), 1):
                pass
            status, _ = one_request(port, "ASK {}", 10)
            if status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.2)
    process.terminate()
    sys.exit("khabar serve did not answer within 120 s")


def one_request(port: int, query: str, timeout: float) -> tuple[int, str | None]:
    """(HTTP status, Retry-After) of one POSTed query on a fresh connection."""
    body = urllib.parse.urlencode({"query": query}).encode()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(
            "POST",
            "/sparql",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/sparql-results+json",
            },
        )
        answer = conn.getresponse()
        answer.read()
        return answer.status, answer.getheader("Retry-After")
    finally:
        conn.close()


def classify(err: BaseException) -> str:
    if isinstance(err, ConnectionRefusedError):
        return "refused"
    if isinstance(err, (ConnectionResetError, BrokenPipeError, ConnectionAbortedError)):
        return "reset"
    if isinstance(err, http.client.RemoteDisconnected):
        return "reset"  # closed without an answer: a reset as far as the client knows
    if isinstance(err, (TimeoutError, socket.timeout)):
        return "timeout"
    return "other:" + type(err).__name__


def run_clients(
    port: int, *, clients: int, seconds: float, requests: int, timeout: float
) -> tuple[Counter, list[float], float]:
    """Outcome counts, latencies (s) of answered requests, and the wall time."""
    outcomes: Counter = Counter()
    latencies: list[float] = []
    lock = threading.Lock()
    start_gate = threading.Barrier(clients + 1)
    stop_at = [0.0]

    def client(number: int) -> None:
        start_gate.wait()
        sent = 0
        while (requests and sent < requests) or (not requests and time.monotonic() < stop_at[0]):
            query = QUERIES[(number + sent) % len(QUERIES)]
            sent += 1
            began = time.monotonic()
            try:
                status, retry_after = one_request(port, query, timeout)
            except Exception as err:  # every failure is counted by kind
                kind = classify(err)
            else:
                if status == 200:
                    kind = "answered"
                elif status == 503:
                    kind = "busy" if retry_after else "busy-no-retry-after"
                else:
                    kind = f"http {status}"
            took = time.monotonic() - began
            with lock:
                outcomes[kind] += 1
                if kind == "answered":
                    latencies.append(took)
            if kind == "busy":
                time.sleep(min(float(retry_after or 1), 1.0))

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    stop_at[0] = time.monotonic() + seconds
    began = time.monotonic()
    start_gate.wait()
    for thread in threads:
        thread.join()
    return outcomes, latencies, time.monotonic() - began


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graph", type=Path, help="graph file (default: build the Syria corpus)")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/khabar-serve-benchmark"))
    parser.add_argument("--clients", default="100", help="comma-separated client counts")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long each run lasts")
    parser.add_argument(
        "--requests", type=int, default=0, help="requests per client instead of --seconds"
    )
    parser.add_argument("--timeout", type=float, default=60.0, help="client socket timeout, s")
    args = parser.parse_args()
    graph = args.graph or build_graph(args.workdir)
    port = free_port()
    server = start_server(graph, port, timeout=30)
    try:
        kinds = ["answered", "busy", "reset", "refused", "timeout"]
        print(
            f"{'clients':>7} {'requests':>8} {'answered':>8} {'503':>5} {'reset':>5} "
            f"{'refused':>7} {'timeout':>7} {'other':>5} {'p50 ms':>7} {'p99 ms':>7} "
            f"{'req/s':>6}"
        )
        for clients in [int(n) for n in args.clients.split(",")]:
            outcomes, latencies, wall = run_clients(
                port,
                clients=clients,
                seconds=args.seconds,
                requests=args.requests,
                timeout=args.timeout,
            )
            total = sum(outcomes.values())
            other = {kind: n for kind, n in outcomes.items() if kind not in kinds}
            p50, p99 = percentile(latencies, 50), percentile(latencies, 99)
            print(
                f"{clients:>7} {total:>8} {outcomes['answered']:>8} {outcomes['busy']:>5} "
                f"{outcomes['reset']:>5} {outcomes['refused']:>7} {outcomes['timeout']:>7} "
                f"{sum(other.values()):>5} {_ms(p50):>7} {_ms(p99):>7} "
                f"{outcomes['answered'] / wall:>6.1f}",
                flush=True,
            )
            if other:
                print("        other:", dict(sorted(other.items())), flush=True)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def _ms(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1000:.0f}"


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
