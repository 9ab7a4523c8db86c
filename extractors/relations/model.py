"""The relation model: one logistic regression per relation over candidate features,
and optionally a neural encoder (``encoder.py``) whose probabilities are averaged with
the regression's.

Stored as a directory: ``weights.npz`` (a relations x features matrix, biases, and the
encoder's arrays if any) and ``meta.json`` (the feature vocabulary, the relations, the
decision threshold and calibration, the encoder's vocabularies and settings, how it
was trained and what it scored). Prediction needs only numpy; training (``train.py``)
uses scikit-learn, and torch for the encoder.

>>> m = RelationModel(["attacks", "supports"], ["b=قصف", "b=دعم"],
...                   np.array([[3.0, -2.0], [-2.0, 3.0]]), np.array([-1.0, -1.0]))
>>> probs = m.predict([["b=قصف"], ["b=دعم", "unknown"]])
>>> [m.relations[int(row.argmax())] for row in probs]
['attacks', 'supports']
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from ..errors import ModelError
from .encoder import Encoder, Window

__all__ = ["RelationModel", "default_relation_model_dir", "load_relation_model", "pooled"]

POOL_FLOOR = 0.02  # a candidate scored below it adds nothing to its pair's pooled score


def pooled(
    probs: np.ndarray, groups: Sequence[Hashable], floor: float = POOL_FLOOR
) -> tuple[np.ndarray, np.ndarray]:
    """The scores of each row's group, per relation: their noisy-or (the chance that at
    least one of the group's candidates states the relation, were they independent)
    and their maximum. A group is the candidates of one pair in one article: the
    article states a relation once and may repeat it in several sentences, none
    of them alone clear enough. Scores below ``floor`` are left out of the noisy-or.

    >>> probs = np.array([[0.3], [0.3], [0.6], [0.01]])
    >>> pool, top = pooled(probs, ["a", "a", "b", "b"])
    >>> pool.round(2).ravel().tolist(), top.ravel().tolist()
    ([0.51, 0.51, 0.6, 0.6], [0.3, 0.3, 0.6, 0.6])
    """
    ids: dict[Hashable, int] = {}
    rows = np.array([ids.setdefault(g, len(ids)) for g in groups], dtype=np.int64)
    shape = (len(ids), probs.shape[1])
    kept = np.where(probs >= floor, np.clip(probs, 0.0, 1.0 - 1e-7), 0.0).astype(np.float64)
    log_none = np.zeros(shape)
    np.add.at(log_none, rows, np.log1p(-kept))
    top = np.zeros(shape, dtype=probs.dtype)
    np.maximum.at(top, rows, probs)
    pool = np.maximum(1.0 - np.exp(log_none), top)
    return pool[rows].astype(probs.dtype), top[rows]


def default_relation_model_dir() -> Path:
    """The model shipped with the package."""
    return Path(__file__).resolve().parent.parent / "models" / "relations"


@dataclass
class RelationModel:
    relations: list[str]
    features: list[str]
    weights: np.ndarray  # (relations, features)
    bias: np.ndarray  # (relations,)
    threshold: float = 0.5
    meta: dict = field(default_factory=dict)
    # score -> chance of being right, measured out of fold: (scores, chances) points
    calibration: tuple[list[float], list[float]] = ([0.0, 1.0], [0.0, 1.0])
    encoder: Encoder | None = None  # averaged with the regression when present
    # relation -> its own decision threshold (chosen out of fold); others use ``threshold``
    thresholds: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.index = {name: i for i, name in enumerate(self.features)}
        self._columns = np.ascontiguousarray(self.weights.T, dtype=np.float32)  # (features, rels)

    def predict(
        self, feature_lists: Sequence[Sequence[str]], windows: Sequence[Window] | None = None
    ) -> np.ndarray:
        """Probabilities, one row per candidate and one column per relation: the
        regression's, averaged with the encoder's when the model has one and the
        candidates' ``windows`` are given."""
        scores = np.tile(self.bias.astype(np.float32), (len(feature_lists), 1))
        for row, feats in enumerate(feature_lists):
            # in column order: the float32 sum is then the same in every process
            cols = sorted({self.index[f] for f in feats if f in self.index})
            if cols:
                scores[row] += self._columns[cols].sum(axis=0)
        probs = 1.0 / (1.0 + np.exp(-scores))
        if self.encoder is not None and windows is not None:
            probs = (probs + self.encoder.predict(windows)) / 2
        return probs

    def pruned(self, min_weight: float) -> RelationModel:
        """The model without the features whose largest weight (any relation) is below
        ``min_weight`` in absolute value: each moves a score by less than that."""
        keep = np.abs(self.weights).max(axis=0) >= min_weight
        features = [f for f, k in zip(self.features, keep, strict=True) if k]
        return replace(self, features=features, weights=self.weights[:, keep])

    def cuts(self, threshold: float | None = None) -> np.ndarray:
        """Each relation's decision threshold: its own, else ``threshold`` (default: the
        model's). A ``threshold`` given explicitly applies to every relation.

        >>> m = RelationModel(["a", "b"], [], np.zeros((2, 0)), np.zeros(2), 0.3)
        >>> m.thresholds = {"b": 0.5}
        >>> m.cuts().tolist(), m.cuts(0.2).tolist()
        ([0.3, 0.5], [0.2, 0.2])
        """
        if threshold is not None:
            return np.full(len(self.relations), threshold)
        return np.array([self.thresholds.get(r, self.threshold) for r in self.relations])

    def confidence(self, prob: float) -> float:
        """The calibrated chance that a statement with model score ``prob`` is right."""
        xs, ys = self.calibration
        return float(np.interp(prob, xs, ys))

    def save(self, directory: str | os.PathLike) -> Path:
        """Write ``weights.npz`` and ``meta.json`` (with the weights' sha256)."""
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        tmp = out / "weights.tmp.npz"
        encoder = self.encoder.arrays() if self.encoder is not None else {}
        np.savez_compressed(
            tmp,
            # float16 halves the largest file of the package; scores move by < 1e-3
            weights=self.weights.astype(np.float16),
            bias=self.bias.astype(np.float32),
            **encoder,  # type: ignore[arg-type]  # numpy's stubs match **arrays to allow_pickle
        )
        tmp.replace(out / "weights.npz")
        meta = dict(self.meta)
        meta.update(
            relations=self.relations,
            threshold=self.threshold,
            thresholds=self.thresholds,
            calibration={"scores": self.calibration[0], "chances": self.calibration[1]},
            weights_sha256=_sha256(out / "weights.npz"),
            features=self.features,
        )
        if self.encoder is not None:
            meta["encoder"] = self.encoder.vocabularies()
        tmp_meta = out / "meta.tmp.json"
        # one line per key: the feature vocabulary (100,000 names) is one line, not 100,000
        lines = (f" {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in meta.items())
        tmp_meta.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")
        tmp_meta.replace(out / "meta.json")
        return out


def load_relation_model(directory: str | os.PathLike | None = None) -> RelationModel:
    """Read a model directory (the shipped one by default); a clear error if it is broken."""
    root = Path(directory) if directory else default_relation_model_dir()
    meta_path, weights_path = root / "meta.json", root / "weights.npz"
    if not meta_path.is_file() or not weights_path.is_file():
        raise ModelError(
            f"no relation model in {root}: train one with `khabar models train-relations`"
        )
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ModelError(f"{meta_path}: unreadable model metadata ({err})") from err
    expected = meta.get("weights_sha256")
    if expected and _sha256(weights_path) != expected:
        raise ModelError(f"{weights_path}: corrupt or mismatched (sha256 differs from meta.json)")
    encoder_meta = meta.pop("encoder", None)
    with np.load(weights_path) as data:
        weights, bias = data["weights"].astype(np.float32), data["bias"]
        try:
            encoder = Encoder.from_arrays(data, encoder_meta) if encoder_meta else None
        except KeyError as err:
            raise ModelError(f"{weights_path}: the encoder's {err} array is missing") from err
    features = meta.pop("features")
    relations = meta.pop("relations")
    if weights.shape != (len(relations), len(features)):
        raise ModelError(f"{weights_path}: weights do not fit meta.json's features")
    cal = meta.pop("calibration", {"scores": [0.0, 1.0], "chances": [0.0, 1.0]})
    threshold = meta.pop("threshold")
    thresholds = meta.pop("thresholds", {})
    if encoder is not None and encoder.out_b.shape[1] != len(relations):
        raise ModelError(f"{weights_path}: the encoder does not fit meta.json's relations")
    return RelationModel(
        relations,
        features,
        weights,
        bias,
        threshold,
        meta,
        (cal["scores"], cal["chances"]),
        encoder,
        thresholds,
    )


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
