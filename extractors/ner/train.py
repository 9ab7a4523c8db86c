"""Training and measuring Khabar's NER model: the corpora, word vectors, Stanza training, scores.

``train_ner`` reproduces the shipped model (``extractors/models/ner``) from the
labelled corpora (ANERcorp, AQMAR, WikiFANE) and news text for the word vectors;
``CORPORA`` names each corpus and its licence. ``evaluate_ner`` scores a model on
gold BIO sentences. Stanza, torch and gensim load only when training runs.

>>> check_corpora(["anercorp", "ant"])
['anercorp', 'ant']
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError, ModelError
from ..weights import library_versions, sha256_files
from .bio import entity_f1, model_form, read_bio, split_long
from .resources import (
    NER_CHARLM_FILES,
    NER_META_FILE,
    NER_MODEL_FILE,
    NER_VECTORS_FILE,
    use_one_thread,
)
from .tagger import NerTagger

__all__ = [
    "NerData",
    "Corpus",
    "CORPORA",
    "DEFAULT_CORPORA",
    "check_corpora",
    "corpus_licences",
    "prepare_ner_data",
    "news_texts",
    "news_sentences",
    "interleave",
    "train_word_vectors",
    "train_charlm",
    "train_ner_model",
    "evaluate_ner",
    "write_meta",
    "train_ner",
]


@dataclass
class NerData:
    """The splits Khabar trains and measures on (lists of sentences of (token, tag))."""

    train: list[list[tuple[str, str]]]
    dev: list[list[tuple[str, str]]]  # for checkpoint selection: a slice of ANERcorp
    tests: dict[str, list[list[tuple[str, str]]]] = field(default_factory=dict)  # never trained on


@dataclass(frozen=True)
class Corpus:
    """A corpus ``train_ner`` can train on: labelled NER data, or news text for the vectors."""

    name: str
    kind: str  # "labelled" (token TAG lines, under --data-dir) or "text" (under --text-dir)
    file: str
    licence: str
    commercial: bool  # may a company use weights trained on it?
    lines: tuple[int | None, int | None] = (None, None)  # a slice of a text file's articles
    misc: bool = True  # keep the MISC class (False: MISC -> O)
    about: str = ""


_NEWS_AR = "news-ar.txt.xz"
_NEWS_AR_SAUDI = 28774
"""news-ar.txt.xz holds SaudiNewsNet's 28,774 articles first, then the ANT corpus's 9,973."""

CORPORA = {
    c.name: c
    for c in (
        Corpus("anercorp", "labelled", "anercorp_train.txt", "CC BY-SA 4.0", True,
               about="ANERcorp newswire (Benajiba & Rosso 2008), CAMeL Lab train split"),
        Corpus("aqmar", "labelled", "aqmar_train.txt", "CC BY-SA 3.0", True,
               about="AQMAR Arabic Wikipedia NER (Mohit et al. 2012), train split"),
        Corpus("wikifane", "labelled", "wikifane_gold.txt", "CC BY-SA 3.0", True, misc=False,
               about="WikiFANE Gold (Alotaibi & Lee 2014), its MISC tags dropped (read as O)"),
        Corpus("wikifane-misc", "labelled", "wikifane_gold.txt", "CC BY-SA 3.0", True,
               about="WikiFANE Gold (Alotaibi & Lee 2014), MISC kept"),
        Corpus("wikifane-text", "text", "wikifane_gold.txt", "CC BY-SA 3.0", True,
               about="WikiFANE Gold's words (no tags) beside the news text of the vectors"),
        Corpus("syria", "text", "saudinews_syria.jsonl", "CC BY-NC-SA 4.0", False,
               about="1,027 SaudiNewsNet articles about Syria (2015)"),
        Corpus("saudinews", "text", _NEWS_AR, "CC BY-NC-SA 4.0", False, (0, _NEWS_AR_SAUDI),
               about="SaudiNewsNet 2015 (news-ar.txt.xz, its first 28,774 articles)"),
        Corpus("ant", "text", _NEWS_AR, "Apache-2.0", True, (_NEWS_AR_SAUDI, None),
               about="ANT corpus v1.1, JawharaFM 2015-17 (news-ar.txt.xz, its last 9,973)"),
    )
}  # fmt: skip
"""The corpora ``--corpora`` names: ANERcorp is always needed (its slices are dev and test)."""

DEFAULT_CORPORA = ("anercorp", "aqmar", "saudinews", "ant", "wikifane-text")
"""What the shipped model was trained on (WikiFANE's tags were measured: see the README)."""


def check_corpora(names: Iterable[str]) -> list[str]:
    """The corpus names, checked: known, ANERcorp among them, one WikiFANE at most.

    >>> check_corpora(["anercorp", "ant"])
    ['anercorp', 'ant']
    """
    names = list(dict.fromkeys(n.strip() for n in names if n.strip()))
    unknown = [n for n in names if n not in CORPORA]
    if unknown:
        raise InputError(f"unknown corpus {unknown[0]!r}; known: {', '.join(CORPORA)}")
    if "anercorp" not in names:
        raise InputError("the corpora must include anercorp: its slices are the dev and test sets")
    if len({"wikifane", "wikifane-misc"} & set(names)) > 1:
        raise InputError("choose wikifane (MISC dropped) or wikifane-misc, not both")
    return names


def corpus_licences(names: Iterable[str]) -> dict:
    """Each corpus's licence, and the licence the weights trained on them follow.

    >>> corpus_licences(["anercorp", "ant"])["weights"]
    'CC BY-SA 4.0'
    >>> corpus_licences(["anercorp", "saudinews"])["weights"]
    'CC BY-NC-SA 4.0'
    """
    chosen = [CORPORA[n] for n in names]
    restrictive = next((c.licence for c in chosen if not c.commercial), None)
    return {
        "corpora": {c.name: {"licence": c.licence, "about": c.about} for c in chosen},
        "weights": restrictive or "CC BY-SA 4.0",
        "commercial_use": restrictive is None,
        "code": "MIT",
    }


def _drop_misc(sents: list[list[tuple[str, str]]]) -> list[list[tuple[str, str]]]:
    return [[(w, "O" if t.endswith("-MISC") else t) for w, t in s] for s in sents]


def prepare_ner_data(
    data_dir: str | os.PathLike,
    *,
    corpora: Sequence[str] = ("anercorp", "aqmar"),
    holdout: float = 0.10,
    dev: float = 0.05,
    anercorp_copies: int = 1,
    max_len: int = 40,
    limit: int | None = None,
) -> NerData:
    """Read the labelled ``corpora`` (ANERcorp, AQMAR, WikiFANE) from ``data_dir`` and split them.

    ANERcorp's last ``holdout`` of sentences is the held-out test ("anercorp-heldout"),
    the ``dev`` before it selects checkpoints, the rest trains; AQMAR train and
    WikiFANE join training when named, and AQMAR dev (when present) is a second
    test, never trained on. Training and dev sentences are cut to ``max_len``
    tokens; test sentences are kept whole. ``limit`` keeps only the first
    sentences of each training file (smoke tests). ``anercorp_copies`` > 1
    repeats ANERcorp's training part, so that the news corpus outweighs the
    Wikipedia ones (whose MISC is a different, wider class).
    """
    root = Path(data_dir)
    aner = read_bio(root / "anercorp_train.txt")
    n_test = round(len(aner) * holdout)
    n_dev = max(1, round(len(aner) * dev))
    train_part = aner[: len(aner) - n_test - n_dev]
    dev_part = aner[len(aner) - n_test - n_dev : len(aner) - n_test]
    tests = {"anercorp-heldout": aner[len(aner) - n_test :]} if n_test else {}
    if limit is not None:
        train_part = train_part[:limit]
    train = [p for s in train_part for p in split_long(s, max_len)] * anercorp_copies
    for name in corpora:
        corpus = CORPORA[name]
        if name == "anercorp" or corpus.kind != "labelled" or not (root / corpus.file).is_file():
            continue
        extra = read_bio(root / corpus.file)
        extra = extra[:limit] if limit is not None else extra
        if not corpus.misc:
            extra = _drop_misc(extra)
        train += [p for s in extra for p in split_long(s, max_len)]
    if (root / "aqmar_dev.txt").is_file():
        tests["aqmar-dev"] = read_bio(root / "aqmar_dev.txt")
    return NerData(train, [p for s in dev_part for p in split_long(s, max_len)], tests)


def _write_stanza_json(sents: Iterable[Sequence[tuple[str, str]]], path: Path) -> None:
    doc = [[{"text": model_form(tok), "ner": tag} for tok, tag in sent] for sent in sents]
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


# --- word vectors ------------------------------------------------------------------
def _stable_hash(text: str) -> int:
    import hashlib

    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=4).digest(), "big")


