"""The relation model's neural encoder: the window it reads, numpy inference equal to
the torch network it was trained as, the model file with an encoder, and training."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from extractors.lexicon import LexiconExtractor
from extractors.relations.candidates import candidates, sentence_context
from extractors.relations.encoder import MAX_DISTANCE, Encoder, Window, window
from extractors.relations.extractor import RelationExtractor
from extractors.relations.model import RelationModel, load_relation_model
from extractors.triggers import load_triggers
from extractors.types import Article

ANNOTATED = Path(__file__).resolve().parents[1] / "data" / "annotated"


def a_window() -> Window:
    return Window(
        ["وقال", "ان", "روسيا", "قصفت", "مواقع", "داعش", "امس"],
        ["-", "-", "S:Country", "-", "-", "O:Organization", "-"],
        ["-", "-", "-", "attacks", "-", "-", "-"],
        (2, 2),
        (5, 5),
    )


def test_the_window_marks_the_pair_its_pieces_and_distances():
    analysis = LexiconExtractor(ner="off").analyse(Article("w", "قصفت روسيا مواقع داعش."))
    ctx = sentence_context(analysis, 0, load_triggers(), LexiconExtractor(ner="off").entity_type)
    cand = next(c for c in candidates(ctx) if c.subject.entity == "russia")
    w = window(cand)
    assert w.tags[w.subject[0]].startswith("S:") and w.tags[w.object[0]].startswith("O:")
    assert "attacks" in w.triggers[0]
    ps, po, pieces = a_window().positions()
    inside = MAX_DISTANCE + 1
    assert ps[2] == inside and po[5] == inside and ps[0] == inside - 2 and po[6] == inside + 1
    assert pieces == [1, 1, 1, 2, 2, 3, 3]


def test_members_are_averaged_and_a_window_reads_the_same_in_any_batch():
    enc = Encoder.random(
        ["<PAD>", "<UNK>", "روسيا", "قصفت"],
        ["S:Country"],
        ["attacks"],
        3,
        np.random.default_rng(1),
        members=3,
    )
    long = Window(["x"] * 30, ["-"] * 30, ["-"] * 30, (0, 0), (29, 29))
    alone = enc.predict([a_window()])
    assert np.allclose(enc.predict([a_window(), long])[0], alone, atol=1e-6)  # padding inert
    one, rest = enc.subset([0]), enc.subset([1, 2])
    assert (one.members, rest.members) == (1, 2)
    both = (one.predict([a_window()]) + 2 * rest.predict([a_window()])) / 3
    assert np.allclose(alone, both, atol=1e-6)


def test_a_model_with_an_encoder_saves_loads_and_averages(tmp_path):
    enc = Encoder.random(
        ["<PAD>", "<UNK>", "روسيا"], ["S:Country"], ["attacks"], 2, np.random.default_rng(2)
    )
    enc.settings = {"seeds": [0, 1]}
    model = RelationModel(
        ["attacks", "supports"],
        ["b=قصف"],
        np.array([[3.0], [-3.0]]),
        np.array([-1.0, -1.0]),
        encoder=enc,
    )
    model.save(tmp_path)
    again = load_relation_model(tmp_path)
    feats, windows = [["b=قصف"], []], [a_window(), a_window()]
    expected = (model.predict(feats) + enc.predict(windows)) / 2
    # word vectors are stored as float16
    assert np.allclose(again.predict(feats, windows), expected, atol=1e-2)
    assert np.allclose(again.predict(feats), model.predict(feats))  # no windows: LR alone
    meta = json.loads((tmp_path / "meta.json").read_text(encoding="utf-8"))
    assert meta["encoder"]["settings"]["seeds"] == [0, 1]
    assert again.encoder.members == 2


def test_numpy_inference_is_the_torch_network():
    pytest.importorskip("torch")
    import torch

    from extractors.relations import encoder_train as T

    words = ["<PAD>", "<UNK>", "وقال", "ان", "روسيا", "قصفت", "مواقع", "داعش", "امس"]
    vectors = np.random.default_rng(3).normal(size=(len(words), 6)).astype(np.float32)
    windows = [
        a_window(),
        Window(["روسيا", "داعش"], ["S:Country", "O:Organization"], ["-", "-"], (0, 0), (1, 1)),
    ]
    vocab = T.vocabularies(windows, words, vectors, keep_top=5)
    labels = np.array([[1, 0], [0, 1]], dtype=np.float32)
    opts = {"filters": 4, "tag_dim": 3, "trigger_dim": 3, "position_dim": 2, "epochs": 2}
    enc = T.fit_encoder(windows, labels, vocab, [7], log=lambda _l: None, **opts)
    net = T._network(vocab[1], len(vocab[2]), len(vocab[3]), 2, {**T.SETTINGS, **opts})
    state = T._numpy_state(net)  # a fresh network, then loaded with the trained arrays
    assert set(state) == set(Encoder.ARRAYS[1:])
    T._load_state(net, {k: getattr(enc, k)[0] for k in Encoder.ARRAYS[1:]})
    net.eval()
    with torch.no_grad():
        ids = [enc.ids(w) for w in windows]
        reference = torch.sigmoid(net(*T._tensors(ids, [0, 1]))).numpy()
    assert np.allclose(enc.predict(windows), reference, atol=1e-5)


def test_training_with_the_encoder_keeps_one_member_per_fold(tmp_path):
    pytest.importorskip("torch")
    from extractors.relations.train import train_relations

    lines: list[str] = []
    model = train_relations(
        [(ANNOTATED / "corpus", ANNOTATED / "gold")],
        tmp_path / "model",
        ner="off",
        folds=2,
        log=lines.append,
        min_count=1,
        encoder=True,
        encoder_options={"epochs": 2, "filters": 8, "members": 2},
    )
    assert model.encoder is not None and model.encoder.members == 2
    assert any(line.startswith("regression alone") for line in lines)
    loaded = load_relation_model(tmp_path / "model")
    assert loaded.encoder.settings["seeds"] == [0, 1]
    assert loaded.meta["cross_validation_regression_alone"]["f1"] >= 0.0
    ext = RelationExtractor(model=loaded, ner="off", threshold=0.3)
    assert ext.extract(Article("n", "قصفت بريطانيا مواقع داعش في العراق."))
