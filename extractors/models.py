"""Khabar's models: where they live, what is installed, fetching Stanza's, and training our NER.

Two kinds of model are used by Khabar:

* **Khabar's own NER model** (``SHIPPED_NER_DIR``): a Stanza NER tagger trained
  on ANERcorp and AQMAR with word vectors trained on 10M words of Arabic news
  (``CORPORA`` names each corpus and its licence); it ships with the package and
  needs no download. ``train_ner`` reproduces it.
* **Stanza's official Arabic models** (tokenize, mwt, pos, lemma, depparse, ner)
  for ``--extractor stanza``: fetched once by ``download_models`` into a model
  dir (``--model-dir``, else ``$KHABAR_MODELS_DIR``, else
  ``$STANZA_RESOURCES_DIR``, else ``~/.cache/khabar/stanza``), never at run time.

Data preparation is pure and testable without torch:

>>> sents = parse_bio(["بوتين B-PERS", "في O", "موسكو B-LOC", "", "قال O"])
>>> sents[0]
[('بوتين', 'B-PER'), ('في', 'O'), ('موسكو', 'B-LOC')]
>>> entity_f1([["B-PER", "O", "B-LOC"]], [["B-PER", "O", "B-ORG"]])["f1"]
0.5
"""

from __future__ import annotations

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

from .errors import InputError, ModelError
from .normalize import normalize

__all__ = [
    "propagate_labels",
    "SHIPPED_NER_DIR",
    "NER_MODEL_FILE",
    "NER_VECTORS_FILE",
    "NER_META_FILE",
    "NER_CHARLM_FILES",
    "STANZA_PROCESSORS",
    "NerData",
    "default_model_dir",
    "model_status",
    "official_models_missing",
    "download_models",
    "parse_bio",
    "read_bio",
    "fix_bio",
    "split_long",
    "model_form",
    "entity_spans",
    "entity_f1",
    "prepare_ner_data",
    "CORPORA",
    "DEFAULT_CORPORA",
    "check_corpora",
    "corpus_licences",
    "news_texts",
    "news_sentences",
    "train_word_vectors",
    "train_ner_model",
    "evaluate_ner",
    "use_one_thread",
]

SHIPPED_NER_DIR = Path(__file__).resolve().parent / "models" / "ner"
"""Khabar's own NER model, shipped as package data."""
NER_MODEL_FILE = "ar_khabar_nertagger.pt"
NER_VECTORS_FILE = "ar_khabar_vectors.pt"
NER_META_FILE = "meta.json"
NER_CHARLM_FILES = ("ar_khabar_forward_charlm.pt", "ar_khabar_backward_charlm.pt")
"""Optional character language models (forward, backward) the NER model was trained with."""

STANZA_PROCESSORS = "tokenize,mwt,pos,lemma,depparse,ner"
"""The official Arabic processors ``--extractor stanza`` runs."""

TAG_MAP = {"PERS": "PER", "PER": "PER", "LOC": "LOC", "ORG": "ORG", "MISC": "MISC", "MIS": "MISC"}
"""Corpus entity types -> Khabar's (ANERcorp says PERS, AQMAR says MIS)."""

_SENT_END = {".", "!", "?", "؟", "…"}
_CLAUSE_END = {"،", ",", "؛", ";", ":"}


def use_one_thread(threads: int = 1) -> None:
    """Limit torch to ``threads`` CPU threads: on 2-core machines one thread is many times faster.

    Respects ``OMP_NUM_THREADS`` when it is set.
    """
    import torch

    wanted = int(os.environ.get("OMP_NUM_THREADS") or threads)
    if torch.get_num_threads() != wanted:
        torch.set_num_threads(wanted)


