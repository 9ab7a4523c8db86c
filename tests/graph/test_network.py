"""Tests for graph.network: the RDF graph as a networkx multigraph."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
import rdflib
from rdflib.namespace import RDF

from extractors.errors import KhabarError
from graph.network import ego_network, find_entity, relation_families, to_networkx
from ontology import ENT, KH, load_ontology

SMALL_GRAPH = Path(__file__).parents[1] / "data" / "small_graph.ttl"

QATAR = str(ENT["qatar"])
EGYPT = str(ENT["egypt"])
GOVERNMENT = str(ENT["sudan-government"])
RSF = str(ENT["rapid-support-forces"])
BRIGADE = str(ENT["brigade-17"])
DAGALO = str(ENT["mohamed-hamdan-dagalo"])
FASHER = str(ENT["el-fasher"])

PREFIXES = """
@prefix kh: <https://w3id.org/khabar/ontology#> .
@prefix ent: <https://w3id.org/khabar/id/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


@pytest.fixture(scope="module")
def G():
    return to_networkx(rdflib.Graph().parse(SMALL_GRAPH, format="turtle"))


def test_one_node_per_entity_in_a_statement(G):
    assert set(G) == {QATAR, EGYPT, GOVERNMENT, RSF, BRIGADE, DAGALO, FASHER}
    assert str(ENT["khartoum"]) not in G  # labelled and typed, but in no statement


def test_one_edge_per_subject_relation_object_polarity(G):
    assert sorted((u, v, key) for u, v, key in G.edges(keys=True)) == sorted(
        [
            (QATAR, GOVERNMENT, ("hosts", False)),
            (EGYPT, GOVERNMENT, ("supports", False)),
            (GOVERNMENT, RSF, ("negotiatesWith", True)),
            (RSF, FASHER, ("attacks", False)),
            (BRIGADE, RSF, ("fights", False)),
            (DAGALO, RSF, ("leads", False)),
        ]
    )


@pytest.mark.parametrize(
    ("node", "label_ar", "label_en", "type_"),
    [
        (QATAR, "قطر", "Qatar", "Country"),
        (GOVERNMENT, "الحكومة السودانية", "Government of Sudan", "Government"),
        (RSF, "قوات الدعم السريع", "Rapid Support Forces", "ArmedGroup"),
        (BRIGADE, "اللواء 17", "17th Brigade", "ArmedGroup"),
        (DAGALO, "محمد حمدان دقلو", "Mohamed Hamdan Dagalo", "Person"),
        (FASHER, "الفاشر", "El Fasher", "Place"),
    ],
)
def test_node_attributes(G, node, label_ar, label_en, type_):
    assert G.nodes[node] == {
        "iri": node,
        "label_ar": label_ar,
        "label_en": label_en,
        "type": type_,
    }


def test_denied_talks_are_one_negated_edge(G):
    edge = G.edges[GOVERNMENT, RSF, ("negotiatesWith", True)]
    assert edge["negated"] is True
    assert edge["relation"] == "negotiatesWith"
    assert edge["count"] == 1
    assert [ev["sentence"] for ev in edge["evidence"]] == [
        "ونفى مصدر مقرب من الوفد أن تكون الحكومة السودانية قد تفاوضت مباشرة مع قوات الدعم السريع."
    ]
    assert not G.has_edge(GOVERNMENT, RSF, ("negotiatesWith", False))
    assert [attrs["negated"] for _, _, attrs in G.edges(data=True)].count(True) == 1


@pytest.mark.parametrize(
    ("u", "v", "relation", "family", "symmetric"),
    [
        (QATAR, GOVERNMENT, "hosts", "talks", False),
        (EGYPT, GOVERNMENT, "supports", "support", False),
        (GOVERNMENT, RSF, "negotiatesWith", "talks", True),
        (RSF, FASHER, "attacks", "violence", False),
        (BRIGADE, RSF, "fights", "violence", True),
        (DAGALO, RSF, "leads", "roles", False),
    ],
)
def test_edge_family_and_symmetry_come_from_the_ontology(G, u, v, relation, family, symmetric):
    (attrs,) = G.get_edge_data(u, v).values()
    assert (attrs["relation"], attrs["family"], attrs["symmetric"]) == (
        relation,
        family,
        symmetric,
    )


def test_evidence_from_every_statement_and_count_of_articles(G):
    edge = G.edges[EGYPT, GOVERNMENT, ("supports", False)]
    assert edge["count"] == 2  # three statements, two articles
    assert [(ev["article_id"], ev["date"], ev["confidence"]) for ev in edge["evidence"]] == [
        ("sudan-talks-1", "2024-05-12", 0.9),
        ("sudan-front-2", "2024-05-14", 0.8),
        ("sudan-front-2", "2024-05-14", 0.6),
    ]
    assert edge["evidence"][0] == {
        "sentence": "وقالت مصر إنها تدعم الحكومة السودانية في مساعيها لإنهاء الحرب.",
        "article_id": "sudan-talks-1",
        "article_title": "محادثات غير مباشرة في الدوحة",
        "date": "2024-05-12",
        "outlet": "khabar-tests",
        "url": None,
        "confidence": 0.9,
    }


def test_empty_graph_gives_empty_network():
    G = to_networkx(rdflib.Graph())
    assert (G.number_of_nodes(), G.number_of_edges()) == (0, 0)


