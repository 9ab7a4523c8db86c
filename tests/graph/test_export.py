"""Tests for graph.export and ``khabar export``: GEXF and GraphML that Gephi and Cytoscape read."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
import rdflib
from click.testing import CliRunner

from extractors.errors import InputError
from graph.cli_explore import export as export_command
from graph.export import generate_export, guess_export_format, to_export_graph, write_export
from graph.network import to_networkx
from ontology import ENT

SMALL_GRAPH = Path(__file__).parents[1] / "data" / "small_graph.ttl"
EGYPT, GOVERNMENT = str(ENT["egypt"]), str(ENT["sudan-government"])
SAFE = (str, int, float, bool)


@pytest.fixture(scope="module")
def G():
    return to_networkx(rdflib.Graph().parse(SMALL_GRAPH, format="turtle"))


def test_export_graph_has_only_plain_attribute_values(G):
    E = to_export_graph(G)
    for _, attrs in E.nodes(data=True):
        assert all(isinstance(value, SAFE) for value in attrs.values()), attrs
    for _, _, key, attrs in E.edges(keys=True, data=True):
        assert isinstance(key, str)
        assert all(isinstance(value, SAFE) for value in attrs.values()), attrs


def test_evidence_is_flattened_to_text_and_counts(G):
    edge = to_export_graph(G).edges[EGYPT, GOVERNMENT, "supports"]
    assert edge["statements"] == 3 and edge["count"] == edge["weight"] == 2
    assert edge["evidence"].split("\n")[0] == (
        "وقالت مصر إنها تدعم الحكومة السودانية في مساعيها لإنهاء الحرب."
    )
    assert edge["articles"] == "sudan-front-2 sudan-talks-1"
    assert (edge["first_date"], edge["last_date"]) == ("2024-05-12", "2024-05-14")
    denied = to_export_graph(G).edges[
        GOVERNMENT, str(ENT["rapid-support-forces"]), "negotiatesWith (denied)"
    ]
    assert denied["negated"] is True


@pytest.mark.parametrize(("fmt", "read"), [("gexf", nx.read_gexf), ("graphml", nx.read_graphml)])
def test_written_file_reads_back_with_every_node_edge_and_label(G, tmp_path, fmt, read):
    path = write_export(G, tmp_path / f"g.{fmt}")
    assert path.read_bytes().startswith(b"<?xml")
    assert "قوات الدعم السريع".encode() in path.read_bytes()  # UTF-8, not character references
    H = read(path)
    assert set(H) == set(G) and H.number_of_edges() == G.number_of_edges() == 6
    assert H.nodes[EGYPT]["label_en"] == "Egypt" and H.nodes[EGYPT]["type"] == "Country"
    relations = sorted(attrs["relation"] for _, _, attrs in H.edges(data=True))
    assert relations == ["attacks", "fights", "hosts", "leads", "negotiatesWith", "supports"]
    assert {attrs["community"] for _, attrs in H.nodes(data=True)} >= {0, 1}


def test_unknown_suffix_or_format_is_an_input_error(G, tmp_path):
    with pytest.raises(InputError, match="unknown export format '.csv'"):
        guess_export_format(tmp_path / "g.csv")
    with pytest.raises(InputError, match="unknown export format 'dot'"):
        generate_export(G, "dot")


def test_export_command(tmp_path):
    out = tmp_path / "sub" / "g.graphml"
    result = CliRunner().invoke(
        export_command, [str(SMALL_GRAPH), "--format", "graphml", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert nx.read_graphml(out).number_of_nodes() == 7
    guessed = CliRunner().invoke(export_command, [str(SMALL_GRAPH), "-o", str(tmp_path / "g.gexf")])
    assert guessed.exit_code == 0 and nx.read_gexf(tmp_path / "g.gexf").number_of_edges() == 6
    assert not list((tmp_path / "sub").glob(".*.tmp"))  # written atomically, nothing left over


def test_export_command_errors_are_one_line(tmp_path):
    bad = CliRunner().invoke(export_command, [str(SMALL_GRAPH), "-o", str(tmp_path / "g.txt")])
    assert bad.exit_code == 1 and len(bad.output.strip().splitlines()) == 1
    assert "unknown export format" in bad.output and not (tmp_path / "g.txt").exists()
    assert "Example: khabar export" in CliRunner().invoke(export_command, ["--help"]).output
