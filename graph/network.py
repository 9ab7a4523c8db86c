"""Turn a Khabar RDF graph into a networkx multigraph of who does what to whom."""

from __future__ import annotations

from decimal import Decimal

import networkx as nx
import rdflib
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS

from ontology import KH, load_ontology

__all__ = ["to_networkx", "relation_families"]

_GENERAL_CLASSES = {"Entity", "Actor"}
"""kh: classes too broad to name an entity's type when a narrower one is given."""


def relation_families(ontology: rdflib.Graph | None = None) -> dict[str, str]:
    """Map each relation's local name to its ``kh:family`` in ``relations.ttl``.

    The families group relations for display: "talks", "support", "violence",
    "movement" and "roles". ``ontology`` defaults to the shipped one.

    Examples
    --------
    >>> families = relation_families()
    >>> families["negotiatesWith"], families["attacks"], families["leads"]
    ('talks', 'violence', 'roles')
    """
    if ontology is None:
        ontology = load_ontology()
    return {_local_name(rel): str(family) for rel, family in ontology.subject_objects(KH.family)}


def to_networkx(g: rdflib.Graph) -> nx.MultiDiGraph:
    """Build the network of the statements in ``g``.

    Nodes are the entities that are the subject or object of a statement,
    keyed by their IRI (as a string), with attributes ``iri``, ``label_ar``,
    ``label_en`` (``None`` when missing) and ``type``, the local name of the
    entity's ``kh:`` class ("Entity" when it has none).

    Edges are keyed by ``(relation, negated)``: all the statements with the same
    subject, relation, object and polarity become one edge, with attributes
    ``relation`` (local name), ``family`` (from ``relations.ttl``, ``None`` for
    an unknown relation), ``symmetric``, ``negated``, ``evidence`` (one dict per
    statement: ``sentence``, ``article_id``, ``article_title``, ``date``,
    ``confidence``, sorted by date) and ``count``, the number of distinct
    articles behind it. Statements lacking a subject, predicate or object are
    left out.

    Examples
    --------
    >>> g = rdflib.Graph().parse(format="turtle", data='''
    ...     @prefix kh: <https://w3id.org/khabar/ontology#> .
    ...     @prefix ent: <https://w3id.org/khabar/id/> .
    ...     @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
    ...     @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ...     @prefix dcterms: <http://purl.org/dc/terms/> .
    ...     @prefix prov: <http://www.w3.org/ns/prov#> .
    ...     ent:qatar a kh:Country ; rdfs:label "قطر"@ar, "Qatar"@en .
    ...     ent:gaza a kh:Place ; rdfs:label "غزة"@ar .
    ...     <https://w3id.org/khabar/article/a1> dcterms:identifier "a1" .
    ...     [] a rdf:Statement ; rdf:subject ent:qatar ; rdf:predicate kh:mediates ;
    ...        rdf:object ent:gaza ; prov:wasDerivedFrom <https://w3id.org/khabar/article/a1> ;
    ...        kh:evidence "توسطت قطر في غزة"@ar ; kh:confidence 0.75 .
    ... ''')
    >>> G = to_networkx(g)
    >>> qatar, gaza = "https://w3id.org/khabar/id/qatar", "https://w3id.org/khabar/id/gaza"
    >>> G.nodes[qatar]["label_ar"], G.nodes[qatar]["label_en"], G.nodes[qatar]["type"]
    ('قطر', 'Qatar', 'Country')
    >>> edge = G.edges[qatar, gaza, ("mediates", False)]
    >>> edge["family"], edge["negated"], edge["count"]
    ('talks', False, 1)
    >>> edge["evidence"][0]["article_id"], edge["evidence"][0]["confidence"]
    ('a1', 0.75)
    """
    ontology = load_ontology()
    families = relation_families(ontology)
    symmetric = {_local_name(rel) for rel in ontology.subjects(RDF.type, OWL.SymmetricProperty)}

    G = nx.MultiDiGraph()
    sources: dict[tuple, set] = {}  # edge -> the articles (or lone statements) behind it
    # Sorted so that the same graph always gives the same network.
    for stmt in sorted(set(g.subjects(RDF.type, RDF.Statement))):
        subj = g.value(stmt, RDF.subject)
        pred = g.value(stmt, RDF.predicate)
        obj = g.value(stmt, RDF.object)
        if any(part is None or isinstance(part, rdflib.Literal) for part in (subj, pred, obj)):
            continue
        for entity in (subj, obj):
            if str(entity) not in G:
                G.add_node(str(entity), **_entity_attributes(g, entity))

        relation = _local_name(pred)
        negated = _is_true(g.value(stmt, KH.negated))
        edge = (str(subj), str(obj), (relation, negated))  # (u, v, key)
        if edge not in sources:
            G.add_edge(
                *edge,
                relation=relation,
                family=families.get(relation),
                symmetric=relation in symmetric,
                negated=negated,
                evidence=[],
                count=0,
            )
            sources[edge] = set()
        article = g.value(stmt, PROV.wasDerivedFrom)
        G.edges[edge]["evidence"].append(_evidence(g, stmt, article))
        sources[edge].add(stmt if article is None else article)

    for edge, found in sources.items():
        G.edges[edge]["count"] = len(found)
        G.edges[edge]["evidence"].sort(key=_evidence_order)
    return G


