"""Draw the knowledge graph as one self-contained HTML page that works offline (pyvis).

The page is our own small template around pyvis's bundled vis-network, inlined:
pyvis 0.3.2's template links Bootstrap from a CDN even with
``cdn_resources="in_line"``, prints the heading unescaped, and shows tooltips as
HTML as soon as one contains "href". Here every piece of article text reaches
the browser as JSON and is put on the page with ``textContent``, never as markup.
"""

from __future__ import annotations

import json
import math
import random
import re
from collections import Counter, defaultdict
from importlib import resources
from pathlib import Path

import jinja2
import networkx as nx
import rdflib
from pyvis.network import Network
from rdflib.namespace import RDF

from graph.network import to_networkx
from graph.serialize import write_text_atomic
from ontology import KH

__all__ = [
    "TYPE_COLORS",
    "EDGE_COLOR",
    "NEGATED_COLOR",
    "MAX_PHYSICS_NODES",
    "render_html",
    "write_html",
]

TYPE_COLORS = {
    "Country": "#1f77b4",
    "Government": "#6a3d9a",
    "ArmedGroup": "#ff7f0e",
    "Organization": "#17becf",
    "Group": "#bcbd22",
    "Person": "#e377c2",
    "Place": "#2ca02c",
    "GenericActor": "#8c564b",
    "Entity": "#7f7f7f",
}
"""Node colour per entity class (local name); the legend shows the ones in use."""

EDGE_COLOR = "#9a9a9a"
NEGATED_COLOR = "#d62728"
"""Denied relations are drawn dashed in this red, their label prefixed with "¬"."""

MAX_PHYSICS_NODES = 1000
"""Above this many nodes the layout is computed in Python and physics is off."""

_FONT = "'DejaVu Sans', 'Noto Sans Arabic', 'Noto Sans', 'Segoe UI', Arial, sans-serif"
_MAX_EVIDENCE = 5  # sentences shown in one edge tooltip
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_VIS = ("templates", "lib", "vis-9.1.2")  # the vis-network bundled with pyvis 0.3.2


def render_html(g: rdflib.Graph, *, title: str = "Khabar knowledge graph") -> str:
    """The interactive network of ``g``'s statements as one self-contained HTML page.

    Nodes are coloured by class (see ``TYPE_COLORS``) and carry their Arabic
    and English labels; edges are labelled by relation, denied ones dashed red
    with "¬"; hovering shows the evidence sentences, article and date. An empty
    graph gives a page that says so.

    Examples
    --------
    >>> html = render_html(rdflib.Graph(), title="Nothing yet")
    >>> "<title>Nothing yet</title>" in html, "The graph is empty" in html
    (True, True)
    >>> "<b>" in render_html(rdflib.Graph(), title="<b>bold</b>")
    False
    """
    G = to_networkx(g)
    articles = len(set(g.subjects(RDF.type, KH.Article)))
    return _page(_network(G), G, title=title, articles=articles)


def write_html(g: rdflib.Graph, path: str | Path, *, title: str = "Khabar knowledge graph") -> Path:
    """Write ``render_html(g)`` to ``path`` as UTF-8, atomically; return the path.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = write_html(rdflib.Graph(), Path(tmp) / "out" / "graph.html")
    ...     path.name, path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    ('graph.html', True)
    """
    return write_text_atomic(path, render_html(g, title=title))


