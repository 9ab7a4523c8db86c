"""Tests for graph.render: one self-contained, offline HTML page, checked in a real browser."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
import rdflib
from click.testing import CliRunner
from PIL import Image

from extractors.errors import KhabarError
from graph.cli_explore import render as render_command
from graph.layout import layout_positions
from graph.network import to_networkx
from graph.render import (
    FAMILY_COLORS,
    MAX_PHYSICS_NODES,
    TYPE_COLORS,
    render_html,
    render_network,
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


def test_negated_edges_are_dashed_and_marked(html):
    edges = embedded(html, "edges")
    negated = [edge for edge in edges if edge["dashes"]]
    assert [(edge["from"], edge["to"]) for edge in negated] == [
        (str(ENT["sudan-government"]), str(ENT["rapid-support-forces"]))
    ]
    assert negated[0]["label"] == "¬ negotiatesWith"
    assert negated[0]["negated"] is True
    for edge in edges:
        if not edge["dashes"]:
            assert not edge["label"].startswith("¬") and edge["negated"] is False


def test_edges_are_coloured_by_family_and_as_wide_as_their_articles(html):
    edges = {edge["relation"]: edge for edge in embedded(html, "edges")}
    for relation, family in [
        ("hosts", "talks"),
        ("supports", "support"),
        ("negotiatesWith", "talks"),
        ("attacks", "violence"),
        ("fights", "violence"),
        ("leads", "roles"),
    ]:
        assert edges[relation]["family"] == family
        assert edges[relation]["color"]["color"] == FAMILY_COLORS[family]
    assert edges["supports"]["count"] == 2
    assert edges["supports"]["width"] > edges["hosts"]["width"] == 1
    assert "talks" in html and "violence" in html  # the legend names the families


def test_node_size_follows_degree_or_pagerank(g):
    def sizes(html):
        return {node["id"]: node["size"] for node in embedded(html, "nodes")}

    by_degree = sizes(render_html(g, size_by="degree"))
    by_rank = sizes(render_html(g, size_by="pagerank"))
    rsf = str(ENT["rapid-support-forces"])
    assert by_degree[rsf] == max(by_degree.values())  # linked with 4 of the 6 others
    assert by_degree[str(ENT["qatar"])] < by_degree[str(ENT["sudan-government"])]
    # Nothing reaches Qatar or Egypt: lowest PageRank; degree does not tell them apart from Fasher.
    assert by_rank[str(ENT["qatar"])] == min(by_rank.values())
    assert by_rank != by_degree
    with pytest.raises(ValueError):
        render_html(g, size_by="betweenness")


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
    brigade = nodes[str(ENT["brigade-17"])]
    assert brigade["label"] == f"{RLI}اللواء 17{PDI}"  # Arabic by default; English in the page
    assert (brigade["label_ar"], brigade["label_en"]) == ("اللواء 17", "17th Brigade")


def test_edges_carry_every_evidence_sentence_with_title_date_and_outlet(html):
    articles = embedded(html, "articles")
    edges = {(edge["from"], edge["to"]): edge for edge in embedded(html, "edges")}
    support = edges[str(ENT["egypt"]), str(ENT["sudan-government"])]
    assert [sentence for sentence, _, _ in support["ev"]] == [
        "وقالت مصر إنها تدعم الحكومة السودانية في مساعيها لإنهاء الحرب.",
        "وأكدت مصر مجددا دعمها للحكومة السودانية.",
        "وقالت القاهرة إنها ستواصل دعم الحكومة السودانية.",
    ]
    assert [articles[index] for _, index, _ in support["ev"]][0] == [
        "sudan-talks-1",
        "محادثات غير مباشرة في الدوحة",
        "2024-05-12",
        "khabar-tests",
        None,
    ]
    assert [confidence for _, _, confidence in support["ev"]] == [0.9, 0.8, 0.6]


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
    assert edge["ev"][0][0] == "</script><script>alert(3)</script>"  # kept, as text
    assert embedded(html, "articles")[0][1] == "<img src=x onerror=alert(2)>"


def test_empty_graph_renders_a_page_that_says_so():
    html = render_html(rdflib.Graph())
    assert html.startswith("<!DOCTYPE html>")
    assert html.rstrip().endswith("</html>")
    assert "The graph is empty" in html
    assert "<title>Khabar knowledge graph</title>" in html
    assert "vis.Network" not in html


def chain_graph(n: int) -> rdflib.Graph:
    lines = [PREFIXES]
    for i in range(n - 1):
        lines.append(
            f"[] a rdf:Statement ; rdf:subject ent:e{i} ; rdf:predicate kh:fights ; "
            f"rdf:object ent:e{(i * 7 + 1) % n} ."
        )
    return rdflib.Graph().parse(format="turtle", data="\n".join(lines))


def test_large_graph_is_laid_out_in_python_with_physics_off():
    html = render_html(chain_graph(MAX_PHYSICS_NODES + 5))
    nodes = embedded(html, "nodes")
    assert len(nodes) > MAX_PHYSICS_NODES
    assert embedded(html, "options")["physics"] == {"enabled": False}
    assert embedded(html, "options")["layout"]["improvedLayout"] is False
    assert all(isinstance(node["x"], float) and isinstance(node["y"], float) for node in nodes)
    assert len({(node["x"], node["y"]) for node in nodes}) == len(nodes)  # spread out


def test_small_graph_ships_positions_and_stabilises_briefly(html):
    physics = embedded(html, "options")["physics"]
    assert physics.get("enabled", True) is True
    assert physics["stabilization"]["iterations"] <= 200
    assert all("x" in node and "y" in node for node in embedded(html, "nodes"))
    assert embedded(html, "meta")["physics"] is True  # the page turns physics off once stable


def test_a_big_graph_is_pruned_to_the_most_central_with_a_note():
    html = render_html(chain_graph(60), max_nodes=20)
    assert len(embedded(html, "nodes")) == 20
    assert "showing the 20 entities with the highest degree of 60" in html
    assert "40 entities and" in html and "--focus ENTITY" in html
    assert "left out" not in render_html(chain_graph(60), max_nodes=0)


def test_layout_keeps_linked_nodes_closer_than_unlinked_ones():
    # Two 12-cliques joined by one edge: the layout must show two clusters.
    G = nx.disjoint_union(nx.complete_graph(12), nx.complete_graph(12))
    G.add_edge(0, 12)
    pos = layout_positions(G)

    def dist(a, b):
        return ((pos[a][0] - pos[b][0]) ** 2 + (pos[a][1] - pos[b][1]) ** 2) ** 0.5

    inside = [dist(a, b) for a in range(12) for b in range(a + 1, 12)]
    across = [dist(a, b) for a in range(1, 12) for b in range(13, 24)]
    assert max(inside) < min(across)
    assert len(set(pos.values())) == 24
    assert layout_positions(G) == pos  # deterministic


# -- focus ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["egypt", "ent:egypt", "Egypt", "EGYPT", "مصر", str(ENT["egypt"])])
def test_focus_draws_the_ego_network(g, name):
    html = render_html(g, focus=name, hops=1)
    nodes = {node["id"]: node for node in embedded(html, "nodes")}
    assert set(nodes) == {str(ENT["egypt"]), str(ENT["sudan-government"])}
    assert nodes[str(ENT["egypt"])]["borderWidth"] == 4  # the focus stands out
    assert embedded(html, "meta")["focus"] == str(ENT["egypt"])
    assert "within 1 step of مصر / Egypt" in html


def test_focus_hops_widen_the_ego_network(g):
    two = {node["id"] for node in embedded(render_html(g, focus="egypt", hops=2), "nodes")}
    assert two == {
        str(ENT[name]) for name in ["egypt", "sudan-government", "qatar", "rapid-support-forces"]
    }


def test_unknown_focus_is_a_one_line_error(g, tmp_path):
    with pytest.raises(KhabarError, match="unknown entity 'Atlantis'"):
        render_html(g, focus="Atlantis")
    result = CliRunner().invoke(
        render_command, [str(SMALL_GRAPH), "-o", str(tmp_path / "x.html"), "--focus", "Egipt"]
    )
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: unknown entity 'Egipt' (did you mean 'Egypt'?)"
    ]
    assert not (tmp_path / "x.html").exists()


def test_render_command_writes_the_explorer(tmp_path):
    out = tmp_path / "g.html"
    result = CliRunner().invoke(
        render_command,
        [str(SMALL_GRAPH), "-o", str(out), "--size-by", "pagerank", "--focus", "rsf"],
    )
    assert result.exit_code == 1 and "unknown entity 'rsf'" in result.output
    result = CliRunner().invoke(
        render_command,
        [
            str(SMALL_GRAPH),
            "-o",
            str(out),
            "--size-by",
            "pagerank",
            "--focus",
            "Rapid Support Forces",
            "--hops",
            "1",
            "--title",
            "RSF",
        ],
    )
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "<title>RSF</title>" in html and "Node size: PageRank" in html
    assert len(embedded(html, "nodes")) == 5
    assert "Example: khabar render" in CliRunner().invoke(render_command, ["--help"]).output


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

CHROMIUM_FLAGS = ["--window-size=1200,900", "--virtual-time-budget=8000"]


@pytest.fixture(scope="module")
def page(g, tmp_path_factory, chromium):
    """The small graph's page on disk, and a function running Chromium on it."""
    tmp = tmp_path_factory.mktemp("browser")
    path = write_html(g, tmp / "graph.html")

    def run(*args: str, fragment: str = "") -> subprocess.CompletedProcess:
        profile = f"--user-data-dir={tmp / 'profile'}"
        url = path.as_uri() + (f"#{fragment}" if fragment else "")
        command = [*chromium, *CHROMIUM_FLAGS, profile, *args, url]
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


