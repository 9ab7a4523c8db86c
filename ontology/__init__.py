"""Khabar's ontology: classes, relations with their Arabic triggers, and the gazetteer.

Everything here is data in Turtle; this module only names the namespaces and
finds the files, so that adding an actor or a trigger means editing Turtle.

>>> str(KH.negotiatesWith)
'https://w3id.org/khabar/ontology#negotiatesWith'
>>> sorted(p.name for p in ontology_files())  # doctest: +NORMALIZE_WHITESPACE
['classes.ttl', 'gazetteer-actors.ttl', 'gazetteer-places.ttl', 'gazetteer-region.ttl',
 'gazetteer.ttl', 'relations.ttl']
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from rdflib import Graph, Namespace

__all__ = [
    "KH",
    "ENT",
    "ART",
    "STMT",
    "ontology_files",
    "load_ontology",
    "query_files",
    "everyday_words",
]

KH = Namespace("https://w3id.org/khabar/ontology#")
"""The project ontology: classes, relations and annotation properties."""

ENT = Namespace("https://w3id.org/khabar/id/")
"""Entity IRIs: one per real-world actor or place, stable across runs."""

ART = Namespace("https://w3id.org/khabar/article/")
"""Article IRIs, minted from the article's identifier."""

STMT = Namespace("https://w3id.org/khabar/statement/")
"""Statement IRIs, minted from the article, offsets and the triple."""

_FILES = (
    "classes.ttl",
    "relations.ttl",
    "gazetteer.ttl",
    "gazetteer-places.ttl",
    "gazetteer-actors.ttl",
    "gazetteer-region.ttl",
)


def ontology_files() -> list[Path]:
    """The Turtle files that make up the ontology, in load order."""
    root = resources.files(__name__)
    return [Path(str(root / name)) for name in _FILES]


def everyday_words() -> list[str]:
    """Everyday words that are also names (``everyday-words.txt``): never a name alone.

    >>> "الباب" in everyday_words()
    True
    """
    text = (resources.files(__name__) / "everyday-words.txt").read_text(encoding="utf-8")
    return [w for line in text.splitlines() if not line.startswith("#") for w in line.split()]


def query_files() -> list[Path]:
    """The canned SPARQL queries shipped in ``ontology/queries``."""
    root = Path(str(resources.files(__name__) / "queries"))
    return sorted(root.glob("*.rq")) if root.is_dir() else []


def load_ontology(*extra: str | Path) -> Graph:
    """Parse the shipped Turtle files (and any ``extra`` ones) into one graph."""
    g = Graph()
    g.bind("kh", KH)
    g.bind("ent", ENT)
    for path in [*ontology_files(), *map(Path, extra)]:
        g.parse(path, format="turtle")
    return g
