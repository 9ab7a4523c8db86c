"""Write the network for Gephi and Cytoscape: GEXF or GraphML, with plain attribute values.

GEXF and GraphML hold strings, numbers and booleans only, so each edge's
evidence list becomes text and counts, and missing values are left out.
"""

from __future__ import annotations

import io
from pathlib import Path

import networkx as nx

from extractors.errors import InputError
from graph.serialize import write_text_atomic
from graph.stats import centrality, find_communities

__all__ = [
    "EXPORT_FORMATS",
    "guess_export_format",
    "to_export_graph",
    "generate_export",
    "write_export",
]

EXPORT_FORMATS = {".gexf": "gexf", ".graphml": "graphml"}
"""File suffix -> export format."""


def guess_export_format(path: str | Path) -> str:
    """The export format for ``path``'s suffix, or an InputError naming it.

    >>> guess_export_format("out/graph.gexf"), guess_export_format("g.GraphML")
    ('gexf', 'graphml')
    """
    suffix = Path(path).suffix.lower()
    if suffix not in EXPORT_FORMATS:
        raise InputError(
            f"unknown export format {suffix or '(none)'!r}; use --format gexf or graphml",
            path=path,
        )
    return EXPORT_FORMATS[suffix]


def to_export_graph(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``G`` whose attributes are all strings, numbers or booleans.

    Nodes keep ``iri``, ``label_ar``, ``label_en`` and ``type``, and gain
    ``label`` (what Gephi shows: Arabic, else English, else the IRI's last
    part), ``degree`` and ``pagerank`` (:func:`graph.stats.centrality`) and
    ``community`` (the index of its Louvain group, largest first). Edges are
    keyed by their relation ("supports", or "supports (denied)") and keep
    ``relation``, ``family``, ``negated``, ``symmetric`` and ``count`` (the
    articles); ``weight`` equals ``count``, ``statements`` counts the evidence,
    ``evidence`` joins its sentences with newlines, ``articles`` the article
    ids with spaces, and ``first_date``/``last_date`` bound the dates.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("ent/a", iri="ent/a", label_ar="أ", label_en=None, type="Person")
    >>> G.add_node("ent/b", iri="ent/b", label_ar=None, label_en="B", type="Place")
    >>> _ = G.add_edge("ent/a", "ent/b", key=("movesTo", False), relation="movesTo",
    ...     family="movement", symmetric=False, negated=False, count=1, evidence=[
    ...     {"sentence": "انتقل أ إلى ب", "article_id": "x1", "article_title": None,
    ...      "date": "2024-05-01", "outlet": None, "url": None, "confidence": 0.8}])
    >>> E = to_export_graph(G)
    >>> E.nodes["ent/a"]["label"], "label_en" in E.nodes["ent/a"]
    ('أ', False)
    >>> edge = E.edges["ent/a", "ent/b", "movesTo"]
    >>> edge["evidence"], edge["weight"], edge["first_date"]
    ('انتقل أ إلى ب', 1, '2024-05-01')
    """
    degree = centrality(G, "degree")
    rank = centrality(G, "pagerank")
    community = {node: i for i, group in enumerate(find_communities(G)) for node in sorted(group)}
    E = nx.MultiDiGraph(name=G.graph.get("name", "khabar"))
    for node, attrs in G.nodes(data=True):
        label = attrs.get("label_ar") or attrs.get("label_en") or node.rsplit("/", 1)[-1]
        values = {
            "label": label,
            "iri": attrs.get("iri", node),
            "label_ar": attrs.get("label_ar"),
            "label_en": attrs.get("label_en"),
            "type": attrs.get("type", "Entity"),
            "degree": round(degree[node], 6),
            "pagerank": round(rank[node], 6),
            "community": community[node],
        }
        E.add_node(node, **_plain(values))
    for u, v, attrs in G.edges(data=True):
        evidence = attrs.get("evidence", [])
        dates = sorted(ev["date"] for ev in evidence if ev.get("date"))
        articles = sorted({ev["article_id"] for ev in evidence if ev.get("article_id")})
        values = {
            "label": attrs["relation"],
            "relation": attrs["relation"],
            "family": attrs.get("family"),
            "negated": bool(attrs.get("negated")),
            "symmetric": bool(attrs.get("symmetric")),
            "count": int(attrs.get("count", 0)),
            "weight": int(attrs.get("count", 0)),
            "statements": len(evidence),
            "evidence": "\n".join(ev["sentence"] for ev in evidence if ev.get("sentence")),
            "articles": " ".join(articles),
            "first_date": dates[0] if dates else None,
            "last_date": dates[-1] if dates else None,
        }
        key = attrs["relation"] + (" (denied)" if attrs.get("negated") else "")
        E.add_edge(u, v, key=key, **_plain(values))
    return E


def _plain(values: dict) -> dict:
    """Leave out missing values: neither format has a null."""
    return {name: value for name, value in values.items() if value is not None}


def generate_export(G: nx.MultiDiGraph, fmt: str) -> bytes:
    """``G`` as a UTF-8 GEXF 1.2 or GraphML document (after :func:`to_export_graph`).

    >>> data = generate_export(nx.MultiDiGraph(), "graphml")
    >>> data.startswith(b"<?xml"), b"<graphml" in data
    (True, True)
    """
    E = to_export_graph(G)
    buffer = io.BytesIO()
    if fmt == "gexf":
        nx.write_gexf(E, buffer, encoding="utf-8", version="1.2draft")
    elif fmt == "graphml":
        nx.write_graphml(E, buffer, encoding="utf-8", named_key_ids=True)
    else:
        raise InputError(f"unknown export format {fmt!r}; use gexf or graphml", value=fmt)
    return buffer.getvalue()


def write_export(G: nx.MultiDiGraph, path: str | Path, *, fmt: str | None = None) -> Path:
    """Write ``G`` to ``path`` as GEXF or GraphML, atomically; return the path.

    ``fmt`` defaults to the one ``path``'s suffix names (``.gexf``, ``.graphml``).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = write_export(nx.MultiDiGraph(), Path(tmp) / "g.gexf")
    ...     "<gexf" in path.read_text(encoding="utf-8")
    True
    """
    return write_text_atomic(path, generate_export(G, fmt or guess_export_format(path)))