def reddish(image) -> int:
    return sum(
        1 for r, g, b in image.get_flattened_data() if r - max(g, b) > 80 and abs(g - b) < 40
    )


def test_browser_draws_the_violence_edges_in_red(screenshot):
    # attacks and fights (violence) are red; the legend's red line alone is about 80 pixels.
    assert reddish(screenshot) > 150


def visible_counts(dom: str) -> tuple[int, int]:
    match = re.search(r'id="kh-visible" data-nodes="(\d+)" data-edges="(\d+)"', dom)
    assert match, "the page did not count what it shows"
    return int(match.group(1)), int(match.group(2))


@pytest.mark.parametrize(
    ("fragment", "nodes", "edges"),
    [
        ("", 7, 6),
        ("relation=supports", 2, 1),
        ("relation=supports,attacks", 4, 2),
        ("class=Country,Government", 3, 2),  # Qatar hosts, Egypt supports the government
        ("min=2", 2, 1),  # only "supports" has two articles
        ("from=2024-05-13", 6, 4),  # the second article: attacks, fights, leads, supports
        ("to=2024-05-12", 4, 3),  # the first: hosts, supports, the denied talks
        ("denied=0", 7, 5),
    ],
)
def test_browser_filters_from_the_url_fragment(page, fragment, nodes, edges):
    _, run = page
    dom = run("--dump-dom", fragment=fragment).stdout
    assert visible_counts(dom) == (nodes, edges)