def test_statement_without_article_types_or_labels():
    g = rdflib.Graph().parse(
        format="turtle",
        data=PREFIXES
        + """
        [] a rdf:Statement ; rdf:subject ent:a ; rdf:predicate kh:coinedLater ; rdf:object ent:b .
        [] a rdf:Statement ; rdf:subject ent:a ; rdf:predicate kh:attacks .
        """,
    )
    G = to_networkx(g)
    assert G.nodes[str(ENT["a"])] == {
        "iri": str(ENT["a"]),
        "label_ar": None,
        "label_en": None,
        "type": "Entity",
    }
    (attrs,) = G.get_edge_data(str(ENT["a"]), str(ENT["b"])).values()
    assert attrs["family"] is None  # not in relations.ttl
    assert attrs["count"] == 1  # the statement stands for its unknown article
    assert attrs["evidence"] == [
        {
            "sentence": None,
            "article_id": None,
            "article_title": None,
            "date": None,
            "outlet": None,
            "url": None,
            "confidence": None,
        }
    ]
    assert G.number_of_edges() == 1  # the statement without an object is left out


@pytest.mark.parametrize(
    ("negated", "expected"),
    [
        ("true", True),
        ('"true"^^xsd:boolean', True),
        ('"1"^^xsd:boolean', True),
        ('"true"', True),
        ("false", False),
        ('"false"', False),
    ],
)
def test_negated_literal_forms(negated, expected):
    g = rdflib.Graph().parse(
        format="turtle",
        data=PREFIXES
        + f"""
        [] a rdf:Statement ; rdf:subject ent:a ; rdf:predicate kh:fights ; rdf:object ent:b ;
           kh:negated {negated} .
        """,
    )
    assert list(to_networkx(g).edges(keys=True)) == [
        (str(ENT["a"]), str(ENT["b"]), ("fights", expected))
    ]


def test_most_specific_class_names_the_type():
    g = rdflib.Graph().parse(
        format="turtle",
        data=PREFIXES
        + """
        ent:a a kh:Actor, kh:Entity, kh:Person .
        [] a rdf:Statement ; rdf:subject ent:a ; rdf:predicate kh:meetsWith ; rdf:object ent:a .
        """,
    )
    assert to_networkx(g).nodes[str(ENT["a"])]["type"] == "Person"


def test_every_relation_has_one_of_the_five_families():
    ontology = load_ontology()
    relations = {str(rel).split("#")[-1] for rel in ontology.subjects(RDF.type, KH.Relation)}
    families = relation_families(ontology)
    assert relations <= set(families)
    assert set(families.values()) == {"talks", "support", "violence", "movement", "roles"}


def test_evidence_names_the_outlet_and_the_url_apart():
    g = rdflib.Graph().parse(
        format="turtle",
        data=PREFIXES
        + """
        @prefix dcterms: <http://purl.org/dc/terms/> .
        @prefix prov: <http://www.w3.org/ns/prov#> .
        <https://w3id.org/khabar/article/x> dcterms:identifier "x" ;
            dcterms:source "Al-Khabar Daily", "https://example.org/x"^^xsd:anyURI .
        [] a rdf:Statement ; rdf:subject ent:a ; rdf:predicate kh:fights ; rdf:object ent:b ;
           prov:wasDerivedFrom <https://w3id.org/khabar/article/x> .
        """,
    )
    (attrs,) = to_networkx(g).get_edge_data(str(ENT["a"]), str(ENT["b"])).values()
    assert attrs["evidence"][0]["outlet"] == "Al-Khabar Daily"
    assert attrs["evidence"][0]["url"] == "https://example.org/x"


@pytest.mark.parametrize(
    "name",
    [
        RSF,
        "rapid-support-forces",
        "ent:rapid-support-forces",
        "Rapid Support Forces",
        "rapid support forces",
        "  RAPID SUPPORT FORCES ",
        "قوات الدعم السريع",
        "قوات الدعم السريع".replace("ة", "ه"),  # Arabic spelling variants fold
    ],
)
def test_find_entity_by_iri_local_name_or_label(G, name):
    assert find_entity(G, name) == RSF


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Atlantis", "unknown entity 'Atlantis'"),
        ("Qatr", "unknown entity 'Qatr' (did you mean 'Qatar'?)"),
        ("ent:nowhere", "unknown entity 'ent:nowhere'"),
    ],
)
def test_find_entity_unknown_is_a_one_line_error(G, name, message):
    with pytest.raises(KhabarError) as err:
        find_entity(G, name)
    assert str(err.value) == message
    assert err.value.value == name


def test_find_entity_refuses_an_ambiguous_label():
    H = nx.MultiDiGraph()
    for node in ("ent/a", "ent/b"):
        H.add_node(node, iri=node, label_ar=None, label_en="Army", type="ArmedGroup")
    with pytest.raises(KhabarError, match="ambiguous entity 'army'.*ent/a.*ent/b"):
        find_entity(H, "army")


@pytest.mark.parametrize(
    ("hops", "expected"),
    [
        (0, {EGYPT}),
        (1, {EGYPT, GOVERNMENT}),
        (2, {EGYPT, GOVERNMENT, QATAR, RSF}),
        (3, {EGYPT, GOVERNMENT, QATAR, RSF, BRIGADE, DAGALO, FASHER}),
    ],
)
def test_ego_network_follows_edges_either_way(G, hops, expected):
    ego = ego_network(G, "Egypt", hops=hops)
    assert set(ego) == expected
    for u, v, key in ego.edges(keys=True):
        assert ego.edges[u, v, key] == G.edges[u, v, key]
    assert ego is not G and G.number_of_nodes() == 7  # a copy; G is untouched


def test_ego_network_rejects_negative_hops(G):
    with pytest.raises(KhabarError, match="--hops"):
        ego_network(G, "Egypt", hops=-1)