def news_texts(
    path: str | os.PathLike,
    *,
    lines: tuple[int | None, int | None] = (None, None),
    field_name: str = "content",
) -> Iterator[str]:
    """The article texts of a news file: JSONL (a ``content`` field) or one article a line
    (plain or ``.xz``); ``lines`` slices the articles (non-empty lines) as ``[start:stop]``."""
    import lzma

    path = Path(path)
    opener = lzma.open if path.suffix == ".xz" else open
    jsonl = path.name.endswith((".jsonl", ".jsonl.xz"))
    with opener(path, "rt", encoding="utf-8") as fin:
        numbered = ((n, line) for n, line in enumerate(fin, 1) if line.strip())
        for number, line in itertools.islice(numbered, *lines):
            if not jsonl:
                yield line.strip()
                continue
            try:
                yield json.loads(line).get(field_name) or ""
            except (ValueError, AttributeError) as err:
                raise InputError("invalid JSON", path=path, line=number) from err


def news_sentences(
    path: str | os.PathLike,
    *,
    lines: tuple[int | None, int | None] = (None, None),
    field_name: str = "content",
) -> Iterator[list[str]]:
    """Tokenized sentences (in ``model_form``) of the articles of a news file (``news_texts``)."""
    from ..sentences import split_sentences

    for text in news_texts(path, lines=lines, field_name=field_name):
        for sent in split_sentences(text):
            yield [model_form(t.text) for t in sent.tokens]


