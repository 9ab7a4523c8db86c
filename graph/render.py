"""Draw the knowledge graph as one self-contained HTML explorer that works offline.

The page is our own template around the vis-network that pyvis bundles,
inlined: pyvis 0.3.2's template links Bootstrap from a CDN even with
``cdn_resources="in_line"``, prints the heading unescaped, and shows tooltips as
HTML as soon as one contains "href". Here every piece of article text reaches
the browser as JSON and is put on the page with ``textContent``, never as markup.

The page is ``graph/templates/explorer.html.j2`` with its ``explorer.css``
and ``explorer.js``, read with ``importlib.resources``. Big graphs stay usable:
positions are computed here (:func:`graph.layout.layout_positions`, numpy,
about linear in the size of the graph) so the browser never runs a long
physics simulation, and above ``MAX_NODES`` entities only the most central are
drawn, with a note on the page saying what was left out. Filters (relation,
class, dates, minimum articles) and the label language run in the page, and
their state lives in the URL's fragment (``#relation=supports&min=2``), so a
filtered view can be bookmarked or shared.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections import Counter
from importlib import resources
from pathlib import Path

import jinja2
import networkx as nx
import rdflib

from graph.layout import layout_positions
from graph.network import ego_network, entity_name, find_entity, to_networkx
from graph.serialize import write_text_atomic
from graph.stats import MEASURES, centrality

__all__ = [
    "TYPE_COLORS",
    "FAMILY_COLORS",
    "MAX_PHYSICS_NODES",
    "MAX_NODES",
    "MAX_EDGES",
    "CROWDED_NODES",
    "CROWDED_MIN_ARTICLES",
    "NAMED_NODES",
    "render_html",
    "render_network",
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

FAMILY_COLORS = {
    "talks": "#4682c8",
    "support": "#31a354",
    "violence": "#d62728",
    "movement": "#9467bd",
    "roles": "#9a9a9a",
    None: "#c0c0c0",
}
"""Edge colour per relation family (``kh:family``); ``None`` for relations outside the ontology.