def _network(G: nx.MultiDiGraph) -> Network:
    """A pyvis Network holding the vis-network nodes, edges and options for ``G``.

    The lists are filled directly: pyvis's ``add_node``/``add_edge`` check for
    duplicates with a scan of all nodes, which is quadratic.
    """
    large = G.number_of_nodes() > MAX_PHYSICS_NODES
    positions = _force_layout(G) if large else {}
    degree = dict(G.degree())
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    for node, attrs in G.nodes(data=True):
        vis_node = {
            "id": node,
            "label": _node_label(node, attrs),
            "title": _node_tooltip(node, attrs),
            "color": TYPE_COLORS.get(attrs["type"], TYPE_COLORS["Entity"]),
            "size": 16 + 2 * min(degree[node], 12),
        }
        if large:
            vis_node["x"], vis_node["y"] = positions[node]
        net.nodes.append(vis_node)

    # Parallel edges between the same two nodes get curves of growing roundness,
    # so that their labels do not sit on top of each other.
    parallel = Counter(frozenset((u, v)) for u, v in G.edges())
    drawn = Counter()
    for u, v, attrs in G.edges(data=True):
        pair = frozenset((u, v))
        drawn[pair] += 1
        color = NEGATED_COLOR if attrs["negated"] else EDGE_COLOR
        vis_edge = {
            "from": u,
            "to": v,
            "label": ("¬ " if attrs["negated"] else "") + attrs["relation"],
            "title": _edge_tooltip(G, u, v, attrs),
            "color": {"color": color, "highlight": color, "hover": color},
            "font": {"color": "#b01e1e" if attrs["negated"] else "#444444"},
            "dashes": [8, 6] if attrs["negated"] else False,
            "arrows": "" if attrs["symmetric"] else "to",
            "width": 1 + min(attrs["count"], 5),
        }
        if parallel[pair] > 1:
            roundness = 0.15 * drawn[pair]
            vis_edge["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": roundness}
        net.edges.append(vis_edge)

    font = {"face": _FONT, "strokeWidth": 3, "strokeColor": "#ffffff"}
    net.options = {
        "nodes": {"shape": "dot", "borderWidth": 1, "font": {**font, "size": 15}},
        "edges": {
            "font": {**font, "size": 12, "align": "middle"},
            "smooth": False,
            "selectionWidth": 2,
        },
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": large},
        "layout": {"randomSeed": 7, "improvedLayout": not large},
        "physics": (
            {"enabled": False}
            if large
            else {
                "solver": "forceAtlas2Based",
                "forceAtlas2Based": {"springLength": 160, "avoidOverlap": 0.4},
                "stabilization": {"iterations": 300, "fit": True},
            }
        ),
    }
    return net


def _node_label(node: str, attrs: dict) -> str:
    """The label drawn under a node: Arabic (isolated) over English."""
    lines = [_isolate(attrs["label_ar"]) if attrs["label_ar"] else None, attrs["label_en"]]
    lines = [line for line in lines if line]
    return "\n".join(lines) or node.rsplit("/", 1)[-1]


def _node_tooltip(node: str, attrs: dict) -> str:
    lines = [attrs["label_ar"], attrs["label_en"], attrs["type"], node]
    return "\n".join(line for line in lines if line)


def _edge_tooltip(G: nx.MultiDiGraph, u: str, v: str, attrs: dict) -> str:
    """Plain text, one line per row: the relation, its ends, then the evidence."""
    articles = f"{attrs['count']} article" + ("" if attrs["count"] == 1 else "s")
    head = [attrs["relation"], attrs["family"], articles]
    lines = [
        ("¬ " if attrs["negated"] else "") + " · ".join(part for part in head if part),
        f"from: {_entity_name(G.nodes[u])}",
        f"to: {_entity_name(G.nodes[v])}",
    ]
    if attrs["negated"]:
        lines.append("denied: the text says this did not happen")
    for evidence in attrs["evidence"][:_MAX_EVIDENCE]:
        lines += ["", evidence["sentence"] or "(no sentence)", _source_line(evidence)]
    hidden = len(attrs["evidence"]) - _MAX_EVIDENCE
    if hidden > 0:
        lines += ["", f"… and {hidden} more"]
    return "\n".join(lines)


def _entity_name(attrs: dict) -> str:
    names = [_isolate(attrs["label_ar"]) if attrs["label_ar"] else None, attrs["label_en"]]
    names = [name for name in names if name]
    return " / ".join(names) or attrs["iri"]


def _source_line(evidence: dict) -> str:
    """Article id, date, title and confidence; the id first so the line reads left to right."""
    parts = [evidence["article_id"], evidence["date"]]
    if evidence["article_title"]:
        parts.append(_isolate(evidence["article_title"]))
    if evidence["confidence"] is not None:
        parts.append(f"confidence {evidence['confidence']:.2f}")
    return " · ".join(part for part in parts if part)


