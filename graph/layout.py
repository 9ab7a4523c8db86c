"""Node positions for drawing big networks: a force layout in numpy, about linear in size."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np

__all__ = ["layout_positions"]


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