def interleave(*sources: Iterable[list[str]]) -> Iterator[list[str]]:
    """One sentence of each source in turn, until all run out (a news sample from every part).

    >>> list(interleave([["a"], ["b"]], [["c"]]))
    [['a'], ['c'], ['b']]
    """
    iterators = [iter(s) for s in sources]
    while iterators:
        for it in list(iterators):
            sent = next(it, None)
            if sent is None:
                iterators.remove(it)
            else:
                yield sent


def train_word_vectors(
    sentences: Sequence[Sequence[str]],
    path: str | os.PathLike,
    *,
    dim: int = 100,
    min_count: int = 2,
    max_vocab: int = 60000,
    epochs: int = 20,
    keep: Iterable[str] = (),
    method: str = "word2vec",
    seed: int = 1,
) -> int:
    """Train word vectors and save them as a Stanza pretrain file; returns the vocabulary size.

    Skip-gram, window 5. The vocabulary is pruned to the ``max_vocab`` most
    frequent words seen at least ``min_count`` times. With ``method="fasttext"``
    the rarer words in ``keep`` (the NER training words) are added, with vectors
    built from their character n-grams (measured: word2vec did better here).
    """
    from gensim.models import FastText, Word2Vec
    from stanza.models.common.pretrain import Pretrain

    sentences = [list(s) for s in sentences if s]
    cls = {"fasttext": FastText, "word2vec": Word2Vec}[method]
    kwargs = {"min_n": 2, "max_n": 5} if method == "fasttext" else {}
    model = cls(
        sentences,
        vector_size=dim,
        window=5,
        min_count=min_count,
        sg=1,
        epochs=epochs,
        workers=1,
        seed=seed,
        max_final_vocab=max_vocab,
        hashfxn=_stable_hash,  # Python's str hash changes per process: vectors would too
        **kwargs,
    )
    wv = model.wv
    words = list(wv.index_to_key)
    known = set(words)
    if method == "fasttext":
        words += sorted({w for w in keep if w not in known})
    path = Path(path)
    with tempfile.TemporaryDirectory() as tmp:
        text = Path(tmp) / "vectors.txt"
        with open(text, "w", encoding="utf-8") as out:
            out.write(f"{len(words)} {dim}\n")
            for w in words:
                vec = wv[w]
                out.write(w.replace(" ", "\xa0") + " " + " ".join(f"{x:.5f}" for x in vec) + "\n")
        pretrain = Pretrain(str(path), str(text), max_vocab=-1, save_to_file=True)
        pretrain.load()
    return len(words)


