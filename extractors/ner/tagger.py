"""Khabar's NER tagger: the shipped Stanza model over Khabar's own tokens.

``NerTagger`` turns sentences of tokens into BIO tags (PER, LOC, ORG, MISC);
``ner_mentions_batch`` is how the extractors call it (``khabar tag`` and the
lexicon extractor). Stanza and torch load only when a tagger is built.
"""

from __future__ import annotations

import functools
import os
import warnings
from collections.abc import Sequence
from pathlib import Path

from ..errors import ModelError
from ..types import Token
from ..weights import check_weights
from .bio import model_form, propagate_labels, spans_from_tags, to_bio
from .resources import (
    NER_CHARLM_FILES,
    NER_MODEL_FILE,
    NER_VECTORS_FILE,
    SHIPPED_NER_DIR,
    import_stanza,
    read_meta,
    use_one_thread,
)

__all__ = ["NerTagger", "load_ner_tagger", "ner_mentions", "ner_mentions_batch"]


class NerTagger:
    """Khabar's NER model: sentences of tokens in, BIO tags (PER, LOC, ORG, MISC) out.

    ``model_dir`` holds ``ar_khabar_nertagger.pt`` and ``ar_khabar_vectors.pt``
    (default: the model shipped with Khabar); their sha256 in its ``meta.json``
    are checked before Stanza reads them. Tokens are given as Khabar
    tokenizes them; the model sees them in ``model_form``. With ``quantize`` (the
    default) the LSTMs and linear layers run with 8-bit weights (``quantize_int8``):
    about a quarter faster, the same tags on 99.9% of tokens.
    """

    def __init__(
        self,
        *,
        model_dir: str | os.PathLike | None = None,
        threads: int = 1,
        batch_size: int = 64,
        quantize: bool = True,
    ) -> None:
        folder = Path(model_dir) if model_dir else SHIPPED_NER_DIR
        model, vectors = folder / NER_MODEL_FILE, folder / NER_VECTORS_FILE
        for path in (model, vectors, folder / "resources.json"):
            if not path.is_file():
                raise ModelError(
                    f"NER model file {path.name} is missing; reinstall Khabar or train one with: "
                    f"khabar models train-ner -o {folder}",
                    path=folder,
                )
        fix = f"; reinstall Khabar or train one with: khabar models train-ner -o {folder}"
        check_weights(folder, read_meta(folder).get("sha256", {}), fix=fix)
        stanza = import_stanza()
        use_one_thread(threads)
        self.model_dir = folder
        charlm = [folder / name for name in NER_CHARLM_FILES]
        extra = {}
        if all(path.is_file() for path in charlm):  # trained with character language models
            extra = {
                "ner_forward_charlm_path": str(charlm[0]),
                "ner_backward_charlm_path": str(charlm[1]),
            }
        try:
            self.pipeline = stanza.Pipeline(
                lang="ar",
                dir=str(folder),
                processors="tokenize,ner",
                tokenize_pretokenized=True,
                download_method=None,
                ner_model_path=str(model),
                ner_pretrain_path=str(vectors),
                ner_batch_size=batch_size,
                use_gpu=False,
                logging_level="ERROR",  # "unsupported language": ours needs no resources
                allow_unknown_language=True,  # our resources.json is empty: nothing to look up
                **extra,
            )
        except Exception as err:  # stanza raises plain exceptions for unreadable model files
            raise ModelError(
                f"cannot load the NER model ({err.__class__.__name__}: {err})", path=model
            ) from err
        self.quantized = quantize and quantize_int8(self.pipeline.processors["ner"])

    def __call__(self, sents: Sequence[Sequence[str]]) -> list[list[str]]:
        return self.tag(sents)

    def tag(self, sents: Sequence[Sequence[str]], *, propagate: bool = True) -> list[list[str]]:
        """BIO tags for each token of each sentence (empty sentences get []).

        The sentences are read as one document: with ``propagate``, a name the
        model tagged in most of its occurrences is tagged in the others too
        (``extractors.ner.bio.propagate_labels``).
        """
        forms = [[model_form(tok) for tok in sent] for sent in sents if sent]
        tagged = iter(_bio_tags(self.pipeline(forms)) if forms else [])
        tags = [next(tagged) if sent else [] for sent in sents]
        return propagate_labels(sents, tags) if propagate else tags


def quantize_int8(processor) -> bool:
    """Give a Stanza NER processor's model 8-bit weights in its LSTMs and linear layers
    (torch's dynamic quantization: activations stay float); False where torch lacks it.

    Measured on the shipped model: tagging 7,950 -> 10,230 tokens/s on one thread,
    99.94% of 80,000 news tokens get the same tag, entity F1 within 0.002 on the
    ANERcorp slice and AQMAR dev (see the README). torch marks ``torch.ao.quantization``
    deprecated in favour of torchao, whose eager API quantizes linear layers only (the
    LSTMs are most of the time): Khabar pins torch, and falls back to float weights
    if a later torch drops the function.
    """
    import torch

    try:
        from torch.ao.quantization import quantize_dynamic
    except ImportError:
        return False
    with warnings.catch_warnings():
        # torch's deprecation notices of the API above (once per load), nothing else
        warnings.filterwarnings("ignore", message=r"torch\.(ao\.quantization|quantize_per_tensor)")
        for trainer in processor.trainers:
            trainer.model = quantize_dynamic(
                trainer.model, {torch.nn.LSTM, torch.nn.Linear}, dtype=torch.qint8
            )
    return True


def _bio_tags(doc) -> list[list[str]]:
    """Stanza writes BIOES; Khabar speaks BIO."""
    return [[to_bio(tok.ner) for tok in sent.tokens] for sent in doc.sentences]


def load_ner_tagger(model_dir: str | None = None) -> NerTagger:
    """One shared ``NerTagger`` per model dir (loading takes a few seconds)."""
    return _shared_tagger(None if model_dir is None else str(model_dir))


@functools.lru_cache(maxsize=2)
def _shared_tagger(model_dir: str | None) -> NerTagger:
    # one cache key per directory: load_ner_tagger() and load_ner_tagger(None) once
    return NerTagger(model_dir=model_dir)


def ner_mentions(
    sent_tokens: Sequence[Token | str], *, model_dir: str | None = None
) -> list[tuple[int, int, str]]:
    """Names the NER model finds in one sentence: (first token, last token, label)."""
    return ner_mentions_batch([sent_tokens], model_dir=model_dir)[0]


def ner_mentions_batch(
    sents: Sequence[Sequence[Token | str]], *, model_dir: str | None = None
) -> list[list[tuple[int, int, str]]]:
    """``ner_mentions`` for many sentences in one model call (much faster than one by one)."""
    words = [[t if isinstance(t, str) else t.text for t in sent] for sent in sents]
    tags = load_ner_tagger(model_dir).tag(words, propagate=False)  # the gazetteer links names
    return [spans_from_tags(t) for t in tags]
