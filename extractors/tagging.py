"""Named-entity tags (BIO over PER, LOC, ORG, MISC) for pre-tokenized text.

This tagger reads the gazetteer and the titles before people's names (the
lexicon extractor's own mentions): ``khabar tag --tagger gazetteer``, and the
fallback when Stanza or the NER model is missing. Khabar's NER model
(``extractors.ner.tagger.NerTagger``) is the default tagger.

>>> words = "التقى بوتين وزير الخارجية السوري وليد المعلم في موسكو".split()
>>> [tag for _word, tag in tag_sentences(read_conll_tokens(words))[0]]
['O', 'B-PER', 'O', 'O', 'O', 'B-PER', 'I-PER', 'O', 'B-LOC']
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable

from .errors import InputError, ModelError
from .lexicon import LexiconExtractor
from .types import Article

__all__ = ["read_conll_tokens", "tag", "tag_sentences", "TAG_OF_CLASS"]

TAG_OF_CLASS = {
    "Person": "PER",
    "Place": "LOC",
    "Country": "LOC",
    "Government": "ORG",
    "ArmedGroup": "ORG",
    "Organization": "ORG",
    "Group": "ORG",
    "GenericActor": "MISC",
}
"""Ontology class -> CoNLL entity type."""


def read_conll_tokens(lines: Iterable[str], *, path: object = "<stdin>") -> list[list[str]]:
    """Sentences of tokens: one token per line (first column), a blank line between sentences."""
    sents: list[list[str]] = [[]]
    for number, line in enumerate(lines, 1):
        if "\x00" in line:
            raise InputError("binary data, expected one token per line", path=path, line=number)
        token = line.strip().split("\t")[0].split(" ")[0] if line.strip() else ""
        if token:
            sents[-1].append(token)
        elif sents[-1]:
            sents.append([])
    return [s for s in sents if s]


def tag_sentences(
    sents: list[list[str]], *, extractor: LexiconExtractor | None = None
) -> list[list[tuple[str, str]]]:
    """BIO tags for each token of each sentence."""
    ext = extractor or LexiconExtractor()
    out = []
    for tokens in sents:
        text = " ".join(tokens)
        starts, pos = [], 0
        for tok in tokens:
            starts.append(pos)
            pos += len(tok) + 1
        tags = ["O"] * len(tokens)
        for _sent, mentions in ext.mentions(Article("tag", text)):
            for m in mentions:
                if m.hidden:
                    continue
                kind = TAG_OF_CLASS.get(ext.entity_type(m.entity), "MISC")
                covered = [
                    k for k, s in enumerate(starts) if m.start < s + len(tokens[k]) and s < m.end
                ]
                for n, k in enumerate(covered):
                    tags[k] = ("B-" if n == 0 else "I-") + kind
        out.append(list(zip(tokens, tags, strict=True)))
    return out


def tag(
    sents: list[list[str]], *, tagger: str = "auto", model_dir=None
) -> list[list[tuple[str, str]]]:
    """BIO tags by the chosen ``tagger``: "ner" (Khabar's NER model; a missing model or
    Stanza is an error), "gazetteer" (:func:`tag_sentences`), or "auto": the model,
    else the gazetteer with a warning that says why. What ``khabar tag`` prints."""
    if tagger not in {"auto", "ner", "gazetteer"}:
        raise ValueError(f"tagger must be auto, ner or gazetteer, not {tagger!r}")
    if tagger == "gazetteer" or not sents:
        return tag_sentences(sents)
    try:
        from .ner.tagger import NerTagger

        model = NerTagger(model_dir=model_dir)
    except (ModelError, ImportError) as err:
        if tagger == "ner":
            raise ModelError(str(err)) from err
        warnings.warn(f"{err}; tagging with the gazetteer instead", stacklevel=2)
        return tag_sentences(sents)
    tags = model(sents)
    return [list(zip(s, t, strict=True)) for s, t in zip(sents, tags, strict=True)]
