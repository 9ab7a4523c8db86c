"""Tests for graph.render: one self-contained, offline HTML page, checked in a real browser."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import rdflib
from PIL import Image

from graph.network import to_networkx
from graph.render import (
    MAX_PHYSICS_NODES,
    NEGATED_COLOR,
    TYPE_COLORS,
    render_html,
    write_html,
)
from ontology import ENT

ROOT = Path(__file__).parents[2]
SMALL_GRAPH = ROOT / "tests" / "data" / "small_graph.ttl"
RLI, PDI = "\u2067", "\u2069"

PREFIXES = """
@prefix kh: <https://w3id.org/khabar/ontology#> .
@prefix ent: <https://w3id.org/khabar/id/> .
@prefix art: <https://w3id.org/khabar/article/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
"""


@pytest.fixture(scope="module")
def g():
    return rdflib.Graph().parse(SMALL_GRAPH, format="turtle")


@pytest.fixture(scope="module")
def html(g):
    return render_html(g, title="Sudan, May 2024")


def embedded(html: str, name: str):
    """The JSON the page hands to vis-network: "nodes", "edges" or "options"."""
    match = re.search(rf'<script type="application/json" id="kh-{name}">(.*?)</script>', html, re.S)
    assert match, f"no kh-{name} data in the page"
    return json.loads(match.group(1))


class ResourceLinks(HTMLParser):
    """Collects every src and href attribute of a page."""

    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        self.links += [(tag, value) for name, value in attrs if name in ("src", "href")]


# -- the page ---------------------------------------------------------------------------


def test_page_has_every_entity_label_and_relation(g, html):
    G = to_networkx(g)
    for _, attrs in G.nodes(data=True):
        assert attrs["label_ar"] in html
        assert attrs["label_en"] in html
    for relation in ["hosts", "supports", "¬ negotiatesWith", "attacks", "fights", "leads"]:
        assert f'"label":"{relation}"' in html


def test_page_loads_nothing_from_the_network(html):
    parser = ResourceLinks()
    parser.feed(html)
    external = [(tag, link) for tag, link in parser.links if re.match(r"(https?:)?//", link)]
    assert external == []
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html)  # CSS
    assert not re.search(r"<script[^>]*\ssrc=", html)  # every script is inline
    assert "<link" not in html
    assert "cdn.jsdelivr.net" not in html and "cdnjs.cloudflare.com" not in html


def test_page_inlines_vis_network(html):
    assert "vis.Network" in html
    assert len(html) > 400_000  # the minified library alone is about 470 kB


def test_negated_edges_are_dashed_red_and_marked(html):
    edges = embedded(html, "edges")
    negated = [edge for edge in edges if edge["dashes"]]
    assert [(edge["from"], edge["to"]) for edge in negated] == [
        (str(ENT["sudan-government"]), str(ENT["rapid-support-forces"]))
    ]
    assert negated[0]["label"] == "¬ negotiatesWith"
    assert negated[0]["color"]["color"] == NEGATED_COLOR
    for edge in edges:
        if not edge["dashes"]:
            assert not edge["label"].startswith("¬")
            assert edge["color"]["color"] != NEGATED_COLOR


def test_nodes_are_coloured_by_class_and_the_legend_names_the_classes(html):
    nodes = {node["id"]: node for node in embedded(html, "nodes")}
    assert nodes[str(ENT["qatar"])]["color"] == TYPE_COLORS["Country"]
    assert nodes[str(ENT["rapid-support-forces"])]["color"] == TYPE_COLORS["ArmedGroup"]
    assert nodes[str(ENT["el-fasher"])]["color"] == TYPE_COLORS["Place"]
    for name, count in [("Country", 2), ("Government", 1), ("ArmedGroup", 2), ("Person", 1)]:
        assert f"{name} ({count})" in html
    assert "Organization (" not in html  # only the classes in use


def test_arabic_labels_are_isolated_for_the_canvas(html):
    nodes = {node["id"]: node for node in embedded(html, "nodes")}
    assert nodes[str(ENT["brigade-17"])]["label"] == f"{RLI}اللواء 17{PDI}\n17th Brigade"


def test_tooltips_carry_labels_type_and_evidence(html):
    nodes = {node["id"]: node for node in embedded(html, "nodes")}
    assert nodes[str(ENT["qatar"])]["title"].split("\n")[:3] == ["قطر", "Qatar", "Country"]

    edges = {(edge["from"], edge["to"]): edge for edge in embedded(html, "edges")}
    support = edges[str(ENT["egypt"]), str(ENT["sudan-government"])]["title"]
    assert "وقالت مصر إنها تدعم الحكومة السودانية في مساعيها لإنهاء الحرب." in support
    assert "وقالت القاهرة إنها ستواصل دعم الحكومة السودانية." in support
    assert "sudan-talks-1 · 2024-05-12" in support
    assert f"{RLI}محادثات غير مباشرة في الدوحة{PDI}" in support
    assert "supports · support · 2 articles" in support
    denied = edges[str(ENT["sudan-government"]), str(ENT["rapid-support-forces"])]["title"]
    assert denied.startswith("¬ negotiatesWith")
    assert "denied" in denied


def test_article_text_cannot_inject_markup():
    g = rdflib.Graph().parse(
        format="turtle",
        data=PREFIXES
        + """
        ent:a a kh:Person ; rdfs:label "<b onmouseover=alert(1)>x</b>"@ar .
        ent:b a kh:Place ; rdfs:label "مكان"@ar .
        art:x dcterms:identifier "x" ; dcterms:title "<img src=x onerror=alert(2)>" .
        [] a rdf:Statement ; rdf:subject ent:a ; rdf:predicate kh:movesTo ; rdf:object ent:b ;
           prov:wasDerivedFrom art:x ; kh:evidence "</script><script>alert(3)</script>"@ar .
        """,
    )
    html = render_html(g, title="<script>alert(4)</script>")
    for attack in ["<b onmouseover", "<img src=x", "<script>alert", "</script><script>"]:
        assert attack not in html
    assert "&lt;script&gt;alert(4)&lt;/script&gt;" in html  # the title, escaped
    (edge,) = embedded(html, "edges")
    assert "</script><script>alert(3)</script>" in edge["title"]  # kept, as text


def test_empty_graph_renders_a_page_that_says_so():
    html = render_html(rdflib.Graph())
    assert html.startswith("<!DOCTYPE html>")
    assert html.rstrip().endswith("</html>")
    assert "The graph is empty" in html
    assert "<title>Khabar knowledge graph</title>" in html
    assert "vis.Network" not in html


def test_large_graph_is_laid_out_in_python_with_physics_off():
    n = MAX_PHYSICS_NODES + 5
    lines = [PREFIXES]
    for i in range(n - 1):
        lines.append(
            f"[] a rdf:Statement ; rdf:subject ent:e{i} ; rdf:predicate kh:fights ; "
            f"rdf:object ent:e{(i * 7 + 1) % n} ."
        )
    html = render_html(rdflib.Graph().parse(format="turtle", data="\n".join(lines)))
    nodes = embedded(html, "nodes")
    assert len(nodes) > MAX_PHYSICS_NODES
    assert embedded(html, "options")["physics"] == {"enabled": False}
    assert all(isinstance(node["x"], float) and isinstance(node["y"], float) for node in nodes)
    assert len({(node["x"], node["y"]) for node in nodes}) == len(nodes)  # spread out


def test_small_graph_keeps_physics_and_lets_vis_place_nodes(html):
    assert embedded(html, "options")["physics"].get("enabled", True) is True
    assert not any("x" in node for node in embedded(html, "nodes"))


def test_write_html_writes_utf8_whatever_the_locale(tmp_path):
    out = tmp_path / "graph.html"
    code = (
        "import sys, rdflib; from graph.render import write_html; "
        "write_html(rdflib.Graph().parse(sys.argv[1], format='turtle'), sys.argv[2])"
    )
    ascii_env = {
        "PATH": os.environ.get("PATH", ""),
        "LC_ALL": "C",
        "LANG": "C",
        "PYTHONCOERCECLOCALE": "0",
        "PYTHONUTF8": "0",
        "PYTHONPATH": str(ROOT),
    }
    result = subprocess.run(
        [sys.executable, "-c", code, str(SMALL_GRAPH), str(out)],
        cwd=ROOT,
        env=ascii_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "الحكومة السودانية" in out.read_bytes().decode("utf-8")


def test_write_html_returns_the_path_and_writes_render_html(g, tmp_path):
    path = write_html(g, tmp_path / "sub" / "graph.html", title="T")
    assert path == tmp_path / "sub" / "graph.html"
    assert path.read_text(encoding="utf-8") == render_html(g, title="T")


# -- in a real browser --------------------------------------------------------------------

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1200,900",
    "--virtual-time-budget=8000",
]


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else None


@pytest.fixture(scope="module")
def page(g, tmp_path_factory):
    """The small graph's page on disk, and a function running Chromium on it."""
    chromium = find_chromium()
    if chromium is None:
        pytest.skip("no Chromium binary (chromium, chromium-browser, google-chrome) found")
    tmp = tmp_path_factory.mktemp("browser")
    path = write_html(g, tmp / "graph.html")

    def run(*args: str) -> subprocess.CompletedProcess:
        profile = f"--user-data-dir={tmp / 'profile'}"
        command = [chromium, *CHROMIUM_FLAGS, profile, *args, path.as_uri()]
        result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
        assert result.returncode == 0, result.stderr[-2000:]
        return result

    return tmp, run


