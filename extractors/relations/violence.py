"""Does a sentence report violence? A sentence classifier that vets attacks and kills.

A relation model reads pairs of names; whether a sentence *reports* an attack is a
property of the whole sentence. «قتل 12 مدنيا في قصف على حلب» reports one although
no side is named; «أدان الوزير الهجمات» or «منذ بدء الحرب عام 2011» mention violence
in passing. This stage gives each sentence the probability that it reports an
attack or a killing, and

- drops the ``attacks``/``kills`` statements of sentences below ``keep`` (violence
  in passing: condemnation, history, plans);
- adds one ``unknown-perpetrator attacks <target>`` statement (``kh:GenericActor``
  sides where nobody is named) to sentences at or above ``add`` that have none.

The classifier is a logistic regression over hashed character 2–5-grams and word
1–2-grams of the normalized sentence (scikit-learn's ``HashingVectorizer``: no
vocabulary to ship), trained on the sentences of annotated articles: a sentence is
positive when it holds the clause of an ``attacks`` or ``kills`` triple (required or
optional, not denied). ``khabar models train-violence`` trains it;
``extractors/models/violence`` is the shipped one (``weights.npz``, ``meta.json``
with its sha256, thresholds and figures).

>>> from extractors.types import Statement
>>> s = Statement("isis", "attacks", "aleppo", "a1", 0, 10, "قصف حلب", 0.6)
>>> [st.predicate for st in vet([s], [(0, 10, 0.1)], keep=0.3, add=0.65, article_id="a1")]
[]
>>> [st.subject for st in vet([], [(0, 10, 0.9)], keep=0.3, add=0.65, article_id="a1")]
['unknown-perpetrator']
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import ModelError
from ..normalize import normalize
from ..sentences import split_sentences
from ..types import Article, Entity, Statement
from .annotated import repo_path

__all__ = [
    "SIDES",
    "ViolenceModel",
    "default_violence_model_dir",
    "load_violence_model",
    "sentence_form",
    "labelled_sentences",
    "read_sentence_labels",
    "sentence_scores",
    "train_violence",
    "vet",
    "vet_article",
]

VIOLENCE = ("attacks", "kills")
N_FEATURES = 2**18  # per analyzer: character n-grams and word n-grams

SIDES = ("unknown-perpetrator", "unnamed-target")
"""The gazetteer's ``kh:GenericActor`` entities of an attack nobody is named in."""


def default_violence_model_dir() -> Path:
    """The sentence model shipped with the package."""
    return Path(__file__).resolve().parent.parent / "models" / "violence"


def sentence_form(text: str) -> str:
    """The words of a sentence, normalized, one space apart: what the features read.

    >>> sentence_form("قُتل 12 مدنيا، في قصفٍ على حلب.")
    'قتل 12 مدنيا في قصف علي حلب'
    """
    return " ".join(re.findall(r"\w+", normalize(text)))


def _vectorizer():
    from sklearn.feature_extraction.text import HashingVectorizer
    from sklearn.pipeline import make_union

    def hashing(**kw):
        return HashingVectorizer(
            n_features=N_FEATURES, alternate_sign=False, norm="l2", binary=True, **kw
        )

    return make_union(hashing(analyzer="char_wb", ngram_range=(2, 5)), hashing(ngram_range=(1, 2)))


@dataclass
class ViolenceModel:
    """Weights over the hashed features; ``keep`` and ``add`` are the thresholds of :func:`vet`."""

    weights: np.ndarray  # (2 * N_FEATURES,)
    bias: float
    keep: float = 0.3
    add: float = 0.6
    meta: dict = field(default_factory=dict)

    def probabilities(self, sentences: Sequence[str]) -> np.ndarray:
        """The chance that each sentence reports an attack or a killing."""
        if not sentences:
            return np.zeros(0)
        x = _vectorizer().transform([sentence_form(s) for s in sentences])
        return 1.0 / (1.0 + np.exp(-(x @ self.weights + self.bias)))

    def save(self, out_dir: str | Path) -> None:
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        nz = np.flatnonzero(self.weights)
        weights = out_dir / "weights.npz"
        np.savez_compressed(
            weights,
            index=nz.astype(np.int32),
            value=self.weights[nz].astype(np.float32),
            bias=np.array([self.bias]),
        )
        meta = {**self.meta, "keep": self.keep, "add": self.add, "n_features": N_FEATURES}
        meta["sha256"] = hashlib.sha256(weights.read_bytes()).hexdigest()
        (out_dir / "meta.json").write_text(
            json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )


