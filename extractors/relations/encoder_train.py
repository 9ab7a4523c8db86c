"""Training the PCNN encoder (``encoder.py``) with torch; imported only when training.

torch comes with the ``stanza`` extra. Each member is trained from its own seed
with Adam on a binary cross-entropy per relation (positives weighted), the word
vectors frozen; the weights are then copied out as numpy arrays, so that the
model runs without torch. ``available()`` says whether torch can be imported.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .encoder import MAX_DISTANCE, Encoder, Window

__all__ = ["SETTINGS", "available", "load_vectors", "vocabularies", "fit_encoder"]

SETTINGS = {
    "filters": 200,
    "tag_dim": 16,
    "trigger_dim": 16,
    "position_dim": 8,
    "dropout": 0.5,
    "learning_rate": 1e-3,
    "weight_decay": 1e-5,
    "batch": 64,
    "positive_weight": 3.0,
    "epochs": 8,  # out of fold: 8 epochs 0.527, 10 0.529, 12 0.530; dev 0.480, 0.481, 0.467
    "members": 2,  # the folds' networks kept in the shipped model (run time grows with them)
    "keep_top": 20000,
}


def available() -> bool:
    """Whether torch can be imported (the ``stanza`` extra)."""
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


def default_vectors() -> Path:
    """The NER model's word vectors (news-ar), shipped with the package."""
    return Path(__file__).resolve().parent.parent / "models" / "ner" / "ar_khabar_vectors.pt"


def load_vectors(path: str | Path | None = None) -> tuple[list[str], np.ndarray]:
    """The words (in the file's order: most frequent first) and their vectors."""
    import torch

    data = torch.load(path or default_vectors(), map_location="cpu", weights_only=False)
    unit2id = data["vocab"]["_unit2id"]
    words = [""] * len(unit2id)
    for word, i in unit2id.items():
        words[i] = word
    return words, data["emb"].numpy().astype(np.float32)


def vocabularies(
    windows: Sequence[Window], words: list[str], vectors: np.ndarray, keep_top: int
) -> tuple[list[str], np.ndarray, list[str], list[str]]:
    """The pruned word vocabulary (``<PAD>``, ``<UNK>``, the ``keep_top`` most frequent
    words of the vectors, every word of the windows the vectors know) with its vectors,
    and the tag and trigger vocabularies of the windows."""
    index = {w: i for i, w in enumerate(words)}
    seen = {x for w in windows for x in w.words}
    keep = [i for i, w in enumerate(words) if i < max(keep_top, 2) or w in seen]
    kept_words = ["<PAD>", "<UNK>"] + [words[i] for i in keep[2:]]
    emb = np.concatenate([np.zeros((2, vectors.shape[1]), np.float32), vectors[keep[2:]]])
    assert index.get("<PAD>", 0) == 0 and index.get("<UNK>", 1) == 1
    tags = ["<pad>", *sorted({t for w in windows for t in w.tags})]
    triggers = ["<pad>", *sorted({t for w in windows for t in w.triggers})]
    return kept_words, emb, tags, triggers


def fit_encoder(
    windows: Sequence[Window],
    labels: np.ndarray,
    vocab: tuple[list[str], np.ndarray, list[str], list[str]],
    seeds: Sequence[int],
    *,
    log=print,
    **settings,
) -> Encoder:
    """One member per seed, each trained on all ``windows`` (``labels``: windows x
    relations, 0/1), stacked into one ``Encoder``."""
    import torch

    opts = {**SETTINGS, **settings}
    words, emb, tags, triggers = vocab
    empty = dict.fromkeys(Encoder.ARRAYS[1:], np.zeros((0, 1, 1)))
    proto = Encoder(words, tags, triggers, emb, **empty, settings=opts)
    data = [proto.ids(w) for w in windows]
    y = torch.tensor(np.asarray(labels, dtype=np.float32))
    members = []
    torch.set_num_threads(max(1, min(2, torch.get_num_threads())))
    for seed in seeds:
        members.append(_train_member(data, y, emb, len(tags), len(triggers), seed, opts, log))
    stacked = {k: np.stack([m[k] for m in members]) for k in members[0]}
    return Encoder(
        words,
        tags,
        triggers,
        emb,
        stacked["tag_emb"],
        stacked["trigger_emb"],
        stacked["subject_pos"],
        stacked["object_pos"],
        stacked["conv_w"],
        stacked["conv_b"],
        stacked["out_w"],
        stacked["out_b"],
        settings={**opts, "seeds": list(seeds)},
    )


def stack(encoders: Sequence[Encoder]) -> Encoder:
    """Encoders with the same vocabularies as one (their members side by side)."""
    first = encoders[0]
    arrays = {k: np.concatenate([getattr(e, k) for e in encoders]) for k in Encoder.ARRAYS[1:]}
    seeds = [s for e in encoders for s in e.settings.get("seeds", [])]
    return Encoder(
        first.words,
        first.tags,
        first.triggers,
        first.word_emb,
        **arrays,
        settings={**first.settings, "seeds": seeds},
    )


