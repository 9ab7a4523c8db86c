"""Extractors by name, imported lazily so Stanza loads only when asked for.

>>> get_extractor("lexicon", ner="off").name
'lexicon'
>>> get_extractor("trained", ner="off").name
'trained'
>>> get_extractor("nope")
Traceback (most recent call last):
...
extractors.errors.InputError: unknown extractor 'nope'; known: trained, lexicon, stanza
"""

from __future__ import annotations

import importlib

from .errors import InputError

__all__ = ["EXTRACTORS", "get_extractor"]

EXTRACTORS = {
    "trained": "extractors.relations.extractor:RelationExtractor",
    "lexicon": "extractors.lexicon:LexiconExtractor",
    "stanza": "extractors.dependency:StanzaExtractor",
}


def get_extractor(name: str, **options):
    """An extractor instance by its ``--extractor`` name, with the options ``khabar build``
    gives it unless ``options`` say otherwise: the trained and lexicon extractors find
    names with the NER model at scope ``NER_DEFAULT`` (``ner="off"`` for none; without the
    model, a warning and none)."""
    if name not in EXTRACTORS:
        raise InputError(f"unknown extractor {name!r}; known: {', '.join(EXTRACTORS)}")
    module_name, _, cls_name = EXTRACTORS[name].partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as err:
        raise InputError(
            f"extractor {name!r} needs an optional dependency ({err.name}); "
            f"install it with: pip install 'khabar[{name}]'"
        ) from err
    if name == "lexicon":
        from .lexicon import NER_DEFAULT

        options.setdefault("ner", NER_DEFAULT)
    return getattr(module, cls_name)(**options)
