"""Statements -> RDF and everything done with the graph: files, SPARQL, network, HTML."""

from .build import BuildResult, build_graph
from .serialize import read_graph, write_graph
from .store import open_store

__all__ = ["build_graph", "BuildResult", "read_graph", "write_graph", "open_store"]