def _isolate(text: str) -> str:
    """Wrap Arabic text in RIGHT-TO-LEFT ISOLATE … POP DIRECTIONAL ISOLATE.

    Without it, an Arabic label with Latin letters in it («مجموعة Wagner») is
    laid out left to right on the canvas, its words in the wrong order.

    >>> _isolate("اللواء 17") == "\\u2067اللواء 17\\u2069"
    True
    >>> _isolate("Qatar")
    'Qatar'
    """
    return f"\u2067{text}\u2069" if _ARABIC.search(text) else text


def _force_layout(
    G: nx.MultiDiGraph, *, iterations: int = 40, seed: int = 7
) -> dict[str, tuple[float, float]]:
    """Node positions for a big graph, so that the browser need not simulate physics.

    Fruchterman-Reingold in its grid variant: a node is only pushed by nodes in
    the neighbouring grid cells, so a step costs about linear time in pure
    Python (a few seconds for several thousand nodes, no numpy needed).
    """
    ideal = 90.0  # edge length, in vis pixels
    cell = 2 * ideal  # repulsion reaches this far
    ideal2, reach2 = ideal * ideal, cell * cell
    nodes = list(G)
    index = {node: i for i, node in enumerate(nodes)}
    links = {tuple(sorted((index[u], index[v]))) for u, v in G.edges() if u != v}
    rng = random.Random(seed)
    side = ideal * math.sqrt(len(nodes))
    xs = [rng.uniform(0, side) for _ in nodes]
    ys = [rng.uniform(0, side) for _ in nodes]

    for step in range(iterations):
        dxs = [0.0] * len(nodes)
        dys = [0.0] * len(nodes)
        grid = defaultdict(list)
        for i in range(len(nodes)):
            grid[int(xs[i] // cell), int(ys[i] // cell)].append(i)
        for (cx, cy), members in grid.items():
            near = [
                (j, xs[j], ys[j])
                for gx in (-1, 0, 1)
                for gy in (-1, 0, 1)
                for j in grid.get((cx + gx, cy + gy), ())
            ]
            for i in members:
                xi, yi = xs[i], ys[i]
                for j, xj, yj in near:
                    dx, dy = xi - xj, yi - yj
                    dist2 = dx * dx + dy * dy
                    if dist2 < reach2 and i != j:
                        push = ideal2 / (dist2 or 0.01)
                        dxs[i] += dx * push
                        dys[i] += dy * push
        for i, j in links:
            dx, dy = xs[i] - xs[j], ys[i] - ys[j]
            pull = math.hypot(dx, dy) / ideal
            dxs[i] -= dx * pull
            dys[i] -= dy * pull
            dxs[j] += dx * pull
            dys[j] += dy * pull
        limit = side / 10 * (1 - step / iterations)  # cooling: moves shrink to nothing
        for i in range(len(nodes)):
            length = math.hypot(dxs[i], dys[i])
            if length > 0:
                scale = min(length, limit) / length
                xs[i] += dxs[i] * scale
                ys[i] += dys[i] * scale
    return {node: (round(xs[i], 1), round(ys[i], 1)) for node, i in index.items()}


def _page(net: Network, G: nx.MultiDiGraph, *, title: str, articles: int) -> str:
    """Fill the page template; all text is escaped, the data goes in as script-safe JSON."""
    types = Counter(attrs["type"] for _, attrs in G.nodes(data=True))
    legend = [(name, color, types[name]) for name, color in TYPE_COLORS.items() if types[name]]
    legend += [
        (name, TYPE_COLORS["Entity"], n) for name, n in types.items() if name not in TYPE_COLORS
    ]
    vis_dir = resources.files("pyvis").joinpath(*_VIS)
    return _TEMPLATE.render(
        title=title,
        legend=legend,
        edge_color=EDGE_COLOR,
        negated_color=NEGATED_COLOR,
        entities=G.number_of_nodes(),
        relations=G.number_of_edges(),
        articles=articles,
        nodes_json=_script_json(net.nodes),
        edges_json=_script_json(net.edges),
        options_json=_script_json(net.options),
        vis_css=_inline(vis_dir.joinpath("vis-network.css").read_text(encoding="utf-8"), "style"),
        vis_js=_inline(
            vis_dir.joinpath("vis-network.min.js").read_text(encoding="utf-8"), "script"
        ),
    )


def _script_json(data: object) -> str:
    """JSON that is safe inside <script>: no "<", ">" or "&" can end the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _inline(code: str, tag: str) -> str:
    """Code to paste inside <tag>: a literal "</tag" would close the element early."""
    return re.sub(f"</({tag})", r"<\\/\1", code, flags=re.IGNORECASE)


_TEMPLATE = jinja2.Environment(autoescape=True).from_string("""\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
{% if entities %}<style>{{ vis_css|safe }}</style>{% endif %}
<style>
  html, body { margin: 0; height: 100%; }
  body { display: flex; flex-direction: column; color: #222;
         font-family: "DejaVu Sans", "Noto Sans Arabic", "Segoe UI", Arial, sans-serif; }
  header { padding: 10px 16px 8px; border-bottom: 1px solid #ddd; background: #fafafa; }
  h1 { margin: 0 0 4px; font-size: 20px; }
  .summary { margin: 0 0 6px; font-size: 13px; color: #555; }
  .legend { display: flex; flex-wrap: wrap; gap: 4px 18px; margin: 0; padding: 0;
            list-style: none; font-size: 13px; }
  .legend li { display: flex; align-items: center; gap: 6px; }
  .swatch { width: 12px; height: 12px; border-radius: 50%; }
  .line { width: 28px; border-top: 2px solid {{ edge_color }}; }
  .line.negated { border-top: 2px dashed {{ negated_color }}; }
  #network { flex: 1 1 auto; min-height: 300px; }
  .empty { margin: 48px auto; font-size: 18px; color: #555; }
  div.vis-tooltip { white-space: normal; max-width: 520px; font-family: inherit;
                   font-size: 13px; line-height: 1.45; }
  .kh-tooltip div:empty { height: 0.6em; }
</style>
</head>
<body>
<header>
  <h1>{{ title }}</h1>
  <p class="summary">{{ entities }} entities, {{ relations }} relations, {{ articles }} articles.
    {%- if entities %} Hover a node or an edge for labels and evidence; drag to move,
    scroll to zoom.{% endif %}</p>
  {%- if entities %}
  <ul class="legend">
    {%- for name, color, count in legend %}
    <li><span class="swatch" style="background: {{ color }}"></span>{{ name }} ({{ count }})</li>
    {%- endfor %}
    <li><span class="line"></span>relation</li>
    <li><span class="line negated"></span>¬ denied in the text</li>
  </ul>
  {%- endif %}
</header>
{% if entities %}
<div id="network"></div>
<script type="application/json" id="kh-nodes">{{ nodes_json|safe }}</script>
<script type="application/json" id="kh-edges">{{ edges_json|safe }}</script>
<script type="application/json" id="kh-options">{{ options_json|safe }}</script>
<script>{{ vis_js|safe }}</script>
<script>
(function () {
  function read(id) { return JSON.parse(document.getElementById(id).textContent); }
  // Tooltips are built from text nodes, one line per row, so that text from
  // articles can never become markup; dir="auto" lays out Arabic rows right to left.
  function tooltip(text) {
    var box = document.createElement("div");
    box.className = "kh-tooltip";
    text.split("\\n").forEach(function (line) {
      var row = document.createElement("div");
      row.dir = "auto";
      row.textContent = line;
      box.appendChild(row);
    });
    return box;
  }
  function withTooltips(items) {
    items.forEach(function (item) { item.title = tooltip(item.title); });
    return items;
  }
  var data = {
    nodes: new vis.DataSet(withTooltips(read("kh-nodes"))),
    edges: new vis.DataSet(withTooltips(read("kh-edges")))
  };
  var network = new vis.Network(document.getElementById("network"), data, read("kh-options"));
  network.once("stabilizationIterationsDone", function () { network.fit(); });
  window.khabarNetwork = network;  // for the browser console
})();
</script>
{% else %}
<p class="empty">The graph is empty: there are no statements to draw.</p>
{% endif %}
</body>
</html>
""")
