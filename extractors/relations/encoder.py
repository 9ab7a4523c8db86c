"""The neural encoder of a candidate: a piecewise convolutional network (PCNN), numpy only.

A candidate is read as a window of words (``WINDOW`` on each side of the pair, and
every word between), each word as the concatenation of

- its word vector (frozen, from the NER model's news-ar vectors),
- a tag: subject, object, another mention (each with its entity's type) or none,
- the relations of the trigger word it belongs to, if any,
- its distance to the subject and to the object (clipped at ``MAX_DISTANCE``).

One convolution (window 3) with tanh, then a max over each of three pieces of the
window (up to the first mention, between the two, from the second on), then one
logistic output per relation. The encoder holds several such networks (trained
from different seeds, or on different folds) and averages their probabilities;
the relation model averages those with its logistic regression's.

Word vectors at run time: the vectors are exported into the relation model's
``weights.npz`` as float16 (no torch needed to read them), with the vocabulary
pruned to the ``keep_top`` most frequent words of the vectors file plus every word
seen in the training windows; any other word reads as the unknown vector.
Training lives in ``encoder_train.py`` (torch); inference here needs only numpy.

>>> rng = np.random.default_rng(0)
>>> enc = Encoder.random(["<PAD>", "<UNK>", "روسيا", "قصفت", "داعش"],
...                      ["S:Country", "O:Organization"], ["attacks"], 2, rng)
>>> w = Window(["روسيا", "قصفت", "داعش"], ["S:Country", "-", "O:Organization"],
...            ["-", "attacks", "-"], (0, 0), (2, 2))
>>> enc.predict([w, w]).shape
(2, 2)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from .candidates import Candidate

__all__ = ["Window", "Encoder", "window", "WINDOW", "MAX_DISTANCE"]

WINDOW = 10  # words read on each side of the pair
MAX_DISTANCE = 40  # distances to a mention are clipped here
_NONE = "-"


@dataclass(frozen=True, slots=True)
class Window:
    """The words around and between a candidate's mentions, and what each one is."""

    words: list[str]
    tags: list[str]  # "S:<type>", "O:<type>", "M:<type>" or "-"
    triggers: list[str]  # the relations of the trigger covering the word ("a/b") or "-"
    subject: tuple[int, int]  # first and last index in the window
    object: tuple[int, int]

    def positions(self) -> tuple[list[int], list[int], list[int]]:
        """Distance ids to the subject and to the object (1 .. 2*MAX_DISTANCE+1; 0 is
        padding) and the piece (1, 2, 3) of each word."""
        n = len(self.words)
        ps = [_distance(k, *self.subject) for k in range(n)]
        po = [_distance(k, *self.object) for k in range(n)]
        a = min(self.subject[1], self.object[1])
        b = max(self.subject[0], self.object[0])
        pieces = [1 if k <= a else 2 if k < b else 3 for k in range(n)]
        return ps, po, pieces


def _distance(k: int, first: int, last: int) -> int:
    d = k - first if k < first else k - last if k > last else 0
    return max(-MAX_DISTANCE, min(MAX_DISTANCE, d)) + MAX_DISTANCE + 1