@pytest.fixture(scope="module")
def screenshot(page):
    tmp, run = page
    png = tmp / "graph.png"
    run(f"--screenshot={png}")
    assert png.is_file(), "Chromium wrote no screenshot"
    return Image.open(png).convert("RGB")


def near(pixel, rgb, tolerance=8):
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, rgb, strict=True))


def test_browser_builds_the_vis_canvas(page):
    _, run = page
    dom = run("--dump-dom").stdout
    assert re.search(r'<div id="network"[^>]*>\s*<div class="vis-network"[^>]*>\s*<canvas', dom)


def test_browser_draws_a_non_blank_page(screenshot):
    pixels = list(screenshot.get_flattened_data())
    non_white = sum(1 for pixel in pixels if not near(pixel, (255, 255, 255), 16))
    assert non_white / len(pixels) > 0.03
    assert len(set(pixels)) > 200


@pytest.mark.parametrize("type_", ["Country", "Government", "ArmedGroup", "Person", "Place"])
def test_browser_draws_the_nodes_in_their_class_colour(screenshot, type_):
    rgb = tuple(int(TYPE_COLORS[type_][i : i + 2], 16) for i in (1, 3, 5))
    count = sum(1 for pixel in screenshot.get_flattened_data() if near(pixel, rgb))
    # The legend's swatch alone is a 12 px disc (~115 pixels); a drawn node is a
    # disc of radius 16 px or more (~800 pixels).
    assert count > 500, f"{type_}: only {count} pixels of {TYPE_COLORS[type_]}"


def test_browser_draws_the_denied_edge_in_red(screenshot):
    reddish = sum(
        1 for r, g, b in screenshot.get_flattened_data() if r - max(g, b) > 80 and abs(g - b) < 40
    )
    # The legend's dashed sample alone gives about 40 such pixels.
    assert reddish > 150
