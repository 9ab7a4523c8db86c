"""How fast the rendered explorer becomes usable in headless Chromium, by graph size.

For each size, a synthetic network shaped like ``to_networkx``'s output (typed
entities with Arabic and English labels, relations of every family, dated
evidence) is rendered with ``graph.render.render_network``; the page is opened
in headless Chromium, driven over the DevTools protocol on a pipe
(``--remote-debugging-pipe``: no network port, no extra package), and timed:

- python: seconds to build the page (centrality, pruning, layout, HTML);
- ready: milliseconds from navigation start to the network's first drawing
  (``window.khabar.readyAt``, in the page's own clock): interactive from then on;
  wall: the same seen from outside, from the navigate command to the answer;
- zoom, filter: milliseconds for one redraw after a zoom, and to apply a
  relation filter and redraw.

Run: ``.venv/bin/python benchmarks/render_benchmark.py [--sizes 1000,5000,20000]``.
It prints one line per size; it asserts nothing (this is not a test).
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph.render import MAX_NODES, render_network  # noqa: E402
from tests.browser import HEADLESS_CHROMIUM_FLAGS, find_chromium  # noqa: E402

CHROMIUM_FLAGS = [*HEADLESS_CHROMIUM_FLAGS, "--window-size=1400,900"]

RELATIONS = [
    ("negotiatesWith", "talks", True),
    ("meetsWith", "talks", True),
    ("accuses", "talks", False),
    ("supports", "support", False),
    ("allyOf", "support", True),
    ("attacks", "violence", False),
    ("fights", "violence", True),
    ("detains", "violence", False),
    ("withdrawsFrom", "movement", False),
    ("deploysTo", "movement", False),
    ("leads", "roles", False),
    ("memberOf", "roles", False),
]
TYPES = ["Country", "Government", "ArmedGroup", "Organization", "Group", "Person", "Place"]
WORDS = "قوات جيش حكومة مجلس حركة لواء جبهة تحالف وزارة مدينة محافظة حزب".split()


def synthetic_network(n: int, *, seed: int = 1) -> nx.MultiDiGraph:
    """``n`` entities, about ``2 n`` relations: a few hubs, many small clusters."""
    rng = random.Random(seed)
    G = nx.MultiDiGraph()
    for i in range(n):
        iri = f"https://w3id.org/khabar/id/e{i}"
        G.add_node(
            iri,
            iri=iri,
            label_ar=f"{rng.choice(WORDS)} {rng.choice(WORDS)} {i}",
            label_en=f"Entity {i}" if rng.random() < 0.7 else None,
            type=rng.choice(TYPES),
        )
    nodes = list(G)
    for i, u in enumerate(nodes):
        for _ in range(2):
            if rng.random() < 0.7:  # mostly within a cluster of 40
                v = nodes[(i // 40) * 40 + rng.randrange(40) if (i // 40 + 1) * 40 <= n else i]
            else:  # or towards a hub (Pareto: few entities get most links)
                v = nodes[min(int(rng.paretovariate(1.1)) - 1, n - 1)]
            if u == v:
                continue
            relation, family, symmetric = rng.choice(RELATIONS)
            negated = rng.random() < 0.05
            evidence = [
                {
                    "sentence": f"جملة الدليل رقم {i} عن {relation}.",
                    "article_id": f"a{rng.randrange(n)}",
                    "article_title": f"عنوان المقال {rng.randrange(1000)}",
                    "date": f"2024-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
                    "outlet": rng.choice(["outlet-a", "outlet-b", None]),
                    "url": None,
                    "confidence": round(rng.uniform(0.5, 1), 2),
                }
                for _ in range(rng.choice([1, 1, 1, 2, 3]))
            ]
            key = (relation, negated)
            if G.has_edge(u, v, key):
                continue
            G.add_edge(
                u,
                v,
                key=key,
                relation=relation,
                family=family,
                symmetric=symmetric,
                negated=negated,
                evidence=evidence,
                count=len({ev["article_id"] for ev in evidence}),
            )
    return G


class Chromium:
    """Headless Chromium driven over the DevTools protocol on fds 3 and 4 (NUL-framed JSON)."""

    def __init__(self, binary: str, profile: str) -> None:
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def wire_fds():  # runs in the child: Chromium reads fd 3 and writes fd 4
            # Move both ends above 10 first: a pipe end may itself be fd 3 or 4, and
            # dup2 onto itself would keep its close-on-exec flag.
            high_r = fcntl.fcntl(to_chrome_r, fcntl.F_DUPFD, 10)
            high_w = fcntl.fcntl(from_chrome_w, fcntl.F_DUPFD, 10)
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        self.process = subprocess.Popen(
            [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=wire_fds,
            close_fds=False,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buffer = b""
        self._next_id = 0
        self.session = None

    def send(self, method: str, params: dict | None = None, *, session: bool = True) -> dict:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._receive()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]

    def _receive(self) -> dict:
        while b"\0" not in self._buffer:
            chunk = os.read(self._from_chrome, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def open_page(self) -> None:
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)
        attached = self.send(
            "Target.attachToTarget",
            {"targetId": target["targetId"], "flatten": True},
            session=False,
        )
        self.session = attached["sessionId"]
        self.send("Runtime.enable")

    def evaluate(self, expression: str):
        result = self.send(
            "Runtime.evaluate",
            {"expression": expression, "awaitPromise": True, "returnByValue": True},
        )
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"].get("text", "script error"))
        return result["result"].get("value")

    def close(self) -> None:
        try:
            self.send("Browser.close", session=False)
        except RuntimeError:
            pass
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        os.close(self._to_chrome)
        os.close(self._from_chrome)


def measure_page(chromium: Chromium, url: str, *, timeout: float = 120.0) -> dict:
    """Open ``url`` and time the first drawing, a zoom redraw and a filter."""
    chromium.evaluate("window.khabar = undefined")  # the previous page must not answer
    start = time.monotonic()
    chromium.send("Page.navigate", {"url": url})
    while time.monotonic() < start + timeout:
        ready = chromium.evaluate("window.khabar && window.khabar.readyAt || null")
        if ready:
            break
        time.sleep(0.02)
    else:
        return {"ready_ms": None}
    wall = (time.monotonic() - start) * 1000
    redraw = """new Promise((done) => {
        const t = performance.now();
        khabar.network.once("afterDrawing", () => done(performance.now() - t));
        khabar.network.moveTo({scale: khabar.network.getScale() * 1.5});
    })"""
    filtered = """new Promise((done) => {
        const t = performance.now();
        const next = khabar.defaults();
        next.relations = new Set(["supports", "attacks"]);
        khabar.network.once("afterDrawing", () => done(performance.now() - t));
        khabar.apply(next);
        khabar.network.redraw();
    })"""
    return {
        "ready_ms": ready,
        "wall_ms": wall,
        "zoom_ms": chromium.evaluate(redraw),
        "filter_ms": chromium.evaluate(filtered),
        "shown": chromium.evaluate("document.getElementById('kh-visible').dataset.nodes"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000,20000", help="comma-separated node counts")
    parser.add_argument("--max-nodes", type=int, default=MAX_NODES, help="render's cap (0: none)")
    args = parser.parse_args()
    binary = find_chromium() or "/usr/bin/chromium"
    with tempfile.TemporaryDirectory() as tmp:
        chromium = Chromium(binary, str(Path(tmp) / "profile"))
        try:
            chromium.open_page()
            print(
                f"{'nodes':>7} {'edges':>7} {'drawn':>6} {'python s':>9} {'MB':>6} "
                f"{'ready ms':>9} {'wall ms':>8} {'zoom ms':>8} {'filter ms':>9}"
            )
            for n in [int(size) for size in args.sizes.split(",")]:
                G = synthetic_network(n)
                start = time.perf_counter()
                html = render_network(G, title=f"{n} nodes", max_nodes=args.max_nodes)
                seconds = time.perf_counter() - start
                path = Path(tmp) / f"graph-{n}.html"
                path.write_text(html, encoding="utf-8")
                result = measure_page(chromium, path.as_uri())
                drawn = html.count('"links":')
                print(
                    f"{n:>7} {G.number_of_edges():>7} {drawn:>6} {seconds:>9.1f} "
                    f"{len(html.encode()) / 1e6:>6.1f} {_ms(result.get('ready_ms')):>9} "
                    f"{_ms(result.get('wall_ms')):>8} "
                    f"{_ms(result.get('zoom_ms')):>8} {_ms(result.get('filter_ms')):>9}",
                    flush=True,
                )
        finally:
            chromium.close()


def _ms(value) -> str:
    return "timeout" if value is None else f"{value:.0f}"


if __name__ == "__main__":
    main()