def _distances(k: np.ndarray, first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """``_distance`` of positions ``k`` (1, n) to spans ``first``..``last`` (b, 1)."""
    d = np.where(k < first, k - first, np.where(k > last, k - last, 0))
    return np.clip(d, -MAX_DISTANCE, MAX_DISTANCE) + MAX_DISTANCE + 1


def _piece_bounds(w: Window) -> tuple[tuple[int, int], ...]:
    """The three pieces of ``Window.positions`` as half-open ranges of positions."""
    a = min(w.subject[1], w.object[1])
    b = max(w.subject[0], w.object[0])
    second = max(a + 1, b)
    return (0, a + 1), (a + 1, second), (second, len(w.words))


def window(cand: Candidate, size: int = WINDOW) -> Window:
    """The window of a candidate."""
    ctx, s, o = cand.context, cand.subject, cand.object
    words = ctx.words
    lo = max(0, min(s.first, o.first) - size)
    hi = min(len(words), max(s.last, o.last) + size + 1)
    tags, triggers = [], []
    for k in range(lo, hi):
        if s.first <= k <= s.last:
            tag = "S:" + ctx.types.get(s.entity, "?")
        elif o.first <= k <= o.last:
            tag = "O:" + ctx.types.get(o.entity, "?")
        elif k in ctx.mention_at:
            tag = "M:" + ctx.types.get(ctx.mention_at[k].entity, "?")
        else:
            tag = _NONE
        tags.append(tag)
        hit = ctx.trigger_at.get(k)
        triggers.append("/".join(sorted(hit.relations)) if hit else _NONE)
    return Window(
        list(words[lo:hi]), tags, triggers, (s.first - lo, s.last - lo), (o.first - lo, o.last - lo)
    )


@dataclass
class Encoder:
    """Several PCNNs over shared frozen word vectors; ``predict`` averages them.

    Arrays with a leading ``members`` axis: ``tag_emb`` (m, tags, dt), ``trigger_emb``
    (m, triggers, dt), ``subject_pos``/``object_pos`` (m, positions, dp), ``conv_w``
    (m, 3 * input, filters) (the window's three words side by side), ``conv_b``
    (m, filters), ``out_w`` (m, 3 * filters, relations), ``out_b`` (m, relations).
    Index 0 of every vocabulary is padding; index 1 of ``words`` is the unknown word.
    """

    words: list[str]
    tags: list[str]
    triggers: list[str]
    word_emb: np.ndarray  # (words, dw), float16 on disk
    tag_emb: np.ndarray
    trigger_emb: np.ndarray
    subject_pos: np.ndarray
    object_pos: np.ndarray
    conv_w: np.ndarray
    conv_b: np.ndarray
    out_w: np.ndarray
    out_b: np.ndarray
    settings: dict = field(default_factory=dict)

    ARRAYS = (
        "word_emb",
        "tag_emb",
        "trigger_emb",
        "subject_pos",
        "object_pos",
        "conv_w",
        "conv_b",
        "out_w",
        "out_b",
    )

    def __post_init__(self) -> None:
        self.word_index = {w: i for i, w in enumerate(self.words)}
        self.tag_index = {t: i for i, t in enumerate(self.tags)}
        self.trigger_index = {t: i for i, t in enumerate(self.triggers)}
        self._words32 = np.asarray(self.word_emb, dtype=np.float32)
        self._stacked: dict[int, np.ndarray] = {}  # member -> its filters, see _stacked_filters

    @property
    def members(self) -> int:
        return int(self.conv_w.shape[0])

    def subset(self, members: Sequence[int]) -> Encoder:
        """The encoder of some of the members only."""
        rows = list(members)
        seeds = self.settings.get("seeds")
        settings = {**self.settings, "seeds": [seeds[i] for i in rows]} if seeds else self.settings
        arrays = {k: getattr(self, k)[rows] for k in self.ARRAYS[1:]}
        return replace(self, settings=settings, **arrays)

    def ids(self, w: Window) -> tuple[list[int], ...]:
        """The window as ids: words, tags, triggers, distances to subject and object, pieces."""
        words = [self.word_index.get(x, 1) for x in w.words]
        tags = [self.tag_index.get(x, 0) for x in w.tags]
        triggers = [self.trigger_index.get(x, 0) for x in w.triggers]
        return (words, tags, triggers, *w.positions())

    def predict(self, windows: Sequence[Window], batch: int = 64) -> np.ndarray:
        """Probabilities, one row per window and one column per relation (the members'
        mean)."""
        n_rel = self.out_b.shape[1]
        out = np.zeros((len(windows), n_rel), dtype=np.float32)
        # batches of windows of similar lengths: little padding to compute
        order = sorted(range(len(windows)), key=lambda i: len(windows[i].words))
        for start in range(0, len(order), batch):
            rows = order[start : start + batch]
            chunk = [windows[i] for i in rows]
            cols = self._batch_ids(chunk)
            mask = cols[0] > 0
            pieces = [_piece_bounds(w) for w in chunk]
            for m in range(self.members):
                out[rows] += self._member(m, cols, mask, pieces)
        return out / max(self.members, 1)

    def _batch_ids(self, windows: Sequence[Window]) -> list[np.ndarray]:
        """``ids`` of a batch of windows, padded with 0 to the longest: words, tags,
        triggers, distances to subject and to object (arrays (windows, longest))."""
        words = _padded([[self.word_index.get(x, 1) for x in w.words] for w in windows])
        tags = _padded([[self.tag_index.get(x, 0) for x in w.tags] for w in windows])
        triggers = _padded([[self.trigger_index.get(x, 0) for x in w.triggers] for w in windows])
        k = np.arange(words.shape[1])[None, :]
        inside = k < np.array([len(w.words) for w in windows])[:, None]
        subject = np.array([w.subject for w in windows]).reshape(-1, 2)
        object_ = np.array([w.object for w in windows]).reshape(-1, 2)
        ps = np.where(inside, _distances(k, subject[:, :1], subject[:, 1:]), 0)
        po = np.where(inside, _distances(k, object_[:, :1], object_[:, 1:]), 0)
        return [words, tags, triggers, ps, po]

    def _stacked_filters(self, m: int) -> np.ndarray:
        """Member ``m``'s filters as (input, 3 * filters): the slices for the previous
        word, the word itself and the next word side by side."""
        if m not in self._stacked:
            w = self.conv_w[m]
            d = w.shape[0] // 3
            self._stacked[m] = np.concatenate([w[:d], w[d : 2 * d], w[2 * d :]], axis=1)
        return self._stacked[m]

    def _member(
        self,
        m: int,
        cols: list[np.ndarray],
        mask: np.ndarray,
        pieces: list[tuple[tuple[int, int], ...]],
    ) -> np.ndarray:
        words, tags, triggers, ps, po = cols
        parts = [
            self._words32[words],
            self.tag_emb[m][tags],
            self.trigger_emb[m][triggers],
            self.subject_pos[m][ps],
            self.object_pos[m][po],
        ]
        b, n = words.shape
        d = sum(part.shape[-1] for part in parts)
        # the words side by side, a zero word before and after each window
        padded = np.zeros((b, n + 2, d), dtype=np.float32)
        col = 0
        for part in parts:
            padded[:, 1:-1, col : col + part.shape[-1]] = part
            col += part.shape[-1]
        padded[:, 1:-1] *= mask[..., None]  # padding reads as zeros, as in training
        # each word times the three slices of the filters (previous, own, next word)
        # in one 2-d product, then each position sums its neighbours' parts
        stacked = self._stacked_filters(m)  # (d, 3 * filters)
        f = stacked.shape[1] // 3
        y = (padded.reshape(b * (n + 2), d) @ stacked).reshape(b, n + 2, 3 * f)
        h = y[:, :-2, :f] + y[:, 1:-1, f : 2 * f]
        h += y[:, 2:, 2 * f :]
        h += self.conv_b[m]
        np.tanh(h, out=h)  # (windows, words, filters)
        # the max over each piece of each window; an empty piece reads as zeros
        z = np.zeros((b, 3, f), dtype=np.float32)
        for row, bounds in enumerate(pieces):
            for piece, (lo, hi) in enumerate(bounds):
                if lo < hi:
                    np.maximum.reduce(h[row, lo:hi], axis=0, out=z[row, piece])
        logits = z.reshape(b, 3 * f) @ self.out_w[m] + self.out_b[m]
        return 1.0 / (1.0 + np.exp(-logits))

    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays to store (word vectors as float16), named ``encoder_<name>``."""
        out = {f"encoder_{k}": np.asarray(getattr(self, k), dtype=np.float32) for k in self.ARRAYS}
        out["encoder_word_emb"] = out["encoder_word_emb"].astype(np.float16)
        return out

    @classmethod
    def from_arrays(cls, data, meta: dict) -> Encoder:
        """Read back what ``arrays`` stored, with the vocabularies from ``meta``."""
        return cls(
            meta["words"],
            meta["tags"],
            meta["triggers"],
            **{k: np.asarray(data[f"encoder_{k}"], dtype=np.float32) for k in cls.ARRAYS},
            settings=meta.get("settings", {}),
        )

    def vocabularies(self) -> dict:
        """What meta.json keeps of the encoder."""
        return {
            "words": self.words,
            "tags": self.tags,
            "triggers": self.triggers,
            "settings": self.settings,
        }

    @classmethod
    def random(
        cls,
        words: list[str],
        tags: list[str],
        triggers: list[str],
        relations: int,
        rng: np.random.Generator,
        *,
        members: int = 2,
        filters: int = 8,
    ) -> Encoder:
        """An untrained encoder (for tests)."""
        dw, dt, dp = 4, 3, 2
        dim = dw + 2 * dt + 2 * dp
        tags, triggers = ["<pad>", *tags], ["<pad>", *triggers]
        positions = 2 * MAX_DISTANCE + 2
        r = rng.normal
        return cls(
            words,
            tags,
            triggers,
            r(size=(len(words), dw)),
            r(size=(members, len(tags), dt)),
            r(size=(members, len(triggers), dt)),
            r(size=(members, positions, dp)),
            r(size=(members, positions, dp)),
            r(size=(members, 3 * dim, filters)),
            r(size=(members, filters)),
            r(size=(members, 3 * filters, relations)),
            r(size=(members, relations)),
        )


def _padded(rows: Sequence[Sequence[int]]) -> np.ndarray:
    width = max(len(r) for r in rows)
    out = np.zeros((len(rows), width), dtype=np.int64)
    for i, r in enumerate(rows):
        out[i, : len(r)] = r
    return out