def _entity_attributes(g: rdflib.Graph, entity: rdflib.term.Node) -> dict:
    """The node attributes of one entity: IRI, Arabic and English labels, class."""
    types = sorted(
        _local_name(cls) for cls in g.objects(entity, RDF.type) if str(cls).startswith(str(KH))
    )
    specific = [name for name in types if name not in _GENERAL_CLASSES]
    return {
        "iri": str(entity),
        "label_ar": _label(g, entity, "ar"),
        "label_en": _label(g, entity, "en"),
        "type": (specific or types or ["Entity"])[0],
    }


def _label(g: rdflib.Graph, entity: rdflib.term.Node, lang: str) -> str | None:
    """The entity's ``rdfs:label`` in ``lang`` (the first, sorted, if several)."""
    labels = [
        str(label)
        for label in g.objects(entity, RDFS.label)
        if isinstance(label, rdflib.Literal) and (label.language or "").split("-")[0] == lang
    ]
    return min(labels) if labels else None


def _evidence(g: rdflib.Graph, stmt: rdflib.term.Node, article: rdflib.term.Node | None) -> dict:
    """What one statement contributes to its edge: the sentence and where it comes from."""

    def text(subject, predicate):
        value = None if subject is None else g.value(subject, predicate)
        return None if value is None else str(value)

    return {
        "sentence": text(stmt, KH.evidence),
        "article_id": text(article, DCTERMS.identifier),
        "article_title": text(article, DCTERMS.title),
        "date": text(article, DCTERMS.date),
        "confidence": _as_float(g.value(stmt, KH.confidence)),
    }


def _evidence_order(evidence: dict) -> tuple:
    return tuple(evidence[key] or "" for key in ("date", "article_id", "sentence"))


def _is_true(value: rdflib.term.Node | None) -> bool:
    """Whether a literal says true; an untyped "true" counts, "false" never does."""
    return value is not None and str(value).strip().lower() in ("true", "1")


def _as_float(value: rdflib.term.Node | None) -> float | None:
    """A numeric literal as a float; ``None`` when absent or not a number."""
    number = value.toPython() if isinstance(value, rdflib.Literal) else None
    if isinstance(number, (int, float, Decimal)) and not isinstance(number, bool):
        return float(number)
    return None


def _local_name(iri: rdflib.term.Node) -> str:
    """The part of an IRI after its last ``#`` or ``/``: ``kh:Country`` -> "Country"."""
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