Denied relations keep their family's colour and are drawn dashed, labelled "¬".
"""

MAX_PHYSICS_NODES = 200
"""Up to this many nodes the browser polishes the Python layout with a brief
physics run (150 steps at most), then stops; above it physics stays off."""

MAX_NODES = 5000
"""Default cap on the entities drawn; above it the most central ones are kept."""

MAX_EDGES = 20000
"""Cap on the relations drawn; above it those with the most articles are kept."""

CROWDED_NODES = 500
"""Above this many entities drawn, the page first hides relations with fewer than
``CROWDED_MIN_ARTICLES`` articles (said on the page; the reader can set it back to 1)."""

CROWDED_MIN_ARTICLES = 2

NAMED_NODES = 30
"""How many of the most central visible entities keep their names at every zoom."""

DEFAULT_TITLE = "Khabar knowledge graph"
_EDGE_LABELS = 1000  # relation names are written on the edges up to this many edges
_FONT = "'DejaVu Sans', 'Noto Sans Arabic', 'Noto Sans', 'Segoe UI', Arial, sans-serif"
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_VIS = ("templates", "lib", "vis-9.1.2")  # the vis-network bundled with pyvis 0.3.2
_TEMPLATES = ("templates",)  # graph/templates: the page, its CSS and its script


def _resource(package: str, *parts: str):
    """A file or folder inside an installed package (``joinpath`` takes one part
    before Python 3.11)."""
    found = resources.files(package)
    for part in parts:
        found = found / part
    return found


def render_html(
    g: rdflib.Graph,
    *,
    title: str = DEFAULT_TITLE,
    size_by: str = "degree",
    focus: str | None = None,
    hops: int = 1,
    max_nodes: int | None = MAX_NODES,
) -> str:
    """The interactive network of ``g``'s statements as one self-contained HTML page.

    See :func:`render_network` for the options; ``g`` goes through
    :func:`graph.network.to_networkx` first. An empty graph gives a page that
    says so; an unknown ``focus`` raises a one-line KhabarError.

    Examples
    --------
    >>> html = render_html(rdflib.Graph(), title="Nothing yet")
    >>> "<title>Nothing yet</title>" in html, "The graph is empty" in html
    (True, True)
    >>> "<b>" in render_html(rdflib.Graph(), title="<b>bold</b>")
    False
    """
    return render_network(
        to_networkx(g), title=title, size_by=size_by, focus=focus, hops=hops, max_nodes=max_nodes
    )


def render_network(
    G: nx.MultiDiGraph,
    *,
    title: str = DEFAULT_TITLE,
    size_by: str = "degree",
    focus: str | None = None,
    hops: int = 1,
    max_nodes: int | None = MAX_NODES,
) -> str:
    """The network ``G`` (as :func:`graph.network.to_networkx` makes it) as an HTML page.

    Nodes are coloured by class (``TYPE_COLORS``) and sized by ``size_by``,
    "degree" or "pagerank" (:func:`graph.stats.centrality`); edges are coloured
    by relation family (``FAMILY_COLORS``), as wide as the number of articles
    behind them, denied ones dashed. Hovering shows labels, or every evidence
    sentence with its article's title, date and outlet; clicking keeps it in
    the side panel. ``focus`` (an IRI, ``ent:`` name or label) draws only what
    lies within ``hops`` steps of that entity. Above ``max_nodes`` entities
    (``None`` or 0: no cap) the most central are kept and the page says so.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("ent/a", iri="ent/a", label_ar="قطر", label_en="Qatar", type="Country")
    >>> G.add_node("ent/b", iri="ent/b", label_ar="غزة", label_en=None, type="Place")
    >>> _ = G.add_edge("ent/a", "ent/b", key=("mediates", False), relation="mediates",
    ...     family="talks", symmetric=False, negated=False, count=1, evidence=[])
    >>> html = render_network(G, title="Gaza")
    >>> "2 entities, 1 relations" in html, "talks" in html
    (True, True)
    """
    if size_by not in MEASURES:
        raise ValueError(f"unknown size measure {size_by!r}; use one of {MEASURES}")
    notes = []
    focus_node = None
    if focus is not None:
        focus_node = find_entity(G, focus)
        G = ego_network(G, focus_node, hops=hops)
        step = "step" if hops == 1 else "steps"
        notes.append(
            f"Showing what lies within {hops} {step} of {entity_name(G.nodes[focus_node])}."
        )
    scores = centrality(G, size_by)
    total = G.number_of_nodes()
    G, note = _prune(G, scores, max_nodes=max_nodes or 0, keep=focus_node, size_by=size_by)
    if note:
        notes.append(note)
    default_min = CROWDED_MIN_ARTICLES if G.number_of_nodes() > CROWDED_NODES else 1
    if default_min > 1:
        notes.append(
            f"Above {CROWDED_NODES} entities, relations backed by fewer than {default_min} "
            "articles are hidden at first; change “at least … articles” in the panel to see them."
        )
    positions = layout_positions(G)
    nodes = _vis_nodes(G, scores, positions, focus_node)
    articles: dict[tuple, int] = {}
    edges = _vis_edges(G, articles)
    return _page(
        G,
        nodes=nodes,
        edges=edges,
        articles=list(articles),
        title=title,
        size_by=size_by,
        notes=notes,
        focus=focus_node,
        default_min=default_min,
        pruned=total - G.number_of_nodes(),
    )


def write_html(
    g: rdflib.Graph,
    path: str | Path,
    *,
    title: str = DEFAULT_TITLE,
    size_by: str = "degree",
    focus: str | None = None,
    hops: int = 1,
    max_nodes: int | None = MAX_NODES,
) -> Path:
    """Write ``render_html(g, ...)`` to ``path`` as UTF-8, atomically; return the path.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = write_html(rdflib.Graph(), Path(tmp) / "out" / "graph.html")
    ...     path.name, path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    ('graph.html', True)
    """
    html = render_html(g, title=title, size_by=size_by, focus=focus, hops=hops, max_nodes=max_nodes)
    return write_text_atomic(path, html)


# -- what is drawn ------------------------------------------------------------------------


def _prune(
    G: nx.MultiDiGraph, scores: dict, *, max_nodes: int, keep: str | None, size_by: str
) -> tuple[nx.MultiDiGraph, str]:
    """Keep the ``max_nodes`` most central entities and at most ``MAX_EDGES`` relations.

    Returns the graph to draw and a sentence saying what was left out ("" if nothing).
    """
    notes = []
    total_nodes, total_edges = G.number_of_nodes(), G.number_of_edges()
    if max_nodes and total_nodes > max_nodes:
        order = sorted(G, key=lambda node: (node != keep, -scores[node], node))
        G = G.subgraph(order[:max_nodes]).copy()
        measure = "PageRank" if size_by == "pagerank" else "degree"
        notes.append(
            f"Large graph: showing the {max_nodes:,} entities with the highest {measure} "
            f"of {total_nodes:,}; {total_nodes - max_nodes:,} entities and "
            f"{total_edges - G.number_of_edges():,} relations with them are left out."
        )
    if G.number_of_edges() > MAX_EDGES:
        ranked = sorted(
            G.edges(keys=True, data="count"), key=lambda e: (-e[3], e[0], e[1], str(e[2]))
        )
        H = nx.MultiDiGraph()
        H.add_nodes_from(G.nodes(data=True))
        for u, v, key, _ in ranked[:MAX_EDGES]:
            H.add_edge(u, v, key, **G.edges[u, v, key])
        notes.append(
            f"Only the {MAX_EDGES:,} relations backed by the most articles are drawn; "
            f"{G.number_of_edges() - MAX_EDGES:,} more are left out."
        )
        G = H
    if notes:
        notes.append("Use --focus ENTITY --hops N, or --max-nodes, to see the rest.")
    return G, " ".join(notes)


def _vis_nodes(G: nx.MultiDiGraph, scores: dict, positions: dict, focus: str | None) -> list[dict]:
    """vis-network node items, plus the fields the page's filters and tooltips read."""
    top = max(scores.values(), default=0) or 1.0
    degree = dict(G.degree())
    nodes = []
    for node, attrs in G.nodes(data=True):
        color = TYPE_COLORS.get(attrs["type"], TYPE_COLORS["Entity"])
        x, y = positions[node]
        item = {
            "id": node,
            "label": _node_label(node, attrs),
            "x": x,
            "y": y,
            "size": round(14 + 26 * math.sqrt(scores[node] / top), 1),
            "color": color,
            "type": attrs["type"],
            "label_ar": attrs["label_ar"],
            "label_en": attrs["label_en"],
            "score": round(scores[node], 6),
            "links": degree[node],
        }
        if node == focus:
            item["color"] = {"background": color, "border": "#111111"}
            item["borderWidth"] = 4
        nodes.append(item)
    return nodes