def test_browser_shows_every_evidence_sentence_with_its_article(page, html):
    _, run = page
    support = next(edge for edge in embedded(html, "edges") if edge["relation"] == "supports")
    dom = run("--dump-dom", fragment=f"show={support['id']}").stdout
    details = re.search(r'<div id="kh-details"[^>]*>(.*?)</div>\s*</aside>', dom, re.S).group(1)
    text = re.sub(r"<[^>]+>", "\n", details)
    for sentence in [
        "وقالت مصر إنها تدعم الحكومة السودانية في مساعيها لإنهاء الحرب.",
        "وأكدت مصر مجددا دعمها للحكومة السودانية.",
        "وقالت القاهرة إنها ستواصل دعم الحكومة السودانية.",
    ]:
        assert sentence in text
    assert "محادثات غير مباشرة في الدوحة · 2024-05-12 · khabar-tests · sudan-talks-1" in text
    assert "supports · support · 2 articles" in text


def test_browser_filter_changes_the_drawing(page, screenshot):
    tmp, run = page
    png = tmp / "filtered.png"
    run(f"--screenshot={png}", fragment="relation=supports")
    filtered = Image.open(png).convert("RGB")
    orange = tuple(int(TYPE_COLORS["ArmedGroup"][i : i + 2], 16) for i in (1, 3, 5))

    def count(image, rgb):
        return sum(1 for pixel in image.get_flattened_data() if near(pixel, rgb))

    assert count(screenshot, orange) > 500
    assert count(filtered, orange) < 200  # no armed group takes part in "supports": legend only
    assert reddish(filtered) < 120  # the violence edges are gone


