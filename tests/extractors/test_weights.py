"""The NER model's weight files against the sha256 in its meta.json (``extractors.weights``)."""

from __future__ import annotations

import json
import shutil

import pytest

from extractors.errors import ModelError
from extractors.ner.resources import NER_MODEL_FILE, NER_VECTORS_FILE, SHIPPED_NER_DIR, read_meta
from extractors.ner.tagger import NerTagger
from extractors.weights import check_weights, sha256_file


@pytest.fixture
def model_copy(tmp_path):
    folder = tmp_path / "ner"
    shutil.copytree(SHIPPED_NER_DIR, folder)
    return folder


def test_the_shipped_model_records_what_it_is_made_of():
    meta = read_meta(SHIPPED_NER_DIR)
    assert set(meta["sha256"]) == {NER_MODEL_FILE, NER_VECTORS_FILE}
    for name, digest in meta["sha256"].items():
        assert sha256_file(SHIPPED_NER_DIR / name) == digest
    assert meta["licence"]["weights"] and meta["licence"]["corpora"]
    assert set(meta["settings"]["corpora"]) == set(meta["licence"]["corpora"])
    assert "unknown" in meta["libraries"]["at_training"]  # never invented after the fact
    assert meta["libraries"]["checked_with"]["stanza"]


def test_an_intact_copy_passes_the_check(model_copy):
    check_weights(model_copy, read_meta(model_copy)["sha256"])


@pytest.mark.parametrize("name", [NER_MODEL_FILE, NER_VECTORS_FILE])
def test_a_corrupt_byte_is_refused_in_one_line_before_loading(model_copy, name):
    path = model_copy / name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(ModelError) as err:
        NerTagger(model_dir=model_copy)
    message = str(err.value)
    assert message.startswith(f"{path}: corrupt or mismatched model file")
    assert f"khabar models train-ner -o {model_copy}" in message
    assert "\n" not in message


def test_weights_of_another_training_run_are_refused(model_copy):
    meta = json.loads((model_copy / "meta.json").read_text(encoding="utf-8"))
    meta["sha256"][NER_VECTORS_FILE] = "0" * 64  # the record of other vectors
    (model_copy / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ModelError, match="ar_khabar_vectors.pt: corrupt or mismatched"):
        NerTagger(model_dir=model_copy)


def test_a_model_without_a_record_loads_as_before(model_copy):
    pytest.importorskip("stanza")
    (model_copy / "meta.json").unlink()
    tagger = NerTagger(model_dir=model_copy)
    tags = tagger([["زار", "بوتين", "القاهرة"]])[0]
    assert len(tags) == 3