def load_violence_model(model_dir: str | os.PathLike | None = None) -> ViolenceModel:
    """Read a model directory written by :func:`train_violence`, checking its sha256."""
    model_dir = Path(model_dir) if model_dir else default_violence_model_dir()
    try:
        meta = json.loads((model_dir / "meta.json").read_text(encoding="utf-8"))
        raw = (model_dir / "weights.npz").read_bytes()
    except (OSError, ValueError) as err:
        raise ModelError(f"cannot read the violence model in {model_dir}: {err}") from err
    if hashlib.sha256(raw).hexdigest() != meta.get("sha256"):
        raise ModelError(f"{model_dir / 'weights.npz'} does not match its meta.json (sha256)")
    if meta.get("n_features") != N_FEATURES:
        raise ModelError(f"{model_dir} was trained with other features")
    arrays = np.load(model_dir / "weights.npz")
    weights = np.zeros(2 * N_FEATURES)
    weights[arrays["index"]] = arrays["value"]
    return ViolenceModel(weights, float(arrays["bias"][0]), meta["keep"], meta["add"], meta)


def vet(
    statements: Iterable[Statement],
    sentences: Sequence[tuple[int, int, float]],
    *,
    keep: float,
    add: float,
    article_id: str,
    text: str = "",
    sides: tuple[Entity, Entity] = (
        Entity(SIDES[0], "GenericActor"),
        Entity(SIDES[1], "GenericActor"),
    ),
) -> list[Statement]:
    """The statements of one article, vetted by its sentences' probabilities.

    ``sentences`` are ``(start, end, probability)`` spans into the article's text.
    Non-denied ``attacks``/``kills`` statements of a sentence below ``keep`` are
    dropped; a sentence at or above ``add`` with none gets an unknown perpetrator's
    attack on an unnamed target (``sides``), with the sentence's probability as
    confidence.
    """
    statements = list(statements)
    kept, violent_at = [], set()
    for st in statements:
        p = next((p for a, b, p in sentences if a <= st.start < b), None)
        if st.predicate in VIOLENCE and not st.negated:
            if p is not None and p < keep:
                continue
            violent_at.add(next((a for a, b, _ in sentences if a <= st.start < b), None))
        kept.append(st)
    for start, end, p in sentences:
        if p >= add and start not in violent_at:
            kept.append(
                Statement(
                    sides[0].id,
                    "attacks",
                    sides[1].id,
                    article_id,
                    start,
                    end,
                    text[start:end],
                    round(float(p), 3),
                    trigger="sentence",
                    extractor="violence",
                    entities=sides,
                )
            )
    return kept


def vet_article(
    article: Article,
    statements: Iterable[Statement],
    model: ViolenceModel,
    sides: tuple[Entity, Entity] | None = None,
) -> list[Statement]:
    """:func:`vet` over the sentences of ``article``; ``sides`` are the unnamed
    perpetrator's and target's entities (the gazetteer's, with their labels)."""
    sents = split_sentences(article.text)
    probs = model.probabilities([s.text for s in sents])
    spans = [(s.start, s.end, float(p)) for s, p in zip(sents, probs, strict=True)]
    options = {"sides": sides} if sides else {}
    return vet(
        statements,
        spans,
        keep=model.keep,
        add=model.add,
        article_id=article.id,
        text=article.text,
        **options,
    )


SENTENCE_LABELS = Path(__file__).parent / "annotations" / "assault-sentences.json"
"""Sentences labelled by hand (does it report an assault?), by article id:
``[start, end, label]`` spans into the article's text."""