def _vis_edges(G: nx.MultiDiGraph, articles: dict[tuple, int]) -> list[dict]:
    """vis-network edge items with their evidence; ``articles`` collects the article table.

    Evidence rows are ``[sentence, article index or None, confidence]``; the
    article table (title, date, outlet...) is shipped once, not per sentence.
    """
    labels = G.number_of_edges() <= _EDGE_LABELS
    parallel = Counter(frozenset((u, v)) for u, v in G.edges())
    drawn: Counter = Counter()
    edges = []
    for i, (u, v, attrs) in enumerate(G.edges(data=True)):
        color = FAMILY_COLORS.get(attrs["family"], FAMILY_COLORS[None])
        evidence = []
        for ev in attrs["evidence"]:
            source = (ev["article_id"], ev["article_title"], ev["date"], ev["outlet"], ev["url"])
            index = None
            if any(source):
                index = articles.setdefault(source, len(articles))
            evidence.append([ev["sentence"], index, ev["confidence"]])
        item = {
            "id": f"e{i}",
            "from": u,
            "to": v,
            "relation": attrs["relation"],
            "family": attrs["family"],
            "negated": attrs["negated"],
            "count": attrs["count"],
            "ev": evidence,
            "color": {"color": color, "highlight": color, "hover": color},
            "dashes": [8, 6] if attrs["negated"] else False,
            "arrows": "" if attrs["symmetric"] else "to",
            "width": round(1 + 2 * math.log2(max(attrs["count"], 1)), 2),
        }
        if labels:
            item["label"] = ("¬ " if attrs["negated"] else "") + attrs["relation"]
            # Parallel edges get curves of growing roundness so their labels do not overlap.
            pair = frozenset((u, v))
            drawn[pair] += 1
            if parallel[pair] > 1:
                roundness = 0.15 * drawn[pair]
                item["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": roundness}
        edges.append(item)
    return edges


def _node_label(node: str, attrs: dict) -> str:
    """The label drawn under a node: Arabic (isolated), else English, else the IRI's end."""
    if attrs["label_ar"]:
        return _isolate(attrs["label_ar"])
    return attrs["label_en"] or node.rsplit("/", 1)[-1]


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


# -- the page -----------------------------------------------------------------------------