def train_charlm(
    texts: Iterable[Sequence[str]],
    output_dir: str | os.PathLike,
    *,
    hidden_dim: int = 400,
    epochs: int = 3,
    seed: int = 1234,
    threads: int = 1,
) -> tuple[Path, Path]:
    """Train forward and backward character language models (``stanza.models.charlm``).

    ``texts`` are tokenized sentences in ``model_form``; 2% of them are held
    out for the trainer's own perplexity check. Returns the two model files.
    """
    import random

    from stanza.models import charlm

    use_one_thread(threads)
    lines = [" ".join(s) for s in texts if s]
    random.Random(seed).shuffle(lines)
    n_dev = max(1, len(lines) // 50)
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    files = []
    with tempfile.TemporaryDirectory() as tmp:
        train, dev = Path(tmp) / "train.txt", Path(tmp) / "dev.txt"
        train.write_text("\n".join(lines[n_dev:]) + "\n", encoding="utf-8")
        dev.write_text("\n".join(lines[:n_dev]) + "\n", encoding="utf-8")
        # the text is cut into batch_size streams: a tiny dev text needs few of them
        batch_size = max(1, min(50, sum(len(x) + 1 for x in lines[:n_dev]) // 250))
        for direction, name in zip(("forward", "backward"), NER_CHARLM_FILES, strict=True):
            charlm.main(
                [
                    "--train_file",
                    str(train),
                    "--eval_file",
                    str(dev),
                    "--shorthand",
                    "ar_khabar",
                    "--direction",
                    direction,
                    "--char_hidden_dim",
                    str(hidden_dim),
                    "--batch_size",
                    str(batch_size),
                    "--bptt_size",
                    "100",
                    "--epochs",
                    str(epochs),
                    "--cutoff",
                    "5",
                    "--seed",
                    str(seed),
                    "--save_dir",
                    str(out),
                    "--save_name",
                    name,
                    "--vocab_save_name",
                    f".{direction}_vocab.pt",  # under save_dir
                    "--no_checkpoint",
                    "--cpu",
                ]  # fmt: skip
            )
            (out / f".{direction}_vocab.pt").unlink(missing_ok=True)  # the model holds it too
            files.append(out / name)
    return files[0], files[1]


# --- training and measuring the NER model -------------------------------------------
def train_ner_model(
    data: NerData,
    vectors: str | os.PathLike,
    output_dir: str | os.PathLike,
    *,
    max_steps: int = 6000,
    eval_interval: int = 500,
    batch_size: int = 32,
    hidden_dim: int = 256,
    word_dropout: float = 0.25,
    char: bool = True,
    optim: str = "adam",
    lr: float = 0.001,
    charlm: tuple[Path, Path] | None = None,
    tune_unknown_words: bool = True,
    seed: int = 1234,
    threads: int = 1,
    extra_args: Sequence[str] = (),
    work_dir: str | os.PathLike | None = None,
) -> dict:
    """Train a Stanza NER tagger with ``stanza.models.ner_tagger``.

    Returns ``{"model": path, "best_step": n, "dev_f1": f}``: the checkpoint
    kept is the one best on ``data.dev`` (Stanza's own choice, read off its log).

    The model file and a copy of ``vectors`` are written to ``output_dir``
    under the names ``khabar tag`` loads (``NER_MODEL_FILE``, ``NER_VECTORS_FILE``).
    ``word_dropout`` is how often a training word is replaced by the unknown
    word: a third of the names in held-out text are unknown to the vectors, so
    the model must learn to read them from their characters and context
    (Stanza's default 0.01 -> 0.25: +1 F1 on held-out ANERcorp).
    ``tune_unknown_words=False`` learns no embedding of its own for a training
    word the vectors lack (it is read from its letters, as at tagging time):
    the model file then grows with the vectors' vocabulary, not the training data's.
    """
    from stanza.models import ner_tagger

    use_one_thread(threads)
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=work_dir) as tmp:
        tmp_path = Path(tmp)
        _write_stanza_json(data.train, tmp_path / "train.json")
        _write_stanza_json(data.dev, tmp_path / "dev.json")
        vec_out = out / NER_VECTORS_FILE
        if Path(vectors).resolve() != vec_out.resolve():
            shutil.copyfile(vectors, vec_out)
        args = [
            "--mode", "train",
            "--shorthand", "ar_khabar",
            "--train_file", str(tmp_path / "train.json"),
            "--eval_file", str(tmp_path / "dev.json"),
            "--wordvec_pretrain_file", str(vec_out),
            "--save_dir", str(out),
            "--save_name", NER_MODEL_FILE,
            "--max_steps", str(max_steps),
            "--eval_interval", str(eval_interval),
            "--max_steps_no_improve", str(max(eval_interval * 6, 3000)),
            "--batch_size", str(batch_size),
            "--hidden_dim", str(hidden_dim),
            "--word_dropout", str(word_dropout),
            "--optim", optim,
            "--lr", str(lr),
            "--seed", str(seed),
            "--cpu",
        ]  # fmt: skip
        if not char:
            args.append("--no_char")
        if not tune_unknown_words:
            args.append("--emb_finetune_known_only")
        if charlm is not None:
            args += ["--charlm", "--charlm_shorthand", "ar_khabar"]
            args += ["--charlm_forward_file", str(charlm[0])]
            args += ["--charlm_backward_file", str(charlm[1])]
        best = _BestCheckpoint()
        stanza_log = logging.getLogger("stanza")
        stanza_log.addHandler(best)
        try:
            ner_tagger.main([*args, *extra_args])
        finally:
            stanza_log.removeHandler(best)
    # stanza.Pipeline reads a resources.json from its dir: ours is empty, as nothing is downloaded
    (out / "resources.json").write_text("{}\n", encoding="utf-8")
    return {"model": out / NER_MODEL_FILE, "best_step": best.step, "dev_f1": best.f1}


class _BestCheckpoint(logging.Handler):
    """Reads Stanza's closing "Best dev F1 = 68.66, at iteration = 2250" line."""

    _LINE = re.compile(r"Best dev F1 = ([\d.]+), at iteration = (\d+)")

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.step: int | None = None
        self.f1: float | None = None

    def emit(self, record: logging.LogRecord) -> None:
        found = self._LINE.search(record.getMessage())
        if found:
            self.f1, self.step = round(float(found[1]) / 100, 4), int(found[2])


def evaluate_ner(
    sents: Sequence[Sequence[tuple[str, str]]],
    *,
    model_dir: str | os.PathLike | None = None,
    tagger: Callable[[list[list[str]]], list[list[str]]] | None = None,
) -> dict:
    """Entity F1 of the NER model in ``model_dir`` (default: the shipped one) on gold sentences."""
    if tagger is None:
        tagger = NerTagger(model_dir=model_dir)
    started = time.perf_counter()
    pred = tagger([[tok for tok, _ in s] for s in sents])
    seconds = time.perf_counter() - started
    result = entity_f1([[tag for _, tag in s] for s in sents], pred)
    result["tokens_per_s"] = round(sum(len(s) for s in sents) / max(seconds, 1e-9))
    return result


def write_meta(output_dir: str | os.PathLike, meta: dict) -> Path:
    """Write the model's training record (settings, data, scores) beside it."""
    path = Path(output_dir) / NER_META_FILE
    path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def _size_mb(paths: Iterable[Path]) -> float:
    return round(sum(p.stat().st_size for p in paths if p.is_file()) / 1e6, 1)


def _check_data_dir(data_dir: Path) -> None:
    if not (data_dir / "anercorp_train.txt").is_file():
        raise ModelError(
            "no anercorp_train.txt here: give --data-dir the folder with the NER data",
            path=data_dir,
        )


def train_ner(
    data_dir: str | os.PathLike,
    output_dir: str | os.PathLike,
    *,
    corpora: Sequence[str] = DEFAULT_CORPORA,
    text_dir: str | os.PathLike | None = None,
    corpus: str | os.PathLike | None = None,
    vectors_file: str | os.PathLike | None = None,
    max_steps: int = 3000,
    dim: int = 100,
    vectors: str = "word2vec",
    max_vocab: int = 60000,
    vector_epochs: int = 5,
    anercorp_copies: int = 3,
    word_dropout: float = 0.25,
    tune_unknown_words: bool = True,
    charlm: bool = False,
    charlm_epochs: int = 3,
    charlm_hidden: int = 400,
    charlm_sentences: int | None = None,
    holdout: float = 0.10,
    limit: int | None = None,
    optim: str = "adam",
    lr: float = 0.001,
    seed: int = 1234,
    threads: int = 1,
    on_progress: Callable[[str], None] | None = None,
) -> dict:
    """Reproduce Khabar's NER model: data, word vectors, Stanza training, then measurement.

    ``corpora`` names what to train on (``CORPORA``): the labelled ones are read
    from ``data_dir`` (``anercorp_train.txt`` is needed; ``aqmar_dev.txt``, when
    there, is a test), the news texts for the word vectors from ``text_dir``;
    ``corpus`` is one more news file (JSONL with a ``content`` field, or one
    article a line). ``vectors_file`` reuses vectors trained before instead.
    With ``charlm``, character language models (``charlm_hidden`` units each way)
    are trained first on the vectors' text, or, with ``charlm_sentences``, on that
    many news sentences (taken in turn from each news corpus) plus the labelled
    words; with ``vectors_file`` and no ``charlm_sentences``, on the labelled words only.
    Writes the model, its vectors, an empty ``resources.json`` and ``meta.json``
    (settings, corpora and their licences, F1 scores) to ``output_dir``; the
    data are read, never copied there. Returns the meta.
    """
    say = on_progress or (lambda _msg: None)
    data_dir = Path(data_dir)
    _check_data_dir(data_dir)
    corpora = check_corpora(corpora)
    texts_chosen = [
        CORPORA[n] for n in corpora if CORPORA[n].kind == "text" and n != "wikifane-text"
    ]
    text_root = Path(text_dir) if text_dir is not None else data_dir.parent.parent / "corpus"
    news_needed = vectors_file is None or (charlm and bool(charlm_sentences))
    for c in texts_chosen:
        if news_needed and not (text_root / c.file).is_file():
            raise ModelError(
                f"no {c.file} for the {c.name} corpus: give --text-dir", path=text_root
            )
    if corpus is not None and not Path(corpus).is_file():
        raise ModelError("no such corpus file for the word vectors", path=corpus)
    use_one_thread(threads)
    started = time.perf_counter()
    data = prepare_ner_data(
        data_dir, corpora=corpora, holdout=holdout, anercorp_copies=anercorp_copies, limit=limit
    )
    say(f"data: {len(data.train)} training pieces, {len(data.dev)} dev pieces, tests: "
        + ", ".join(f"{k} {len(v)}" for k, v in data.tests.items()))  # fmt: skip
    once = prepare_ner_data(data_dir, corpora=corpora, holdout=holdout, limit=limit)  # no copies
    words = [[model_form(tok) for tok, _ in s] for s in once.train + once.dev]
    if "wikifane-text" in corpora and not {"wikifane", "wikifane-misc"} & set(corpora):
        # WikiFANE's words join the vectors' text, in the order they would as training data
        with_wf = [n for n in corpora if CORPORA[n].kind == "labelled"] + ["wikifane"]
        more = prepare_ner_data(data_dir, corpora=with_wf, holdout=holdout, limit=limit)
        vector_words = [[model_form(tok) for tok, _ in s] for s in more.train + more.dev]
    else:
        vector_words = words
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    # a record of earlier weights in this folder would fail their check once they are replaced
    (out / NER_META_FILE).unlink(missing_ok=True)
    vec_path = out / NER_VECTORS_FILE
    t0 = time.perf_counter()
    if vectors_file is not None:
        if Path(vectors_file).resolve() != vec_path.resolve():
            shutil.copyfile(vectors_file, vec_path)
        from stanza.models.common.pretrain import Pretrain

        vocab = len(Pretrain(str(vec_path)).vocab)
        say(f"word vectors: {vocab} words, from {vectors_file}")
    else:
        texts: list[list[str]] = []
        for c in texts_chosen:
            texts += news_sentences(text_root / c.file, lines=c.lines)
        if corpus is not None:
            texts += news_sentences(corpus)
        n_news = sum(map(len, texts))
        texts += vector_words  # never the test sentences
        vocab = train_word_vectors(
            texts,
            vec_path,
            dim=dim,
            max_vocab=max_vocab,
            epochs=vector_epochs,
            keep={w for s in words for w in s},
            method=vectors,
            min_count=2 if len(texts) > 1000 else 1,
        )
        say(f"word vectors: {vocab} words x {dim} ({vectors}, {n_news} news tokens, "
            f"{time.perf_counter() - t0:.0f} s)")  # fmt: skip
    vec_s = time.perf_counter() - t0
    lm, lm_s = None, 0.0
    if charlm:
        t0 = time.perf_counter()
        if charlm_sentences:
            news = [news_sentences(text_root / c.file, lines=c.lines) for c in texts_chosen]
            news += [news_sentences(corpus)] if corpus is not None else []
            lm_texts = list(itertools.islice(interleave(*news), charlm_sentences)) + words
        else:
            lm_texts = texts if vectors_file is None else words
        lm_chars = sum(len(w) + 1 for s in lm_texts for w in s)
        lm = train_charlm(
            lm_texts,
            out,
            hidden_dim=charlm_hidden,
            epochs=charlm_epochs,
            seed=seed,
            threads=threads,
        )
        lm_s = time.perf_counter() - t0
        say(f"character language models: {len(lm_texts)} sentences ({lm_chars / 1e6:.1f}M "
            f"characters), {charlm_hidden} units, {charlm_epochs} epochs each way, "
            f"{lm_s / 60:.1f} min")  # fmt: skip
    if vectors_file is None:
        del texts
    t0 = time.perf_counter()
    trained = train_ner_model(
        data,
        vec_path,
        out,
        max_steps=max_steps,
        eval_interval=min(250, max(10, max_steps // 4)),
        word_dropout=word_dropout,
        tune_unknown_words=tune_unknown_words,
        optim=optim,
        lr=lr,
        charlm=lm,
        seed=seed,
        threads=threads,
    )
    ner_s = time.perf_counter() - t0
    say(
        f"NER training: {max_steps} steps at most, {ner_s / 60:.1f} min; "
        f"kept step {trained['best_step']} (dev F1 {trained['dev_f1']})"
    )
    tagger = NerTagger(model_dir=out, threads=threads)
    scores = {name: evaluate_ner(sents, tagger=tagger) for name, sents in data.tests.items()}
    for name, score in scores.items():
        types = " ".join(f"{k} {v:.3f}" for k, v in score["types"].items())
        say(f"{name}: F1 {score['f1']:.3f} (P {score['precision']:.3f}, "
            f"R {score['recall']:.3f}; {types})")  # fmt: skip
    meta: dict[str, Any] = {
        "model": NER_MODEL_FILE,
        "vectors": NER_VECTORS_FILE,
        "tags": ["PER", "LOC", "ORG", "MISC"],
        "token_form": "extractors.ner.bio.model_form (normalized)",
        "licence": corpus_licences(corpora),
        "settings": {
            "corpora": corpora,
            "max_steps": max_steps,
            "dim": dim,
            "vectors": vectors,
            "vocabulary": vocab,
            "vector_epochs": vector_epochs if vectors_file is None else None,
            "anercorp_copies": anercorp_copies,
            "word_dropout": word_dropout,
            "tune_unknown_words": tune_unknown_words,
            "best_step": trained["best_step"],
            "dev_f1": trained["dev_f1"],
            "charlm": charlm,
            "charlm_epochs": charlm_epochs if charlm else 0,
            "charlm_hidden": charlm_hidden if charlm else None,
            "charlm_sentences": charlm_sentences if charlm else None,
            "optim": optim,
            "lr": lr,
            "holdout": holdout,
            "max_len": 40,
            "seed": seed,
            "threads": threads,
            "limit": limit,
        },
        "data": {
            "train_pieces": len(data.train),
            "dev_pieces": len(data.dev),
            "tests": {k: len(v) for k, v in data.tests.items()},
            "corpus": Path(corpus).name if corpus else None,
            "vectors_file": Path(vectors_file).name if vectors_file else None,
        },
        "scores": scores,
        "seconds": {
            "vectors": round(vec_s),
            "charlm": round(lm_s),
            "ner": round(ner_s),
            "total": round(time.perf_counter() - started),
        },
        "size_mb": _size_mb([out / NER_MODEL_FILE, vec_path, *(out / f for f in NER_CHARLM_FILES)]),
        "sha256": sha256_files(out, [NER_MODEL_FILE, NER_VECTORS_FILE, *NER_CHARLM_FILES]),
        "libraries": library_versions(),
    }
    if corpus is not None:
        meta["licence"]["corpora"][Path(corpus).name] = {"licence": "unknown (--corpus)"}
        meta["licence"]["weights"] = "unknown: see the licence of --corpus"
        meta["licence"]["commercial_use"] = None
    write_meta(out, meta)
    return meta
