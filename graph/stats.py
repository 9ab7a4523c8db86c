"""Who matters in the network: centrality, communities, and counts by relation and class."""

from __future__ import annotations

from collections import Counter

import networkx as nx
import numpy as np

from graph.network import entity_name

__all__ = [
    "MEASURES",
    "weighted_graph",
    "pagerank",
    "centrality",
    "find_communities",
    "graph_stats",
    "format_stats",
]

MEASURES = ("degree", "pagerank")
"""The centrality measures :func:`centrality` knows."""


def weighted_graph(G: nx.MultiDiGraph, *, include_negated: bool = False) -> nx.DiGraph:
    """One directed edge per linked pair, weighted by the articles behind it.

    Every node of ``G`` is kept. The weight of ``u -> v`` adds up the ``count``
    of all of ``G``'s edges from ``u`` to ``v``; a symmetric relation (talks,
    fights) counts both ways, since the graph stores it in one direction only.
    Denied relations (``negated``) link nobody unless ``include_negated``.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("a", "b", key=("supports", False), count=2, symmetric=False, negated=False)
    >>> _ = G.add_edge("a", "b", key=("fights", False), count=1, symmetric=True, negated=False)
    >>> _ = G.add_edge("b", "c", key=("meetsWith", True), count=1, symmetric=True, negated=True)
    >>> D = weighted_graph(G)
    >>> sorted(D.edges(data="weight")), sorted(D)
    ([('a', 'b', 3), ('b', 'a', 1)], ['a', 'b', 'c'])
    """
    D = nx.DiGraph()
    D.add_nodes_from(G)
    for u, v, attrs in G.edges(data=True):
        if attrs.get("negated") and not include_negated:
            continue
        weight = attrs.get("count", 1) or 1
        pairs = [(u, v), (v, u)] if attrs.get("symmetric") and u != v else [(u, v)]
        for a, b in pairs:
            if D.has_edge(a, b):
                D[a][b]["weight"] += weight
            else:
                D.add_edge(a, b, weight=weight)
    return D


def pagerank(
    D: nx.DiGraph, *, alpha: float = 0.85, weight: str = "weight", tol: float = 1e-10
) -> dict:
    """PageRank of a weighted directed graph by power iteration (numpy, no scipy).

    Gives what ``networkx.pagerank`` gives (which needs scipy): a node without
    outgoing edges hands its rank to every node evenly, the ranks add up to 1.

    Examples
    --------
    >>> D = nx.DiGraph([("a", "c"), ("b", "c"), ("c", "a")])
    >>> {node: round(rank, 3) for node, rank in pagerank(D).items()}
    {'a': 0.464, 'c': 0.486, 'b': 0.05}
    >>> pagerank(nx.DiGraph())
    {}
    """
    nodes = list(D)
    n = len(nodes)
    if n == 0:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    edges = [(index[u], index[v], w) for u, v, w in D.edges(data=weight, default=1)]
    src = np.array([e[0] for e in edges], dtype=np.int64)
    dst = np.array([e[1] for e in edges], dtype=np.int64)
    w = np.array([float(e[2]) for e in edges])
    out = np.bincount(src, weights=w, minlength=n)
    share = w / out[src] if len(edges) else w
    dangling = out == 0
    rank = np.full(n, 1.0 / n)
    for _ in range(1000):
        spread = np.bincount(dst, weights=rank[src] * share, minlength=n)
        new = alpha * (spread + rank[dangling].sum() / n) + (1 - alpha) / n
        done = np.abs(new - rank).sum() < n * tol
        rank = new
        if done:
            break
    rank /= rank.sum()
    return {node: float(rank[i]) for node, i in index.items()}


