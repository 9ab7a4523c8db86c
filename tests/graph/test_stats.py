"""Tests for graph.stats and ``khabar stats``: centrality, communities, counts."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
import rdflib
from click.testing import CliRunner
from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

from graph.cli_explore import stats as stats_command
from graph.network import to_networkx
from graph.stats import centrality, find_communities, graph_stats, pagerank, weighted_graph
from ontology import ENT

SMALL_GRAPH = Path(__file__).parents[1] / "data" / "small_graph.ttl"
RSF = str(ENT["rapid-support-forces"])
GOVERNMENT = str(ENT["sudan-government"])


@pytest.fixture(scope="module")
def G():
    return to_networkx(rdflib.Graph().parse(SMALL_GRAPH, format="turtle"))


def link(G, u, v, *, count=1, symmetric=False, negated=False, relation="supports"):
    G.add_edge(
        u, v, key=(relation, negated), relation=relation, count=count,
        symmetric=symmetric, negated=negated, family="support", evidence=[],
    )  # fmt: skip


def test_pagerank_matches_networkx_on_a_weighted_graph():
    D = nx.DiGraph()
    D.add_weighted_edges_from([("a", "b", 2), ("b", "c", 1), ("c", "a", 3), ("c", "b", 1)])
    D.add_node("lonely")
    expected = _pagerank_python(D, weight="weight")
    assert pagerank(D) == pytest.approx(expected, abs=1e-5)  # networkx stops at tol 1e-6
    assert sum(pagerank(D).values()) == pytest.approx(1)


def test_weighted_graph_counts_articles_both_ways_for_symmetric_relations():
    H = nx.MultiDiGraph()
    link(H, "a", "b", count=2)
    link(H, "a", "b", count=1, symmetric=True, relation="fights")
    link(H, "b", "c", count=5, negated=True)
    D = weighted_graph(H)
    assert sorted(D.edges(data="weight")) == [("a", "b", 3), ("b", "a", 1)]
    assert sorted(weighted_graph(H, include_negated=True).edges(data="weight"))[-1] == (
        "b",
        "c",
        5,
    )


def test_degree_centrality_on_the_small_graph(G):
    degree = centrality(G, "degree")
    # RSF is linked with four of the six others (the denied talks do not link).
    assert degree[RSF] == pytest.approx(3 / 6)
    assert degree[GOVERNMENT] == pytest.approx(2 / 6)
    assert max(degree, key=degree.get) == RSF


def test_pagerank_ranks_who_is_reached(G):
    rank = centrality(G, "pagerank")
    assert max(rank, key=rank.get) == RSF  # attacked, fought, led: reached most
    assert rank[str(ENT["qatar"])] == min(rank.values())
    with pytest.raises(ValueError, match="unknown centrality"):
        centrality(G, "closeness")


def test_communities_split_the_two_fronts(G):
    groups = find_communities(G)
    assert sorted(map(len, groups), reverse=True) == [len(group) for group in groups]
    by_node = {node: i for i, group in enumerate(groups) for node in group}
    assert by_node[str(ENT["qatar"])] == by_node[str(ENT["egypt"])] == by_node[GOVERNMENT]
    assert by_node[RSF] == by_node[str(ENT["el-fasher"])] == by_node[str(ENT["brigade-17"])]
    assert by_node[RSF] != by_node[GOVERNMENT]
    assert find_communities(G) == groups  # seeded: the same every time


def test_graph_stats_counts(G):
    stats = graph_stats(G, top=3)
    assert (stats["entities"], stats["relations"], stats["statements"], stats["articles"]) == (
        7,
        6,
        8,
        2,
    )
    assert [row["iri"] for row in stats["top_degree"]][0] == RSF
    assert len(stats["top_degree"]) == len(stats["top_pagerank"]) == 3
    supports = next(row for row in stats["by_relation"] if row["relation"] == "supports")
    assert supports == {
        "relation": "supports",
        "family": "support",
        "edges": 1,
        "statements": 3,
        "denied": 0,
    }
    denied = next(row for row in stats["by_relation"] if row["relation"] == "negotiatesWith")
    assert denied["denied"] == 1
    assert {row["class"]: row["entities"] for row in stats["by_class"]} == {
        "Country": 2,
        "ArmedGroup": 2,
        "Government": 1,
        "Person": 1,
        "Place": 1,
    }
    assert sum(group["size"] for group in stats["communities"]) == 7
    assert 0 < stats["modularity"] <= 1
    json.dumps(stats)  # plain data


def test_stats_command_prints_text_and_json():
    text = CliRunner().invoke(stats_command, [str(SMALL_GRAPH), "--top", "2"])
    assert text.exit_code == 0, text.output
    assert text.output.startswith("7 entities, 6 relations, 8 statements, 2 articles\n")
    for heading in [
        "Top entities by degree",
        "Top entities by PageRank",
        "Communities",
        "Relations",
    ]:
        assert heading in text.output
    assert "قوات الدعم السريع / Rapid Support Forces" in text.output

    as_json = CliRunner().invoke(stats_command, [str(SMALL_GRAPH), "--format", "json"])
    assert as_json.exit_code == 0
    assert json.loads(as_json.output)["top_pagerank"][0]["iri"] == RSF


def test_stats_command_one_line_error_for_a_missing_file(tmp_path):
    result = CliRunner().invoke(stats_command, [str(tmp_path / "none.ttl")])
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1 and "no such graph file" in result.output
    assert "Example: khabar stats" in CliRunner().invoke(stats_command, ["--help"]).output
