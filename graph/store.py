"""The store behind Khabar's graph: four methods, so Oxigraph can replace rdflib later.

>>> store = open_store("memory")
>>> from rdflib import URIRef, Literal
>>> store.add([(URIRef("urn:a"), URIRef("urn:p"), Literal(1))])
>>> len(store)
1
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

import rdflib

from extractors.errors import InputError
from ontology import ENT, KH

__all__ = ["Store", "RdflibStore", "open_store", "STORES"]


class Store(Protocol):
    def add(self, triples: Iterable[tuple]) -> None: ...
    def query(self, sparql: str): ...
    def dump(self, path: str | Path) -> Path: ...
    def __len__(self) -> int: ...


class RdflibStore:
    """An in-memory rdflib graph."""

    def __init__(self) -> None:
        self.graph = rdflib.Graph()
        for prefix, ns in (
            ("kh", KH),
            ("ent", ENT),
            ("prov", rdflib.PROV),
            ("dcterms", rdflib.DCTERMS),
            ("skos", rdflib.SKOS),
        ):
            self.graph.bind(prefix, ns)

    def add(self, triples: Iterable[tuple]) -> None:
        for triple in triples:
            self.graph.add(triple)

    def query(self, sparql: str):
        from graph.sparql import run_query

        return run_query(self.graph, sparql)

    def dump(self, path: str | Path) -> Path:
        from graph.serialize import write_graph

        return write_graph(self.graph, path)

    def __len__(self) -> int:
        return len(self.graph)


STORES = {"memory": RdflibStore}


def open_store(name: str = "memory") -> Store:
    """A store by name; an unknown name is an error that lists the known ones."""
    if name not in STORES:
        raise InputError(f"unknown store {name!r}; known: {', '.join(STORES)}")
    return STORES[name]()
