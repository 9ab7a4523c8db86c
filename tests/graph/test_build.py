"""The RDF contract of SPEC.md, checked on graphs built from our own Arabic text."""

import pytest
from rdflib import RDF, RDFS, XSD, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, PROV

from extractors.types import Article
from graph import build_graph, read_graph, write_graph
from ontology import KH

DENIAL = Article(
    "denial-1",
    "نفي تركي\nنفت تركيا أن تكون قد أجرت مفاوضات مع الحكومة السورية. وقصفت روسيا مواقع داعش.",
    title="نفي تركي",
)


@pytest.fixture(scope="module")
def denial_graph(extractor):
    return build_graph([DENIAL], extractor).graph


def statements(g, predicate):
    return [st for st in g.subjects(RDF.predicate, KH[predicate])]


def test_article_node(denial_graph):
    g = denial_graph
    (art,) = g.subjects(RDF.type, KH.Article)
    assert g.value(art, DCTERMS.identifier) == Literal("denial-1")
    assert str(g.value(art, DCTERMS.title)) == "نفي تركي"


def test_denied_statement_has_no_plain_triple(denial_graph):
    g = denial_graph
    (st,) = statements(g, "negotiatesWith")
    assert g.value(st, KH.negated) == Literal(True)
    s, o = g.value(st, RDF.subject), g.value(st, RDF.object)
    assert (s, KH.negotiatesWith, o) not in g and (o, KH.negotiatesWith, s) not in g


def test_asserted_statement_has_plain_triple_and_evidence(denial_graph):
    g = denial_graph
    (st,) = statements(g, "attacks")
    s, o = g.value(st, RDF.subject), g.value(st, RDF.object)
    assert (s, KH.attacks, o) in g
    assert (st, KH.negated, None) not in g
    start, end = int(g.value(st, KH.charStart)), int(g.value(st, KH.charEnd))
    assert DENIAL.text[start:end] == str(g.value(st, KH.evidence))
    assert 0 < float(g.value(st, KH.confidence)) <= 1
    assert g.value(st, PROV.wasDerivedFrom) is not None


def test_entities_are_typed_and_labelled_in_both_languages(denial_graph):
    g = denial_graph
    russia = URIRef("https://w3id.org/khabar/id/russia")
    assert (russia, RDF.type, KH.Country) in g
    labels = {(lit.language, str(lit)) for lit in g.objects(russia, RDFS.label)}
    assert ("ar", "روسيا") in labels and ("en", "Russia") in labels


def test_same_entity_iri_across_articles_and_runs(extractor):
    a = Article("a", "قصفت روسيا مواقع داعش.")
    b = Article("b", "وقالت موسكو إنها ستواصل دعم الحكومة السورية.")
    g1 = build_graph([a, b], extractor).graph
    g2 = build_graph([b, a], extractor).graph
    assert isomorphic(g1, g2)
    subjects = {g1.value(st, RDF.subject) for st in g1.subjects(RDF.type, RDF.Statement)}
    assert URIRef("https://w3id.org/khabar/id/russia") in subjects


def test_person_iris_are_valid_even_with_arabic_names(extractor, tmp_path):
    art = Article("p", "قال وزير الخارجية الأردني أيمن الصفدي إن عمان تدعم الحل السياسي.")
    g = build_graph([art], extractor).graph
    out = write_graph(g, tmp_path / "g.nt")
    for line in out.read_text(encoding="utf-8").splitlines():
        for part in line.split(" "):
            if part.startswith("<"):
                assert " " not in part and all(ord(c) < 128 for c in part)


@pytest.mark.parametrize("suffix", [".ttl", ".trig", ".nq", ".nt", ".jsonld"])
def test_every_format_round_trips(examples_graph, tmp_path, suffix):
    path = write_graph(examples_graph, tmp_path / f"graph{suffix}")
    assert isomorphic(read_graph(path), examples_graph)


def test_min_confidence_drops_weak_statements(extractor):
    arts = [DENIAL]
    everything = build_graph(arts, extractor)
    strict = build_graph(arts, extractor, min_confidence=0.99)
    assert everything.statements > 0 and strict.statements == 0


def test_dates_are_xsd_dates(examples_graph):
    dates = list(examples_graph.objects(None, DCTERMS.date))
    assert dates and all(d.datatype == XSD.date for d in dates)