def _network(emb: np.ndarray, n_tags: int, n_triggers: int, n_rel: int, opts: dict):
    import torch
    from torch import nn

    positions = 2 * MAX_DISTANCE + 2
    dim = emb.shape[1] + 2 * opts["tag_dim"] + 2 * opts["position_dim"]

    class PCNN(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.words = nn.Embedding.from_pretrained(torch.tensor(emb), freeze=True)
            self.tags = nn.Embedding(n_tags, opts["tag_dim"])
            self.triggers = nn.Embedding(n_triggers, opts["trigger_dim"])
            self.subject_pos = nn.Embedding(positions, opts["position_dim"])
            self.object_pos = nn.Embedding(positions, opts["position_dim"])
            self.conv = nn.Conv1d(dim, opts["filters"], 3, padding=1)
            self.drop = nn.Dropout(opts["dropout"])
            self.out = nn.Linear(3 * opts["filters"], n_rel)

        def forward(self, words, tags, triggers, ps, po, pieces):
            x = torch.cat(
                [
                    self.words(words),
                    self.tags(tags),
                    self.triggers(triggers),
                    self.subject_pos(ps),
                    self.object_pos(po),
                ],
                -1,
            )
            x = self.drop(x) * (words > 0).unsqueeze(-1)  # padding reads as zeros
            h = torch.tanh(self.conv(x.transpose(1, 2))).transpose(1, 2)
            pooled = []
            for piece in (1, 2, 3):
                inside = (pieces == piece).unsqueeze(-1)
                z = h.masked_fill(~inside, float("-inf")).max(1).values
                pooled.append(torch.where(torch.isfinite(z), z, torch.zeros_like(z)))
            return self.out(self.drop(torch.cat(pooled, -1)))

    return PCNN()


def _batches(data, order: list[int], size: int, rng: random.Random) -> list[list[int]]:
    """Batches of similar lengths (less padding), in a random order."""
    out = []
    group = size * 20
    for g in range(0, len(order), group):
        chunk = sorted(order[g : g + group], key=lambda i: len(data[i][0]))
        out += [chunk[i : i + size] for i in range(0, len(chunk), size)]
    rng.shuffle(out)
    return out


def _tensors(data, rows: list[int]):
    import torch

    width = max(len(data[i][0]) for i in rows)
    return [
        torch.tensor([data[i][j] + [0] * (width - len(data[i][j])) for i in rows]) for j in range(6)
    ]


def _train_member(data, y, emb, n_tags, n_triggers, seed, opts, log) -> dict[str, np.ndarray]:
    import torch
    from torch import nn

    torch.manual_seed(seed)
    rng = random.Random(seed)
    n_rel = y.shape[1]
    net = _network(emb, n_tags, n_triggers, n_rel, opts)
    params = [p for p in net.parameters() if p.requires_grad]
    optim = torch.optim.Adam(params, lr=opts["learning_rate"], weight_decay=opts["weight_decay"])
    loss_f = nn.BCEWithLogitsLoss(pos_weight=torch.full((n_rel,), opts["positive_weight"]))
    order = list(range(len(data)))
    for epoch in range(opts["epochs"]):
        net.train()
        rng.shuffle(order)
        total = 0.0
        for rows in _batches(data, order, opts["batch"], rng):
            loss = loss_f(net(*_tensors(data, rows)), y[rows])
            optim.zero_grad()
            loss.backward()
            optim.step()
            total += float(loss.detach()) * len(rows)
        log(f"encoder seed {seed} epoch {epoch + 1}: loss {total / len(data):.4f}")
    net.eval()
    return _numpy_state(net)


def _numpy_state(net) -> dict[str, np.ndarray]:
    """The network's trained arrays in ``Encoder``'s layout (one member)."""
    conv = net.conv.weight.detach().numpy()  # (filters, input, 3)
    return {
        "tag_emb": net.tags.weight.detach().numpy().copy(),
        "trigger_emb": net.triggers.weight.detach().numpy().copy(),
        "subject_pos": net.subject_pos.weight.detach().numpy().copy(),
        "object_pos": net.object_pos.weight.detach().numpy().copy(),
        # (3 * input, filters): the previous, own and next word side by side
        "conv_w": np.concatenate([conv[:, :, k].T for k in range(3)]).astype(np.float32),
        "conv_b": net.conv.bias.detach().numpy().copy(),
        "out_w": net.out.weight.detach().numpy().T.copy(),
        "out_b": net.out.bias.detach().numpy().copy(),
    }


def _load_state(net, arrays: dict[str, np.ndarray]) -> None:
    """The inverse of ``_numpy_state`` (tests compare the two implementations)."""
    import torch

    with torch.no_grad():
        net.tags.weight.copy_(torch.tensor(arrays["tag_emb"]))
        net.triggers.weight.copy_(torch.tensor(arrays["trigger_emb"]))
        net.subject_pos.weight.copy_(torch.tensor(arrays["subject_pos"]))
        net.object_pos.weight.copy_(torch.tensor(arrays["object_pos"]))
        w = arrays["conv_w"]
        dim = w.shape[0] // 3
        net.conv.weight.copy_(
            torch.tensor(np.stack([w[k * dim : (k + 1) * dim].T for k in range(3)], -1))
        )
        net.conv.bias.copy_(torch.tensor(arrays["conv_b"]))
        net.out.weight.copy_(torch.tensor(arrays["out_w"].T))
        net.out.bias.copy_(torch.tensor(arrays["out_b"]))
