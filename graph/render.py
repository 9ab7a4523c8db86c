"""Draw the knowledge graph as one self-contained HTML explorer that works offline.

The page is our own template around the vis-network that pyvis bundles,
inlined: pyvis 0.3.2's template links Bootstrap from a CDN even with
``cdn_resources="in_line"``, prints the heading unescaped, and shows tooltips as
HTML as soon as one contains "href". Here every piece of article text reaches
the browser as JSON and is put on the page with ``textContent``, never as markup.

Big graphs stay usable: positions are computed here (:func:`layout_positions`,
numpy, about linear in the size of the graph) so the browser never runs a long
physics simulation, and above ``MAX_NODES`` entities only the most central are
drawn, with a note on the page saying what was left out. Filters (relation,
class, dates, minimum articles) and the label language run in the page, and
their state lives in the URL's fragment (``#relation=supports&min=2``), so a
filtered view can be bookmarked or shared.
"""

from __future__ import annotations

import json
import math
import re
import shutil
from collections import Counter
from importlib import resources
from pathlib import Path

import jinja2
import networkx as nx
import numpy as np
import rdflib

from graph.network import ego_network, entity_name, find_entity, to_networkx
from graph.serialize import write_text_atomic
from graph.stats import MEASURES, centrality

__all__ = [
    "TYPE_COLORS",
    "FAMILY_COLORS",
    "MAX_PHYSICS_NODES",
    "MAX_NODES",
    "MAX_EDGES",
    "render_html",
    "render_network",
    "write_html",
    "layout_positions",
    "HEADLESS_CHROMIUM_FLAGS",
    "find_chromium",
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

DEFAULT_TITLE = "Khabar knowledge graph"
_EDGE_LABELS = 1000  # relation names are written on the edges up to this many edges
_FONT = "'DejaVu Sans', 'Noto Sans Arabic', 'Noto Sans', 'Segoe UI', Arial, sans-serif"
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_VIS = ("templates", "lib", "vis-9.1.2")  # the vis-network bundled with pyvis 0.3.2


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
    G, note = _prune(G, scores, max_nodes=max_nodes or 0, keep=focus_node, size_by=size_by)
    if note:
        notes.append(note)
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


# -- layout -------------------------------------------------------------------------------


def layout_positions(
    G: nx.Graph,
    *,
    iterations: int = 50,
    seed: int = 7,
    spacing: float = 90.0,
    gravity: float = 0.05,
) -> dict[str, tuple[float, float]]:
    """Node positions (vis-network pixels) from a force layout that scales to big graphs.

    Fruchterman-Reingold style, vectorised with numpy, in about linear time:
    nodes start grouped by community (label propagation) on a spiral; near
    nodes repel exactly (grid cells ``2 * spacing`` wide, at most 40 partners
    sampled per cell), far ones through the centres of mass of a coarse grid;
    linked nodes attract, and a weak ``gravity`` holds the whole together.
    Lone entities and pairs are packed in rows below. 5,000 nodes take a few
    seconds. Deterministic for a given ``seed``; positions are rounded to 0.1.

    Examples
    --------
    >>> pos = layout_positions(nx.path_graph(["a", "b", "c"]))
    >>> sorted(pos), all(isinstance(x, float) for x, _ in pos.values())
    (['a', 'b', 'c'], True)
    >>> layout_positions(nx.path_graph(["a", "b", "c"])) == pos
    True
    """
    U = nx.Graph()
    U.add_nodes_from(G)
    U.add_edges_from((u, v) for u, v in G.edges() if u != v)
    # Lone entities and pairs are packed in rows below the drawing: in the force
    # layout nothing holds them, and they would drift to a ring around it.
    loose = [sorted(part) for part in nx.connected_components(U) if len(part) <= 2]
    core = U.subgraph(set(U) - {node for part in loose for node in part})
    positions = _force_layout(
        core, iterations=iterations, seed=seed, spacing=spacing, gravity=gravity
    )
    positions.update(_pack_rows(sorted(loose), positions, spacing))
    return {node: (round(x, 1), round(y, 1)) for node, (x, y) in positions.items()}


def _pack_rows(parts: list[list], placed: dict, spacing: float) -> dict:
    """Small components in rows under the ``placed`` nodes, as wide as their drawing."""
    if not parts:
        return {}
    xs = [x for x, _ in placed.values()] or [0.0]
    ys = [y for _, y in placed.values()] or [0.0]
    width = max(max(xs) - min(xs), spacing * math.sqrt(sum(map(len, parts))))
    left, top = min(xs), (max(ys) + 2 * spacing if placed else 0.0)
    positions = {}
    x, y = left, top
    for part in parts:
        if x + spacing * len(part) > left + width:
            x, y = left, y + spacing
        for node in part:
            positions[node] = (x, y)
            x += spacing * 0.8
        x += spacing * 0.7
    return positions


def _force_layout(
    G: nx.Graph, *, iterations: int, seed: int, spacing: float, gravity: float
) -> dict[str, tuple[float, float]]:
    """The force layout proper (see :func:`layout_positions`), centred on the origin."""
    nodes = list(G)
    n = len(nodes)
    if n == 0:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    pairs = {tuple(sorted((index[u], index[v]))) for u, v in G.edges() if u != v}
    links = np.array(sorted(pairs), dtype=np.int64).reshape(-1, 2)
    rng = np.random.default_rng(seed)
    pos = _spiral_of_communities(G, index, rng, spacing)
    side = spacing * math.sqrt(n)
    for step in range(iterations):
        disp = _near_repulsion(pos, spacing) + _far_repulsion(pos, spacing)
        if len(links):
            # Linear attraction (ForceAtlas2's): long edges pull less than in
            # Fruchterman-Reingold, so hubs do not collapse their neighbours.
            a, b = links[:, 0], links[:, 1]
            d = pos[a] - pos[b]
            for axis in (0, 1):
                disp[:, axis] += np.bincount(b, weights=d[:, axis], minlength=n)
                disp[:, axis] -= np.bincount(a, weights=d[:, axis], minlength=n)
        disp -= gravity * pos  # keeps loose nodes and small components from drifting away
        length = np.sqrt((disp * disp).sum(axis=1))
        limit = side / 10 * (1 - step / iterations) + 1.0  # cooling
        scale = np.minimum(length, limit) / np.maximum(length, 1e-12)
        pos += disp * scale[:, None]
    pos -= pos.mean(axis=0)
    return {node: (float(pos[i, 0]), float(pos[i, 1])) for node, i in index.items()}


def _spiral_of_communities(
    G: nx.Graph, index: dict, rng: np.random.Generator, spacing: float
) -> np.ndarray:
    """Start positions: each community a disc of random points, the discs on a sunflower spiral."""
    U = nx.Graph()
    U.add_nodes_from(G)
    U.add_edges_from((u, v) for u, v in G.edges() if u != v)
    groups = sorted(
        (
            sorted(index[node] for node in group)
            for group in nx.community.label_propagation_communities(U)
        ),
        key=lambda group: (-len(group), group[0]),
    )
    pos = np.zeros((len(index), 2))
    golden = math.pi * (3 - math.sqrt(5))
    placed = 0
    for k, members in enumerate(groups):
        distance = spacing * 1.3 * math.sqrt(placed + len(members) / 2) if k else 0.0
        placed += len(members)
        cx, cy = distance * math.cos(k * golden), distance * math.sin(k * golden)
        radius = 0.6 * spacing * math.sqrt(len(members)) * np.sqrt(rng.random(len(members)))
        angle = 2 * math.pi * rng.random(len(members))
        pos[members, 0] = cx + radius * np.cos(angle)
        pos[members, 1] = cy + radius * np.sin(angle)
    return pos


def _near_repulsion(pos: np.ndarray, spacing: float, *, sample: int = 40) -> np.ndarray:
    """Exact repulsion (spacing² / distance) between nodes in neighbouring grid cells.

    Nodes are sorted by cell; for each node and each of the 9 cells around it
    the partners are the cell's slice of that order. A crowded cell lends at
    most ``sample`` evenly spread members, their push scaled up to stand for all.
    """
    n = len(pos)
    cell = 2 * spacing
    reach2, spacing2 = cell * cell, spacing * spacing
    grid = np.floor((pos - pos.min(axis=0)) / cell).astype(np.int64) + 1
    width = int(grid[:, 1].max()) + 2
    key = grid[:, 0] * width + grid[:, 1]
    order = np.argsort(key, kind="stable")
    cells, starts, counts = np.unique(key[order], return_index=True, return_counts=True)
    disp = np.zeros((n, 2))
    for ox in (-1, 0, 1):
        for oy in (-1, 0, 1):
            wanted = key + ox * width + oy
            slot = np.minimum(np.searchsorted(cells, wanted), len(cells) - 1)
            found = cells[slot] == wanted
            members = counts[slot[found]]
            take = np.minimum(members, sample)
            total = int(take.sum())
            if total == 0:
                continue
            i = np.repeat(np.nonzero(found)[0], take)
            first = np.repeat(np.cumsum(take) - take, take)
            stride = np.repeat(members / take, take)
            within = np.floor((np.arange(total) - first) * stride).astype(np.int64)
            j = order[np.repeat(starts[slot[found]], take) + within]
            d = pos[i] - pos[j]
            d2 = (d * d).sum(axis=1)
            near = (i != j) & (d2 < reach2)
            push = stride[near] * spacing2 / np.maximum(d2[near], 0.01)
            for axis in (0, 1):
                disp[:, axis] += np.bincount(i[near], weights=d[near, axis] * push, minlength=n)
    return disp


def _far_repulsion(pos: np.ndarray, spacing: float, *, strength: float = 0.3) -> np.ndarray:
    """Repulsion from far away: each node is pushed by the centres of mass of a coarse grid.

    Without it, repulsion that reaches only the neighbouring cells lets
    attraction squeeze a big graph into a dense ball.
    """
    n = len(pos)
    size = max(4, min(16, int(math.sqrt(n) / 3)))
    low = pos.min(axis=0)
    span = pos.max(axis=0) - low + 1e-9
    grid = np.minimum(((pos - low) / span * size).astype(np.int64), size - 1)
    cell = grid[:, 0] * size + grid[:, 1]
    mass = np.bincount(cell, minlength=size * size).astype(float)
    used = mass > 0
    centres = (
        np.stack(
            [
                np.bincount(cell, weights=pos[:, axis], minlength=size * size)[used]
                for axis in (0, 1)
            ],
            axis=1,
        )
        / mass[used][:, None]
    )
    soft2 = (span.max() / size) ** 2  # softening: no blow-up for a node near a centre
    norms = (centres * centres).sum(axis=1)
    disp = np.zeros((n, 2))
    for start in range(0, n, 4096):  # chunks bound the memory to 4096 x 256 floats
        chunk = pos[start : start + 4096]
        d2 = (chunk * chunk).sum(axis=1)[:, None] + norms[None, :] - 2 * (chunk @ centres.T)
        weight = strength * spacing * spacing * mass[used][None, :] / (np.maximum(d2, 0) + soft2)
        disp[start : start + 4096] = chunk * weight.sum(axis=1)[:, None] - weight @ centres
    return disp


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
    vis_dir = resources.files("pyvis").joinpath(*_VIS)
    large = len(nodes) > MAX_PHYSICS_NODES
    meta = {
        "focus": focus,
        "sizeBy": size_by,
        "physics": not large,
        "maxCount": max((edge["count"] for edge in edges), default=1),
    }
    return _TEMPLATE.render(
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
        nodes_json=_script_json(nodes),
        edges_json=_script_json(edges),
        articles_json=_script_json([list(source) for source in articles]),
        meta_json=_script_json(meta),
        options_json=_script_json(_options(large=large, edges=len(edges))),
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
  header { padding: 8px 16px 6px; border-bottom: 1px solid #ddd; background: #fafafa; }
  h1 { margin: 0 0 2px; font-size: 20px; }
  .summary, .note { margin: 0 0 4px; font-size: 13px; color: #555; }
  .note { color: #8a4b00; }
  main { flex: 1 1 auto; display: flex; min-height: 0; }
  aside { width: 290px; flex: 0 0 auto; overflow-y: auto; padding: 8px 12px 16px;
          border-right: 1px solid #ddd; font-size: 13px; background: #fcfcfc; }
  aside h2 { font-size: 13px; margin: 12px 0 4px; text-transform: uppercase; color: #666;
             letter-spacing: 0.04em; }
  aside ul { list-style: none; margin: 0; padding: 0; }
  aside li { display: flex; align-items: center; gap: 6px; margin: 1px 0; }
  aside label { display: flex; align-items: center; gap: 6px; cursor: pointer; }
  .family { margin-top: 6px; font-weight: bold; }
  .family + ul { margin-left: 14px; }
  .swatch { width: 12px; height: 12px; border-radius: 50%; flex: 0 0 auto; }
  .line { width: 26px; border-top: 3px solid; flex: 0 0 auto; }
  .line.dashed { border-top-style: dashed; border-top-color: #666; }
  .row { display: flex; gap: 6px; align-items: center; margin: 3px 0; }
  .row input[type=date] { width: 140px; }
  .row input[type=number] { width: 64px; }
  #kh-visible { margin-top: 10px; color: #444; }
  #kh-details:empty { display: none; }
  #kh-details { margin-top: 10px; border-top: 1px solid #ddd; padding-top: 6px; }
  #network { flex: 1 1 auto; min-width: 0; position: relative; }
  .empty { margin: 48px auto; font-size: 18px; color: #555; }
  #kh-tip { position: fixed; z-index: 10; max-width: 520px; max-height: 70vh; overflow: hidden;
            padding: 6px 9px; background: #fffef6; border: 1px solid #bbb; border-radius: 4px;
            box-shadow: 2px 2px 6px rgba(0,0,0,0.2); font-size: 13px; pointer-events: none; }
  .kh-info div { line-height: 1.45; }
  .kh-info .head { font-weight: bold; }
  .kh-info .sentence { margin-top: 6px; }
  .kh-info .source { color: #666; font-size: 12px; }
  .kh-info .hint { color: #888; font-size: 12px; margin-top: 6px; }
</style>
</head>
<body>
<header>
  <h1>{{ title }}</h1>
  <p class="summary">{{ entities }} entities, {{ relations }} relations, {{ articles }} articles.
    {%- if entities %} Node size: {{ size_by }}. Hover a node or an edge for its labels and
    evidence, click to keep it in the side panel; drag to move, scroll to zoom.{% endif %}</p>
  {%- for note in notes %}
  <p class="note">{{ note }}</p>
  {%- endfor %}
</header>
{% if entities %}
<main>
<aside id="kh-panel">
  <h2>Labels</h2>
  <div class="row"><label for="kh-lang">Show</label>
    <select id="kh-lang">
      <option value="ar">العربية (Arabic)</option>
      <option value="en">English</option>
      <option value="both">both</option>
    </select></div>
  <h2>Classes</h2>
  <ul id="kh-classes">
    {%- for name, color, count in classes %}
    <li><label><input type="checkbox" class="kh-class" value="{{ name }}" checked>
      <span class="swatch" style="background: {{ color }}"></span>
      {{- name }} ({{ count }})</label></li>
    {%- endfor %}
  </ul>
  <h2>Relations</h2>
  {%- for family, color, members in families %}
  <div class="family"><label><input type="checkbox" class="kh-family" value="{{ family }}" checked>
    <span class="line" style="border-top-color: {{ color }}"></span>{{ family }}</label></div>
  <ul>
    {%- for relation, count in members %}
    <li><label><input type="checkbox" class="kh-relation" value="{{ relation }}"
      data-family="{{ family }}" checked>{{ relation }} ({{ count }})</label></li>
    {%- endfor %}
  </ul>
  {%- endfor %}
  <div class="row"><label><input type="checkbox" id="kh-denied" checked>
    <span class="line dashed"></span>¬ denied in the text</label></div>
  <div class="row">edge width: number of articles</div>
  <h2>Dates</h2>
  <div class="row"><label for="kh-from">from</label>
    <input type="date" id="kh-from" min="{{ first_date }}" max="{{ last_date }}"></div>
  <div class="row"><label for="kh-to">to</label>
    <input type="date" id="kh-to" min="{{ first_date }}" max="{{ last_date }}"></div>
  <h2>Mentions</h2>
  <div class="row"><label for="kh-min">at least</label>
    <input type="number" id="kh-min" min="1" max="{{ max_count }}" value="1"> articles</div>
  <div class="row"><button type="button" id="kh-reset">Show everything</button></div>
  <p id="kh-visible"></p>
  <div id="kh-details" class="kh-info"></div>
</aside>
<div id="network"></div>
</main>
<div id="kh-tip" class="kh-info" hidden></div>
<script type="application/json" id="kh-nodes">{{ nodes_json|safe }}</script>
<script type="application/json" id="kh-edges">{{ edges_json|safe }}</script>
<script type="application/json" id="kh-articles">{{ articles_json|safe }}</script>
<script type="application/json" id="kh-meta">{{ meta_json|safe }}</script>
<script type="application/json" id="kh-options">{{ options_json|safe }}</script>
<script>{{ vis_js|safe }}</script>
<script>
(function () {
  "use strict";
  function read(id) { return JSON.parse(document.getElementById(id).textContent); }
  function $(id) { return document.getElementById(id); }
  function all(selector) { return Array.prototype.slice.call(document.querySelectorAll(selector)); }
  var nodeItems = read("kh-nodes"), edgeItems = read("kh-edges");
  var articles = read("kh-articles"), meta = read("kh-meta"), options = read("kh-options");
  var byId = {};
  nodeItems.forEach(function (node) { byId[node.id] = node; });
  var edgeById = {};
  edgeItems.forEach(function (edge) { edgeById[edge.id] = edge; });
  var linked = {};
  edgeItems.forEach(function (edge) { linked[edge.from] = linked[edge.to] = true; });
  var ARABIC = /[\\u0600-\\u06ff\\u0750-\\u077f\\u08a0-\\u08ff\\ufb50-\\ufdff\\ufe70-\\ufeff]/;
  function isolate(text) { return ARABIC.test(text) ? "\\u2067" + text + "\\u2069" : text; }
  function shortName(id) { return id.slice(id.lastIndexOf("/") + 1); }

  // -- filter state: the form, and the URL fragment that mirrors it ----------------------
  var state;
  function defaults() {
    return { relations: null, classes: null, denied: true, from: "", to: "", min: 1, lang: "ar" };
  }
  function fromHash() {
    var s = defaults();
    var params = new URLSearchParams(location.hash.replace(/^#/, ""));
    function list(name) { return new Set(params.get(name).split(",").filter(Boolean)); }
    if (params.has("relation")) { s.relations = list("relation"); }
    if (params.has("class")) { s.classes = list("class"); }
    if (params.get("denied") === "0") { s.denied = false; }
    if (/^\\d{4}-\\d{2}-\\d{2}$/.test(params.get("from") || "")) { s.from = params.get("from"); }
    if (/^\\d{4}-\\d{2}-\\d{2}$/.test(params.get("to") || "")) { s.to = params.get("to"); }
    if (parseInt(params.get("min"), 10) > 1) { s.min = parseInt(params.get("min"), 10); }
    if (["ar", "en", "both"].indexOf(params.get("lang")) >= 0) { s.lang = params.get("lang"); }
    s.show = params.get("show");
    return s;
  }
  function toHash(s) {
    var parts = [];
    function list(set) { return encodeURIComponent(Array.from(set).join(",")); }
    if (s.relations) { parts.push("relation=" + list(s.relations)); }
    if (s.classes) { parts.push("class=" + list(s.classes)); }
    if (!s.denied) { parts.push("denied=0"); }
    if (s.from) { parts.push("from=" + s.from); }
    if (s.to) { parts.push("to=" + s.to); }
    if (s.min > 1) { parts.push("min=" + s.min); }
    if (s.lang !== "ar") { parts.push("lang=" + s.lang); }
    if (s.show) { parts.push("show=" + encodeURIComponent(s.show)); }
    return parts.join("&");
  }
  function fromForm() {
    var s = defaults();
    var relations = all(".kh-relation"), classes = all(".kh-class");
    var onRelations = relations.filter((box) => box.checked);
    var onClasses = classes.filter((box) => box.checked);
    if (onRelations.length < relations.length) {
      s.relations = new Set(onRelations.map((box) => box.value));
    }
    if (onClasses.length < classes.length) {
      s.classes = new Set(onClasses.map((box) => box.value));
    }
    s.denied = $("kh-denied").checked;
    s.from = $("kh-from").value;
    s.to = $("kh-to").value;
    s.min = Math.max(1, parseInt($("kh-min").value, 10) || 1);
    s.lang = $("kh-lang").value;
    s.show = state ? state.show : null;
    return s;
  }
  function toForm(s) {
    all(".kh-relation").forEach((box) => {
      box.checked = !s.relations || s.relations.has(box.value);
    });
    all(".kh-class").forEach((box) => { box.checked = !s.classes || s.classes.has(box.value); });
    all(".kh-family").forEach(function (box) {
      var members = all('.kh-relation[data-family="' + box.value + '"]');
      var on = members.filter(function (member) { return member.checked; }).length;
      box.checked = on === members.length;
      box.indeterminate = on > 0 && on < members.length;
    });
    $("kh-denied").checked = s.denied;
    $("kh-from").value = s.from;
    $("kh-to").value = s.to;
    $("kh-min").value = s.min;
    $("kh-lang").value = s.lang;
  }

  // -- what is visible ---------------------------------------------------------------------
  var visibleNodes = new Set(), visibleEdges = new Set();
  function articlesInRange(edge) {
    // Distinct articles behind the edge within the date range; a statement with no article
    // counts on its own, as in Python. Undated evidence is out once a date bound is set.
    var seen = new Set();
    edge.ev.forEach(function (ev, i) {
      var source = ev[1] === null ? null : articles[ev[1]];
      var date = source && source[2] ? source[2].slice(0, 10) : "";
      if (state.from || state.to) {
        if (!date || (state.from && date < state.from) || (state.to && date > state.to)) { return; }
      }
      seen.add(ev[1] === null ? "statement " + i : ev[1]);
    });
    return edge.ev.length ? seen.size : (state.from || state.to ? 0 : edge.count);
  }
  function classShown(id) { return !state.classes || state.classes.has(byId[id].type); }
  function compute() {
    visibleNodes.clear();
    visibleEdges.clear();
    var reached = {};
    edgeItems.forEach(function (edge) {
      if (state.relations && !state.relations.has(edge.relation)) { return; }
      if (!state.denied && edge.negated) { return; }
      if (!classShown(edge.from) || !classShown(edge.to)) { return; }
      if (state.min > 1 || state.from || state.to) {
        if (articlesInRange(edge) < state.min) { return; }
      }
      visibleEdges.add(edge.id);
      reached[edge.from] = reached[edge.to] = true;
    });
    var edgeFilter = state.relations || !state.denied || state.min > 1 || state.from || state.to;
    nodeItems.forEach(function (node) {
      if (!classShown(node.id)) { return; }
      // An entity stays when one of its relations does; one that had none in the page
      // (its partners were pruned) shows while no relation filter is on.
      if (reached[node.id] || node.id === meta.focus || (!linked[node.id] && !edgeFilter)) {
        visibleNodes.add(node.id);
      }
    });
    var counter = $("kh-visible");
    counter.textContent = "Showing " + visibleNodes.size + " of " + nodeItems.length +
      " entities and " + visibleEdges.size + " of " + edgeItems.length + " relations.";
    counter.dataset.nodes = visibleNodes.size;
    counter.dataset.edges = visibleEdges.size;
  }
  function labelOf(node) {
    var ar = node.label_ar ? isolate(node.label_ar) : null, en = node.label_en;
    if (state.lang === "en") { return en || ar || shortName(node.id); }
    if (state.lang === "both") {
      return [ar, en].filter(Boolean).join("\\n") || shortName(node.id);
    }
    return ar || en || shortName(node.id);
  }

  // -- tooltips and details, built from text nodes only -------------------------------------
  function nameOf(id) {
    var node = byId[id];
    var names = [node.label_ar, node.label_en].filter(Boolean);
    return names.length ? names.join(" / ") : shortName(id);
  }
  function row(box, text, cls) {
    var div = document.createElement("div");
    div.dir = "auto";
    if (cls) { div.className = cls; }
    div.textContent = text;
    box.appendChild(div);
  }
  function fillNode(box, node) {
    if (node.label_ar) { row(box, node.label_ar, "head"); }
    if (node.label_en) { row(box, node.label_en, node.label_ar ? "" : "head"); }
    row(box, node.type);
    row(box, node.id, "source");
    row(box, (meta.sizeBy === "pagerank" ? "PageRank " : "degree ") + node.score.toFixed(3) +
      " · " + node.links + (node.links === 1 ? " relation" : " relations"), "source");
  }
  function fillEdge(box, edge) {
    var articlesText = edge.count + (edge.count === 1 ? " article" : " articles");
    var head = [edge.relation, edge.family, articlesText];
    row(box, (edge.negated ? "¬ " : "") + head.filter(Boolean).join(" · "), "head");
    row(box, "from: " + nameOf(edge.from));
    row(box, "to: " + nameOf(edge.to));
    if (edge.negated) { row(box, "denied: the text says this did not happen"); }
    edge.ev.forEach(function (ev) {
      row(box, ev[0] || "(no sentence)", "sentence");
      var source = ev[1] === null ? [null, null, null, null, null] : articles[ev[1]];
      var parts = [source[1], source[2], source[3], source[0], source[4]];
      if (ev[2] !== null) { parts.push("confidence " + ev[2].toFixed(2)); }
      row(box, parts.filter(Boolean).join(" · "), "source");
    });
  }
  function fill(box, id) {
    box.textContent = "";
    if (byId[id]) { fillNode(box, byId[id]); }
    else if (edgeById[id]) { fillEdge(box, edgeById[id]); }
    return box;
  }
  var tip = $("kh-tip");
  function showTip(id, pointer) {
    fill(tip, id);
    row(tip, "click to keep this in the side panel", "hint");
    tip.hidden = false;
    var rect = $("network").getBoundingClientRect();
    var x = rect.left + pointer.x + 14, y = rect.top + pointer.y + 14;
    tip.style.left = Math.max(0, Math.min(x, window.innerWidth - tip.offsetWidth - 4)) + "px";
    tip.style.top = Math.max(0, Math.min(y, window.innerHeight - tip.offsetHeight - 4)) + "px";
  }
  function hideTip() { tip.hidden = true; }
  function showDetails(id) {
    state.show = id && (byId[id] || edgeById[id]) ? id : null;
    var box = $("kh-details");
    if (state.show) { fill(box, state.show); } else { box.textContent = ""; }
  }

  // -- the network ---------------------------------------------------------------------------
  state = fromHash();
  nodeItems.forEach(function (node) { node.label = labelOf(node); });
  compute();
  var nodes = new vis.DataSet(nodeItems), edges = new vis.DataSet(edgeItems);
  var nodeView = new vis.DataView(nodes, { filter: (node) => visibleNodes.has(node.id) });
  var edgeView = new vis.DataView(edges, { filter: (edge) => visibleEdges.has(edge.id) });
  var network = new vis.Network($("network"), { nodes: nodeView, edges: edgeView }, options);
  toForm(state);
  showDetails(state.show);

  function apply(next) {
    var langChanged = next.lang !== state.lang;
    state = next;
    compute();
    nodeView.refresh();
    edgeView.refresh();
    if (langChanged) {
      nodes.update(nodeItems.map((node) => ({ id: node.id, label: labelOf(node) })));
    }
    toForm(state);
    var hash = toHash(state);
    if (location.hash.replace(/^#/, "") !== hash) {
      try {
        history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
      } catch (err) {
        location.hash = hash;
      }
    }
  }
  function onFormChange() { apply(fromForm()); }
  all("#kh-panel input, #kh-panel select").forEach(function (input) {
    if (!input.classList.contains("kh-family")) { input.addEventListener("change", onFormChange); }
  });
  all(".kh-family").forEach(function (box) {
    box.addEventListener("change", function () {
      all('.kh-relation[data-family="' + box.value + '"]').forEach((member) => {
        member.checked = box.checked;
      });
      onFormChange();
    });
  });
  $("kh-reset").addEventListener("click", function () {
    var s = defaults();
    s.lang = state.lang;
    apply(s);
  });
  window.addEventListener("hashchange", function () {
    if (location.hash.replace(/^#/, "") !== toHash(state)) {
      var s = fromHash();
      apply(s);
      showDetails(s.show);
    }
  });

  network.on("hoverNode", function (params) { showTip(params.node, params.pointer.DOM); });
  network.on("hoverEdge", function (params) { showTip(params.edge, params.pointer.DOM); });
  network.on("blurNode", hideTip);
  network.on("blurEdge", hideTip);
  network.on("dragStart", hideTip);
  network.on("zoom", hideTip);
  network.on("click", function (params) {
    hideTip();
    showDetails(params.nodes[0] || params.edges[0] || null);
    apply(state);
  });
  if (meta.physics) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      network.fit();
    });
  }
  network.once("afterDrawing", function () {
    document.documentElement.dataset.khReady = "1";
    window.khabar.readyAt = performance.now();
  });
  // For the browser console, scripts and benchmarks.
  window.khabar = { network: network, nodes: nodes, edges: edges, apply: apply,
                    state: function () { return state; }, defaults: defaults };
})();
</script>
{% else %}
<p class="empty">The graph is empty: there are no statements to draw.</p>
{% endif %}
</body>
</html>
""")


# -- looking at the page in a real browser ------------------------------------------------

HEADLESS_CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",  # no network here: Chromium's own calls only fail
    "--disable-component-update",
    "--disable-sync",
)
"""Chromium without a screen or a network, for screenshots of and scripts on the page
(add ``--user-data-dir``, a window size, and ``--screenshot`` or a debugging pipe)."""


def find_chromium() -> str | None:
    """The path of a Chromium (or Chrome) binary, or None when there is none."""
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else None