def test_browser_switches_labels_to_english(page):
    tmp, run = page
    shots = {}
    for name, fragment in [("ar", ""), ("ar-again", ""), ("en", "lang=en")]:
        png = tmp / f"labels-{name}.png"
        run(f"--screenshot={png}", fragment=fragment)
        shots[name] = Image.open(png).convert("RGB").crop((330, 120, 1200, 900))  # the network
    assert list(shots["ar"].get_flattened_data()) == list(
        shots["ar-again"].get_flattened_data()
    )  # deterministic
    assert list(shots["ar"].get_flattened_data()) != list(shots["en"].get_flattened_data())


# -- a crowded graph ----------------------------------------------------------------------


def crowded_network(n: int = 600, backed: int = 80) -> nx.MultiDiGraph:
    """``n`` entities in a ring of one-article "fights" relations, plus ``backed``
    two-article "supports" relations among the first entities."""
    G = nx.MultiDiGraph()
    for i in range(n):
        iri = f"https://w3id.org/khabar/id/e{i}"
        G.add_node(iri, iri=iri, label_ar=f"كيان {i}", label_en=f"Entity {i}", type="ArmedGroup")
    nodes = list(G)

    def link(u, v, relation, family, articles):
        evidence = [
            {
                "sentence": f"جملة {a}",
                "article_id": f"a{a}",
                "article_title": None,
                "date": "2015-01-01",
                "outlet": None,
                "url": None,
                "confidence": 0.9,
            }
            for a in articles
        ]
        G.add_edge(
            u,
            v,
            key=(relation, False),
            relation=relation,
            family=family,
            symmetric=False,
            negated=False,
            count=len(articles),
            evidence=evidence,
        )

    for i in range(n):
        link(nodes[i], nodes[(i * 7 + 1) % n], "fights", "violence", [i])
    for i in range(backed):
        link(nodes[i % 20], nodes[20 + i], "supports", "support", [n + i, 2 * n + i])
    return G


def test_a_crowded_graph_hides_one_article_relations_at_first_and_says_so(html):
    crowded = render_network(crowded_network())
    assert embedded(crowded, "meta")["defaultMin"] == 2
    assert "relations backed by fewer than 2 articles are hidden at first" in crowded
    assert 'id="kh-min" min="1"' in crowded and 'value="2"' in crowded
    assert embedded(html, "meta")["defaultMin"] == 1  # a small graph shows everything
    assert "hidden at first" not in html


@pytest.fixture(scope="module")
def crowded_page(tmp_path_factory, chromium):
    tmp = tmp_path_factory.mktemp("crowded")
    path = tmp / "crowded.html"
    path.write_text(render_network(crowded_network()), encoding="utf-8")

    def run(*args: str, fragment: str = "") -> str:
        url = path.as_uri() + (f"#{fragment}" if fragment else "")
        command = [*chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp / 'profile'}", *args, url]
        result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
        assert result.returncode == 0, result.stderr[-2000:]
        return result.stdout

    return tmp, run


def hidden_legend(dom: str) -> dict[str, int]:
    return {key: int(n) for key, n in re.findall(r'data-hidden="(\w+)" data-count="(\d+)"', dom)}


def test_browser_crowded_graph_starts_at_two_articles_with_a_legend_of_what_is_hidden(
    crowded_page,
):
    _, run = crowded_page
    dom = run("--dump-dom")
    assert visible_counts(dom) == (100, 80)  # the 20 backers and the 80 they back
    legend = hidden_legend(dom)
    assert legend["min"] == 600 and legend["entities"] == 500 and "labels" in legend
    assert "600 relations backed by fewer than 2 articles" in dom
    dom = run("--dump-dom", fragment="min=1")  # changeable in the page and in the URL
    assert visible_counts(dom) == (600, 680)
    assert "min" not in hidden_legend(dom)


def test_browser_names_the_most_central_entities_when_zoomed_out(crowded_page):
    tmp, run = crowded_page
    assert re.search(r'data-kh-named="(\d+)"', run("--dump-dom", fragment="min=1")).group(1) == "30"
    png = tmp / "crowded.png"
    run(f"--screenshot={png}", fragment="min=1")
    network = Image.open(png).convert("RGB").crop((330, 160, 1200, 900))
    # Names are near-black text; nodes, edges and the background are not.
    dark = sum(1 for pixel in network.get_flattened_data() if max(pixel) < 60)
    assert dark > 1500, f"only {dark} dark pixels: the names are not drawn"