# --- where models live --------------------------------------------------------
def default_model_dir(model_dir: str | os.PathLike | None = None) -> Path:
    """Where Stanza's official models live: the argument, else ``$KHABAR_MODELS_DIR``,
    else ``$STANZA_RESOURCES_DIR``, else ``~/.cache/khabar/stanza`` (under ``$XDG_CACHE_HOME``).

    Khabar keeps its own default rather than Stanza's, which changes with each Stanza version.

    >>> str(default_model_dir("/tmp/m"))
    '/tmp/m'
    """
    if model_dir:
        return Path(model_dir).expanduser()
    for var in ("KHABAR_MODELS_DIR", "STANZA_RESOURCES_DIR"):
        if os.environ.get(var):
            return Path(os.environ[var]).expanduser()
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache).expanduser() / "khabar" / "stanza"


def official_models_missing(model_dir: str | os.PathLike | None = None) -> list[str]:
    """The official Arabic processors not installed in ``model_dir`` (all when it is empty)."""
    root = default_model_dir(model_dir)
    wanted = STANZA_PROCESSORS.split(",")
    resources = _read_resources(root)
    if resources is None:
        return wanted
    return [p for p in wanted if not _processor_files(root, resources, p)]


def _read_resources(root: Path) -> dict | None:
    try:
        return json.loads((root / "resources.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _processor_files(root: Path, resources: dict, processor: str) -> list[Path]:
    """The installed model files of one Arabic processor ([] when none is)."""
    lang = resources.get("ar", {})
    package = lang.get("default_processors", {}).get(processor)
    folder = root / "ar" / processor
    if not folder.is_dir():
        return []
    files = sorted(folder.glob("*.pt"))
    if isinstance(package, str):
        named = [f for f in files if f.stem == package]
        return named or files
    return files


@dataclass
class ModelInfo:
    """One line of ``khabar models status``."""

    name: str
    path: Path
    installed: bool
    size: int = 0  # bytes
    detail: str = ""


def model_status(model_dir: str | os.PathLike | None = None) -> list[ModelInfo]:
    """What is installed: Khabar's shipped NER model, then each official Arabic processor."""
    out = []
    files = [SHIPPED_NER_DIR / NER_MODEL_FILE, SHIPPED_NER_DIR / NER_VECTORS_FILE]
    files += [SHIPPED_NER_DIR / f for f in NER_CHARLM_FILES if (SHIPPED_NER_DIR / f).is_file()]
    meta = _read_meta(SHIPPED_NER_DIR)
    detail = ""
    if meta:
        scores = meta.get("scores", {})
        detail = ", ".join(f"{k} F1 {v['f1']:.3f}" for k, v in scores.items())
    out.append(
        ModelInfo(
            "khabar-ner",
            SHIPPED_NER_DIR,
            all(f.is_file() for f in files),
            sum(f.stat().st_size for f in files if f.is_file()),
            detail,
        )
    )
    root = default_model_dir(model_dir)
    resources = _read_resources(root)
    for proc in STANZA_PROCESSORS.split(","):
        found = _processor_files(root, resources, proc) if resources is not None else []
        out.append(
            ModelInfo(
                f"stanza-ar-{proc}",
                root / "ar" / proc,
                bool(found),
                sum(f.stat().st_size for f in found),
                ", ".join(f.stem for f in found),
            )
        )
    return out


def _read_meta(folder: Path) -> dict:
    try:
        return json.loads((folder / NER_META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def download_models(model_dir: str | os.PathLike | None = None) -> Path:
    """Fetch Stanza's official Arabic models into ``model_dir``, all or nothing.

    Everything is downloaded into a temporary folder beside the target and
    moved into place only when complete, so a failed download (no network)
    leaves nothing behind. Raises ``ModelError`` in one sentence on failure.
    """
    try:
        import stanza
    except ImportError as err:
        raise ModelError(
            "downloading needs Stanza: pip install torch==2.13.0 'khabar[stanza]'"
        ) from err

    root = default_model_dir(model_dir)
    parent = root.parent
    existing = next(p for p in [parent, *parent.parents] if p.exists())
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".khabar-download-", dir=parent))
    try:
        if (root / "resources.json").is_file():  # keep what is there, add what is missing
            shutil.copytree(root, tmp, dirs_exist_ok=True)
        stanza.download(
            "ar", model_dir=str(tmp), processors=STANZA_PROCESSORS, logging_level="WARN"
        )
    except Exception as err:  # network, HTTP and file errors all surface from stanza.download
        shutil.rmtree(tmp, ignore_errors=True)
        _remove_empty(parent, until=existing)
        if isinstance(err, OSError):  # requests' ConnectionError is an OSError
            reason = "no network: the model hub is unreachable"
        else:
            reason = f"{err.__class__.__name__}: {' '.join(str(err).split())[:150]}"
        raise ModelError(
            f"cannot download the Stanza Arabic models ({reason}); nothing was written", path=root
        ) from err
    if root.exists():
        backup = root.with_name(root.name + ".old")
        shutil.rmtree(backup, ignore_errors=True)
        root.rename(backup)
        tmp.rename(root)
        shutil.rmtree(backup, ignore_errors=True)
    else:
        tmp.rename(root)
    return root


def _remove_empty(folder: Path, *, until: Path) -> None:
    """Remove ``folder`` and its parents below ``until`` while they are empty (we made them)."""
    for path in [folder, *folder.parents]:
        if path == until or until not in path.parents:
            return
        try:
            path.rmdir()
        except OSError:  # not empty: someone else's files
            return


# --- training data -------------------------------------------------------------
def parse_bio(lines: Iterable[str], *, path: object = "<data>") -> list[list[tuple[str, str]]]:
    """Sentences of (token, tag) from ``token TAG`` lines, a blank line between sentences.

    Tags are mapped to Khabar's types (PERS -> PER, MIS -> MISC) and BIO is
    repaired (an ``I-`` that starts an entity becomes ``B-``).
    """
    sents: list[list[tuple[str, str]]] = [[]]
    for number, line in enumerate(lines, 1):
        line = line.rstrip("\n")
        if not line.strip():
            if sents[-1]:
                sents.append([])
            continue
        token, sep, tag = line.strip().rpartition(" ")
        if not sep:
            token, sep, tag = line.strip().rpartition("\t")
        if not sep or not token:
            raise InputError("expected 'token TAG'", path=path, line=number, value=line)
        sents[-1].append((token.strip(), _map_tag(tag, path=path, line=number)))
    sents = [s for s in sents if s]
    return [list(zip([t for t, _ in s], fix_bio([g for _, g in s]), strict=True)) for s in sents]


def _map_tag(tag: str, *, path: object, line: int) -> str:
    if tag == "O":
        return "O"
    prefix, _, kind = tag.partition("-")
    if prefix not in {"B", "I"} or kind not in TAG_MAP:
        raise InputError(f"unknown NER tag {tag!r}", path=path, line=line, value=tag)
    return f"{prefix}-{TAG_MAP[kind]}"


def read_bio(path: str | os.PathLike) -> list[list[tuple[str, str]]]:
    """``parse_bio`` over a file."""
    try:
        with open(path, encoding="utf-8") as fin:
            return parse_bio(fin, path=path)
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read: {err.__class__.__name__}", path=path) from err


def fix_bio(tags: Sequence[str]) -> list[str]:
    """Repair BIO: an ``I-X`` after ``O`` or after another type starts an entity.

    >>> fix_bio(["O", "I-PER", "I-PER", "I-LOC"])
    ['O', 'B-PER', 'I-PER', 'B-LOC']
    """
    out = []
    for tag in tags:
        if tag.startswith("I-") and (not out or out[-1] == "O" or out[-1][2:] != tag[2:]):
            tag = "B-" + tag[2:]
        out.append(tag)
    return out


def split_long(sent: Sequence[tuple[str, str]], max_len: int = 40) -> list[list[tuple[str, str]]]:
    """Cut a sentence into pieces of at most ``max_len`` tokens, never inside an entity.

    Pieces end at a sentence end (. ! ؟) when one is near, else at a comma,
    else anywhere outside an entity: ANERcorp has 500-token "sentences" that
    make the CRF crawl.

    >>> s = [("أ", "O"), (".", "O"), ("ب", "B-PER"), ("ج", "I-PER"), ("د", "O")]
    >>> [[t for t, _ in p] for p in split_long(s, 3)]
    [['أ', '.'], ['ب', 'ج', 'د']]
    """
    pieces, rest = [], list(sent)
    while len(rest) > max_len:
        cut = _best_cut(rest, max_len)
        pieces.append(rest[:cut])
        rest = rest[cut:]
    if rest:
        pieces.append(rest)
    return pieces


def _best_cut(sent: Sequence[tuple[str, str]], max_len: int) -> int:
    """Where to cut: the number of tokens in the first piece."""
    lo = max(1, max_len // 2)
    allowed = [c for c in range(max_len, lo - 1, -1) if not sent[c][1].startswith("I-")]
    for ends in (_SENT_END, _CLAUSE_END):
        for c in allowed:
            if sent[c - 1][0] in ends:
                return c
    if allowed:
        return allowed[0]
    # an entity longer than max_len / 2 straddles the window: cut after it
    c = max_len
    while c < len(sent) and sent[c][1].startswith("I-"):
        c += 1
    return c


def model_form(token: str) -> str:
    """The form of a token the NER model sees: normalized (alef, ta marbuta, ya folded).

    Training and tagging both use it, so spelling variants share one vector.

    >>> model_form("الرئاسةُ")
    'الرئاسه'
    >>> model_form("ـ")
    'ـ'
    """
    return normalize(token).replace(" ", "") or token


def entity_spans(tags: Sequence[str]) -> set[tuple[int, int, str]]:
    """Entities of a BIO sequence as (first, last, type), read the way seqeval/conlleval read them.

    >>> sorted(entity_spans(["B-PER", "I-PER", "O", "I-LOC", "B-LOC"]))
    [(0, 1, 'PER'), (3, 3, 'LOC'), (4, 4, 'LOC')]
    """
    spans, start, kind = set(), None, None
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, t = tag.partition("-")
        if prefix in {"E", "S"}:  # BIOES from Stanza's scorer: read as BIO
            prefix = "I" if prefix == "E" else "B"
        begins = prefix == "B" or (prefix == "I" and t != kind)
        if start is not None and (tag == "O" or begins):
            spans.add((start, i - 1, kind))
            start, kind = None, None
        if begins:
            start, kind = i, t
    return spans


def propagate_labels(
    sents: Sequence[Sequence[str]],
    tags: Sequence[Sequence[str]],
    *,
    min_votes: int = 2,
    min_share: float = 0.5,
) -> list[list[str]]:
    """One label per name across a document: tag the occurrences the model left out.

    A name (its exact tokens) that the model tagged at least ``min_votes`` times,
    in at least ``min_share`` of its occurrences in ``sents``, gets its most
    frequent type wherever it stands untagged. Tags the model gave are never
    changed. Measured on the held-out sets: +0.4 F1 on ANERcorp, +2.2 on AQMAR.

    >>> sents = [["زار", "تويوتا"], ["باعت", "تويوتا"], ["قالت", "تويوتا"]]
    >>> propagate_labels(sents, [["O", "B-ORG"], ["O", "B-ORG"], ["O", "O"]])
    [['O', 'B-ORG'], ['O', 'B-ORG'], ['O', 'B-ORG']]
    >>> propagate_labels(sents, [["O", "B-ORG"], ["O", "O"], ["O", "O"]])[2]
    ['O', 'O']
    """
    from collections import Counter, defaultdict

    votes: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    for words, labels in zip(sents, tags, strict=True):
        for first, last, kind in entity_spans(labels):
            votes[tuple(words[first : last + 1])][kind] += 1
    by_first: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for name in sorted(votes, key=len, reverse=True):  # longest name first
        by_first[name[0]].append(name)

    def occurrences(words):
        for i, word in enumerate(words):
            for name in by_first.get(word, ()):
                if tuple(words[i : i + len(name)]) == name:
                    yield i, name

    seen = Counter(name for words in sents for _i, name in occurrences(words))
    out = []
    for words, labels in zip(sents, tags, strict=True):
        labels = list(labels)
        for i, name in occurrences(words):
            n = sum(votes[name].values())
            end = i + len(name)
            free = all(t == "O" for t in labels[i:end])
            if (
                n < min_votes
                or n < min_share * seen[name]
                or not free
                or (end < len(words) and labels[end].startswith("I-"))
            ):
                continue
            kind = votes[name].most_common(1)[0][0]
            labels[i:end] = [f"B-{kind}"] + [f"I-{kind}"] * (len(name) - 1)
        out.append(labels)
    return out


def entity_f1(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> dict:
    """Micro entity precision, recall and F1 (exact span and type), with per-type F1.

    >>> entity_f1([["B-PER", "I-PER", "O"]], [["B-PER", "O", "O"]])["f1"]
    0.0
    """
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold sentences but {len(pred)} predicted")
    counts: dict[str, list[int]] = {}  # type -> [true positives, gold, predicted]
    for g_tags, p_tags in zip(gold, pred, strict=True):
        g, p = entity_spans(g_tags), entity_spans(p_tags)
        for kind in {s[2] for s in g | p}:
            c = counts.setdefault(kind, [0, 0, 0])
            gk, pk = {s for s in g if s[2] == kind}, {s for s in p if s[2] == kind}
            c[0] += len(gk & pk)
            c[1] += len(gk)
            c[2] += len(pk)
    tp, n_gold, n_pred = (sum(c[i] for c in counts.values()) for i in range(3))
    result = _prf(tp, n_gold, n_pred)
    result["types"] = {k: _prf(*c)["f1"] for k, c in sorted(counts.items())}
    result["entities"] = n_gold
    return result


def _prf(tp: int, n_gold: int, n_pred: int) -> dict:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


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
    import itertools
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
    from .sentences import split_sentences

    for text in news_texts(path, lines=lines, field_name=field_name):
        for sent in split_sentences(text):
            yield [model_form(t.text) for t in sent.tokens]


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
        from .stanza_ner import NerTagger

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
    for c in texts_chosen:
        if vectors_file is None and not (text_root / c.file).is_file():
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
    vec_path = out / NER_VECTORS_FILE
    t0 = time.perf_counter()
    if vectors_file is not None:
        if Path(vectors_file).resolve() != vec_path.resolve():
            shutil.copyfile(vectors_file, vec_path)
        from stanza.models.common.pretrain import Pretrain

        vocab = len(Pretrain(str(vec_path)).vocab)
        say(f"word vectors: {vocab} words, from {vectors_file}")
    else:
        texts = []
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
        lm_texts = texts if vectors_file is None else words
        lm = train_charlm(lm_texts, out, epochs=charlm_epochs, seed=seed, threads=threads)
        lm_s = time.perf_counter() - t0
        say(f"character language models: {charlm_epochs} epochs each way, {lm_s / 60:.1f} min")
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
    from .stanza_ner import NerTagger

    tagger = NerTagger(model_dir=out, threads=threads)
    scores = {name: evaluate_ner(sents, tagger=tagger) for name, sents in data.tests.items()}
    for name, score in scores.items():
        types = " ".join(f"{k} {v:.3f}" for k, v in score["types"].items())
        say(f"{name}: F1 {score['f1']:.3f} (P {score['precision']:.3f}, "
            f"R {score['recall']:.3f}; {types})")  # fmt: skip
    meta = {
        "model": NER_MODEL_FILE,
        "vectors": NER_VECTORS_FILE,
        "tags": ["PER", "LOC", "ORG", "MISC"],
        "token_form": "extractors.models.model_form (normalized)",
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
    }
    if corpus is not None:
        meta["licence"]["corpora"][Path(corpus).name] = {"licence": "unknown (--corpus)"}
        meta["licence"]["weights"] = "unknown: see the licence of --corpus"
        meta["licence"]["commercial_use"] = None
    write_meta(out, meta)
    return meta