def centrality(G: nx.MultiDiGraph, measure: str = "degree") -> dict[str, float]:
    """Each node's centrality in ``G``: ``"degree"`` or ``"pagerank"``.

    ``degree`` is the share of the other entities a node is linked with (by a
    relation that is not denied, either way); ``pagerank`` ranks a node by the
    weight of the links that reach it (:func:`pagerank` over
    :func:`weighted_graph`), so an actor many others back, attack or talk with
    ranks high.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> for u, v in [("a", "b"), ("a", "c"), ("b", "c"), ("a", "d")]:
    ...     _ = G.add_edge(u, v, count=1, symmetric=False, negated=False)
    >>> centrality(G)["a"], centrality(G)["d"]
    (1.0, 0.3333333333333333)
    >>> max(centrality(G, "pagerank").items(), key=lambda item: item[1])[0]
    'c'
    """
    if measure not in MEASURES:
        raise ValueError(f"unknown centrality measure {measure!r}; use one of {MEASURES}")
    D = weighted_graph(G)
    if measure == "pagerank":
        return pagerank(D)
    if len(D) <= 1:
        return dict.fromkeys(D, 0.0)
    U = D.to_undirected(as_view=True)
    return {node: len(set(U[node]) - {node}) / (len(U) - 1) for node in U}


def find_communities(G: nx.MultiDiGraph, *, seed: int = 7) -> list[set[str]]:
    """Groups of entities more linked to each other than to the rest (Louvain).

    Runs ``networkx``'s Louvain method over the undirected :func:`weighted_graph`
    with a fixed ``seed``, so the same graph gives the same groups. Largest
    first; an entity without links is a group of its own.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> for u, v in [("a", "b"), ("b", "c"), ("c", "a"), ("x", "y"), ("y", "z"), ("z", "x"),
    ...              ("c", "x")]:
    ...     _ = G.add_edge(u, v, count=1, symmetric=True, negated=False)
    >>> [sorted(group) for group in find_communities(G)]
    [['a', 'b', 'c'], ['x', 'y', 'z']]
    """
    U = nx.Graph()
    U.add_nodes_from(G)
    for u, v, weight in weighted_graph(G).edges(data="weight"):
        if u == v:
            continue
        if U.has_edge(u, v):
            U[u][v]["weight"] += weight
        else:
            U.add_edge(u, v, weight=weight)
    if U.number_of_edges() == 0:
        groups = [{node} for node in U]
    else:
        groups = nx.community.louvain_communities(U, weight="weight", seed=seed)
    return sorted((set(group) for group in groups), key=lambda group: (-len(group), min(group)))


def graph_stats(G: nx.MultiDiGraph, *, top: int = 10, seed: int = 7) -> dict:
    """Everything ``khabar stats`` reports, as plain JSON-ready data.

    Keys: ``entities``, ``relations`` (edges), ``statements``, ``articles``;
    ``top_degree`` and ``top_pagerank`` (the ``top`` entities by each measure,
    with ``iri``, ``label_ar``, ``label_en``, ``type``, ``score``, ``partners``);
    ``communities`` (``size`` and the ``members``, most central first) and their
    ``modularity``; ``by_relation`` (``relation``, ``family``, ``edges``,
    ``statements``, ``denied``) and ``by_class`` (``class``, ``entities``).

    Examples
    --------
    >>> stats = graph_stats(nx.MultiDiGraph())
    >>> stats["entities"], stats["top_degree"], stats["communities"]
    (0, [], [])
    """
    degree = centrality(G, "degree")
    rank = pagerank(weighted_graph(G))
    partners = {node: len(set(nx.all_neighbors(G, node)) - {node}) for node in G}

    def ranked(scores: dict) -> list[dict]:
        order = sorted(G, key=lambda node: (-scores[node], -partners[node], node))
        return [
            {**_describe(G, node), "score": round(scores[node], 6), "partners": partners[node]}
            for node in order[:top]
        ]

    groups = find_communities(G, seed=seed)
    communities = [
        {
            "size": len(group),
            "members": [
                _describe(G, node) for node in sorted(group, key=lambda node: (-rank[node], node))
            ],
        }
        for group in groups
    ]
    U = weighted_graph(G).to_undirected()
    modularity = nx.community.modularity(U, groups, weight="weight") if U.number_of_edges() else 0.0

    relations: dict[str, dict] = {}
    articles: set[str] = set()
    statements = 0
    for _, _, attrs in G.edges(data=True):
        row = relations.setdefault(
            attrs["relation"],
            {
                "relation": attrs["relation"],
                "family": attrs.get("family"),
                "edges": 0,
                "statements": 0,
                "denied": 0,
            },
        )
        row["edges"] += 1
        row["statements"] += len(attrs["evidence"])
        row["denied"] += len(attrs["evidence"]) if attrs["negated"] else 0
        statements += len(attrs["evidence"])
        articles.update(ev["article_id"] for ev in attrs["evidence"] if ev["article_id"])
    classes = Counter(attrs["type"] for _, attrs in G.nodes(data=True))
    return {
        "entities": G.number_of_nodes(),
        "relations": G.number_of_edges(),
        "statements": statements,
        "articles": len(articles),
        "top_degree": ranked(degree),
        "top_pagerank": ranked(rank),
        "communities": communities,
        "modularity": round(modularity, 6),
        "by_relation": sorted(
            relations.values(), key=lambda row: (-row["statements"], row["relation"])
        ),
        "by_class": [
            {"class": name, "entities": n}
            for name, n in sorted(classes.items(), key=lambda item: (-item[1], item[0]))
        ],
    }