def _page(
    G: nx.MultiDiGraph,
    *,
    nodes: list[dict],
    edges: list[dict],
    articles: list[tuple],
    title: str,
    size_by: str,
    notes: list[str],
    focus: str | None,
    default_min: int = 1,
    pruned: int = 0,
) -> str:
    """Fill the page template; all text is escaped, the data goes in as script-safe JSON."""
    types = Counter(attrs["type"] for _, attrs in G.nodes(data=True))
    classes = [(name, color, types[name]) for name, color in TYPE_COLORS.items() if types[name]]
    classes += [
        (name, TYPE_COLORS["Entity"], n)
        for name, n in sorted(types.items())
        if name not in TYPE_COLORS
    ]
    relations = Counter((attrs["family"], attrs["relation"]) for _, _, attrs in G.edges(data=True))
    families = []
    for family, color in FAMILY_COLORS.items():
        members = sorted((rel, n) for (fam, rel), n in relations.items() if fam == family)
        if members:
            families.append((family or "other", color, members))
    dates = sorted(date for _, _, date, _, _ in articles if date)
    vis_dir = _resource("pyvis", *_VIS)
    large = len(nodes) > MAX_PHYSICS_NODES
    meta = {
        "focus": focus,
        "sizeBy": size_by,
        "physics": not large,
        "maxCount": max((edge["count"] for edge in edges), default=1),
        "defaultMin": default_min,
        "labels": NAMED_NODES,
        "pruned": pruned,
    }
    return _template("explorer.html.j2").render(
        title=title,
        classes=classes,
        families=families,
        notes=notes,
        size_by="PageRank" if size_by == "pagerank" else "degree",
        entities=len(nodes),
        relations=len(edges),
        articles=len({source[0] for source in articles if source[0]}),
        first_date=dates[0][:10] if dates else "",
        last_date=dates[-1][:10] if dates else "",
        max_count=meta["maxCount"],
        default_min=default_min,
        nodes_json=_script_json(nodes),
        edges_json=_script_json(edges),
        articles_json=_script_json([list(source) for source in articles]),
        meta_json=_script_json(meta),
        options_json=_script_json(_options(large=large, edges=len(edges))),
        page_css=_inline(_asset("explorer.css"), "style"),
        page_js=_inline(_asset("explorer.js"), "script"),
        vis_css=_inline(vis_dir.joinpath("vis-network.css").read_text(encoding="utf-8"), "style"),
        vis_js=_inline(
            vis_dir.joinpath("vis-network.min.js").read_text(encoding="utf-8"), "script"
        ),
    )


def _options(*, large: bool, edges: int) -> dict:
    """vis-network options: positions come from Python, physics only briefly for small graphs."""
    font = {"face": _FONT, "strokeWidth": 3, "strokeColor": "#ffffff"}
    return {
        "nodes": {
            "shape": "dot",
            "borderWidth": 1,
            "font": {**font, "size": 15},
            # Labels smaller than this on screen are not drawn: a zoomed-out big graph stays fast.
            "scaling": {"label": {"drawThreshold": 6}},
        },
        "edges": {
            "font": {**font, "size": 12, "align": "middle"},
            "smooth": False,
            "selectionWidth": 2,
            "arrows": {"to": {"scaleFactor": 0.6}},
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large and edges > 2000,
        },
        "layout": {"randomSeed": 7, "improvedLayout": False},
        "physics": (
            {"enabled": False}
            if large
            else {
                "solver": "forceAtlas2Based",
                "forceAtlas2Based": {"springLength": 160, "avoidOverlap": 0.4},
                "stabilization": {"iterations": 150, "fit": True},
            }
        ),
    }


def _script_json(data: object) -> str:
    """JSON that is safe inside <script>: no "<", ">" or "&" can end the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _inline(code: str, tag: str) -> str:
    """Code to paste inside <tag>: a literal "</tag" would close the element early."""
    return re.sub(f"</({tag})", r"<\\/\1", code, flags=re.IGNORECASE)


def _asset(name: str) -> str:
    """The text of ``graph/templates/NAME``."""
    return _resource("graph", *_TEMPLATES, name).read_text(encoding="utf-8")


@functools.cache
def _template(name: str) -> jinja2.Template:
    """The Jinja template ``graph/templates/NAME``; everything put in it is HTML-escaped."""
    return jinja2.Environment(autoescape=True, keep_trailing_newline=True).from_string(_asset(name))
