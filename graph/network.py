"""Turn a Khabar RDF graph into a networkx multigraph of who does what to whom."""

from __future__ import annotations

import difflib
from decimal import Decimal

import networkx as nx
import rdflib
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS

from extractors.errors import KhabarError
from extractors.normalize import normalize
from ontology import ENT, KH, load_ontology

__all__ = ["to_networkx", "relation_families", "find_entity", "ego_network", "entity_name"]

_ANY_URI = rdflib.URIRef("http://www.w3.org/2001/XMLSchema#anyURI")

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
    ``outlet`` (the article's ``dcterms:source`` name), ``url`` (its
    ``dcterms:source`` of type ``xsd:anyURI``), ``confidence``, sorted by date)
    and ``count``, the number of distinct articles behind it. Statements lacking
    a subject, predicate or object are left out.

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
    for stmt in sorted(set(g.subjects(RDF.type, RDF.Statement))):  # type: ignore[type-var]  # rdflib types graph nodes as Node; they are Identifiers, which order
        subj = g.value(stmt, RDF.subject)
        pred = g.value(stmt, RDF.predicate)
        obj = g.value(stmt, RDF.object)
        if subj is None or pred is None or obj is None:
            continue
        if any(isinstance(part, rdflib.Literal) for part in (subj, pred, obj)):
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
        "outlet": _source(g, article, url=False),
        "url": _source(g, article, url=True),
        "confidence": _as_float(g.value(stmt, KH.confidence)),
    }


def _source(g: rdflib.Graph, article: rdflib.term.Node | None, *, url: bool) -> str | None:
    """The article's outlet name (``url=False``) or web address (``url=True``).

    Both are ``dcterms:source``: the address is the literal typed ``xsd:anyURI``
    (or an IRI), the outlet any other literal. Several are joined with ", ".
    """
    if article is None:
        return None
    found = sorted(
        str(value)
        for value in g.objects(article, DCTERMS.source)
        if url == (isinstance(value, rdflib.URIRef) or getattr(value, "datatype", None) == _ANY_URI)
    )
    return ", ".join(found) or None


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


def entity_name(attrs: dict) -> str:
    """How to name an entity to a person: "Arabic / English", or its IRI's last part.

    >>> entity_name({"iri": "ent/qatar", "label_ar": "قطر", "label_en": "Qatar"})
    'قطر / Qatar'
    >>> entity_name({"iri": "https://w3id.org/khabar/id/x", "label_ar": None, "label_en": None})
    'x'
    """
    names = [name for name in (attrs.get("label_ar"), attrs.get("label_en")) if name]
    return " / ".join(names) or _local_name(attrs["iri"])


def find_entity(G: nx.Graph, name: str) -> str:
    """The node of ``G`` that ``name`` designates, or a one-line KhabarError.

    ``name`` is a full IRI, an ``ent:`` local name with or without its prefix
    ("isis", "ent:isis"), or a label, Arabic or English, compared without case
    and with Arabic spelling variants folded («الدوحة» matches «الدوحه»). A
    label shared by several entities is an error that lists them.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("https://w3id.org/khabar/id/qatar", iri="https://w3id.org/khabar/id/qatar",
    ...            label_ar="قطر", label_en="Qatar", type="Country")
    >>> find_entity(G, "qatar") == find_entity(G, "QATAR") == find_entity(G, "قطر")
    True
    >>> find_entity(G, "Qatr")
    Traceback (most recent call last):
    ...
    extractors.errors.KhabarError: unknown entity 'Qatr' (did you mean 'Qatar'?)
    """
    text = name.strip()
    if text in G:
        return text
    local = text[len("ent:") :] if text.startswith("ent:") else text
    if str(ENT) + local in G:  # concatenated: ENT[local] warns on a label with spaces
        return str(ENT) + local
    key = normalize(text)
    found = sorted(
        node
        for node, attrs in G.nodes(data=True)
        if key
        in {
            normalize(value)
            for value in (attrs.get("label_ar"), attrs.get("label_en"), _local_name(node))
            if value
        }
    )
    if len(found) == 1:
        return found[0]
    if found:
        listed = "; ".join(f"{entity_name(G.nodes[node])} <{node}>" for node in found[:5])
        raise KhabarError(f"ambiguous entity {name!r}: {listed}", value=name)
    names = {
        value: node
        for node, attrs in G.nodes(data=True)
        for value in (attrs.get("label_ar"), attrs.get("label_en"), _local_name(node))
        if value
    }
    close = difflib.get_close_matches(text, list(names), n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise KhabarError(f"unknown entity {name!r}{hint}", value=name)


def ego_network(G: nx.MultiDiGraph, entity: str, *, hops: int = 1) -> nx.MultiDiGraph:
    """The part of ``G`` within ``hops`` steps of ``entity``, whichever way edges point.

    ``entity`` is anything :func:`find_entity` accepts. The result is a copy:
    every edge of ``G`` between two kept nodes, with all its attributes.

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "b"), ("c", "b"), ("c", "d")])
    >>> sorted(ego_network(G, "a", hops=1)), sorted(ego_network(G, "a", hops=2))
    (['a', 'b'], ['a', 'b', 'c'])
    """
    if hops < 0:
        raise KhabarError(f"--hops must be 0 or more, got {hops}", value=hops)
    node = find_entity(G, entity)
    near = nx.single_source_shortest_path_length(G.to_undirected(as_view=True), node, cutoff=hops)
    return G.subgraph(near).copy()