def _describe(G: nx.MultiDiGraph, node: str) -> dict:
    attrs = G.nodes[node]
    return {
        "iri": node,
        "label_ar": attrs.get("label_ar"),
        "label_en": attrs.get("label_en"),
        "type": attrs.get("type", "Entity"),
    }


def format_stats(stats: dict, *, members: int = 8) -> str:
    """:func:`graph_stats`'s answer as plain text for a terminal.

    At most ``members`` names are listed per community, most central first.

    Examples
    --------
    >>> print(format_stats(graph_stats(nx.MultiDiGraph())), end="")
    0 entities, 0 relations, 0 statements, 0 articles
    """
    lines = [
        f"{stats['entities']} entities, {stats['relations']} relations, "
        f"{stats['statements']} statements, {stats['articles']} articles"
    ]
    if not stats["entities"]:
        return "\n".join(lines) + "\n"

    for key, heading, column in [
        (
            "top_degree",
            "Top entities by degree (share of the others each is linked with)",
            "degree",
        ),
        (
            "top_pagerank",
            "Top entities by PageRank (weight of the links reaching each)",
            "pagerank",
        ),
    ]:
        lines += ["", heading]
        rows: list[tuple[str, ...]] = [
            (str(i), entity_name(row), row["type"], f"{row['score']:.3f}", str(row["partners"]))
            for i, row in enumerate(stats[key], 1)
        ]
        lines += _columns(rows, ["#", "entity", "class", column, "partners"], right={0, 3, 4})

    lines += ["", f"Communities (Louvain; modularity {stats['modularity']:.3f})"]
    for i, group in enumerate(stats["communities"], 1):
        names = [entity_name(member) for member in group["members"][:members]]
        more = group["size"] - len(names)
        tail = f", and {more} more" if more > 0 else ""
        lines.append(f"{i:>3}. {group['size']} ({', '.join(names)}{tail})")

    lines += ["", "Relations"]
    rows = [
        (
            row["relation"],
            row["family"] or "-",
            str(row["edges"]),
            str(row["statements"]),
            str(row["denied"]),
        )
        for row in stats["by_relation"]
    ]
    lines += _columns(
        rows, ["relation", "family", "edges", "statements", "denied"], right={2, 3, 4}
    )

    lines += ["", "Classes"]
    rows = [(row["class"], str(row["entities"])) for row in stats["by_class"]]
    lines += _columns(rows, ["class", "entities"], right={1})
    return "\n".join(lines) + "\n"


def _columns(rows: list[tuple], header: list[str], *, right: set[int]) -> list[str]:
    """Rows aligned in columns (numbers to the right), indented by two spaces."""
    table = [tuple(header), *rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    out = []
    for row in table:
        cells = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        out.append("  " + "  ".join(cells).rstrip())
    return out