def read_sentence_labels(path: str | Path = SENTENCE_LABELS) -> dict[str, dict]:
    """``{article id: {(start, end): label}}`` from a sentence-label file."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {
        aid: {(a, b): int(label) for a, b, label in spans}
        for aid, spans in data["articles"].items()
    }


def labelled_sentences(
    corpus_dir: Path, gold_dir: Path, labels: dict[str, dict] | None = None
) -> tuple[list[str], list[int]]:
    """Sentences of an annotated set and whether each reports an attack or a killing:
    the hand label where ``labels`` has one, else 1 where the sentence holds the
    clause of an ``attacks``/``kills`` triple (the gold names both sides, so a
    sentence whose sides are unnamed gets a hand label or none)."""
    labels = labels or {}
    gold = json.loads((gold_dir / "gold.json").read_text(encoding="utf-8"))["documents"]
    evidence = json.loads((gold_dir / "evidence.json").read_text(encoding="utf-8"))["documents"]
    texts, out = [], []
    for aid, spec in gold.items():
        text = (corpus_dir / f"{aid}.txt").read_text(encoding="utf-8")
        clauses = []
        for kind in ("required", "optional"):
            clauses_of_kind = evidence.get(aid, {}).get(kind, [])  # in the triples' order
            for triple, clause in zip(spec.get(kind, []), clauses_of_kind, strict=False):
                preds = triple[1].split("|")
                if clause and any(p in VIOLENCE for p in preds):
                    clauses.append(" ".join(clause.split()))
        for sent in split_sentences(text):
            flat = " ".join(sent.text.split())
            label = labels.get(aid, {}).get((sent.start, sent.end))
            if label is None:
                label = int(any(c in flat or flat in c or c[:30] in flat for c in clauses))
            texts.append(sent.text)
            out.append(label)
    return texts, out


def train_violence(
    sets: Sequence[tuple[str | Path, str | Path]],
    out_dir: str | Path,
    *,
    c: float = 4.0,
    keep: float = 0.3,
    add: float = 0.6,
    sentence_labels: str | Path | None = SENTENCE_LABELS,
    described_as: Sequence[str] = (),
    log: Callable[[str], None] = lambda _line: None,
) -> ViolenceModel:
    """Train on the sentences of annotated sets (``(corpus_dir, gold_dir)`` pairs),
    with the hand labels of ``sentence_labels`` where they exist, and write the model
    to ``out_dir``."""
    from sklearn.linear_model import LogisticRegression

    hand = read_sentence_labels(sentence_labels) if sentence_labels else {}
    texts, labels = [], []
    for corpus_dir, gold_dir in sets:
        t, y = labelled_sentences(Path(corpus_dir), Path(gold_dir), hand)
        texts += t
        labels += y
    if not texts or len(set(labels)) < 2:
        raise ModelError("no sentences with and without violence to train on")
    log(f"{len(texts)} sentences, {sum(labels)} reporting attacks or killings")
    x = _vectorizer().transform([sentence_form(t) for t in texts])
    clf = LogisticRegression(C=c, class_weight="balanced", max_iter=3000).fit(x, labels)
    meta = {
        "trained_on": list(described_as),
        "sentences": len(texts),
        "positive": int(sum(labels)),
        "sentence_labels": repo_path(sentence_labels) if sentence_labels else None,
        "options": {"c": c},
    }
    model = ViolenceModel(
        clf.coef_[0].astype(np.float64), float(clf.intercept_[0]), keep, add, meta
    )
    model.save(out_dir)
    return model


def sentence_scores(
    extracted: Iterable[tuple[Article, Sequence[Statement]]], labels: dict[str, dict]
) -> dict[str, float]:
    """Precision, recall and F1 of "the sentence reports an assault" against hand
    ``labels`` (:func:`read_sentence_labels`): a sentence says yes when one of the
    article's non-denied ``attacks``/``kills`` statements starts in it."""
    tp = fp = fn = 0
    for article, statements in extracted:
        starts = [s.start for s in statements if s.predicate in VIOLENCE and not s.negated]
        for (start, end), label in labels.get(article.id, {}).items():
            said = any(start <= s < end for s in starts)
            tp += said and label
            fp += said and not label
            fn += label and not said
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}
