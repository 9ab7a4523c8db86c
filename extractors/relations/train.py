"""Training the relation model from annotated articles (the ``../shared/gold`` format).

An annotated set is a folder of articles (``corpus/train/*.txt``) and a gold folder
with ``gold.json`` (required and optional triples per article), ``evidence.json``
(the clause behind each triple) and ``entities.json`` (every name of every entity).
Each candidate pair of mentions is labelled with the relations of the gold triples
whose two entities its mentions name and whose clause lies in its sentence.

The logistic regression is cross-validated over articles; with ``encoder=True`` (and
torch installed) a PCNN encoder is trained on the same folds, one member per fold,
the decision threshold and the calibration are chosen on the out-of-fold average of
the two, and the model's encoder is the folds' members together (``encoder.py``).
The shipped model is the regression alone: once the features name the pair's actors
(``features._identity``), averaging the encoder in lowered the out-of-fold F1 (0.575
-> 0.545 at one threshold) and dev's (0.502 -> 0.493).

``khabar models train-relations`` runs :func:`train_relations`.
"""

from __future__ import annotations

import json
import random
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import numpy as np

from ..articles import read_articles
from ..errors import InputError
from ..normalize import name_key
from . import defaults
from .candidates import candidates
from .encoder import Window, window
from .extractor import RelationExtractor
from .features import article_features
from .model import RelationModel, pooled

MIN_WEIGHT = 0.07
"""Features whose weights all stay below this are not shipped: pruning at 0.07 dropped
half the features, cut the model from 19.4 to 12.7 MB (the package's models stay within
60 MB) and moved dev F1 from 0.442 to 0.441 (one statement)."""

NEAR_TIE = 0.005
"""Out-of-fold F1 this close to the best counts as a tie; :func:`chosen_threshold`
then takes the lowest such threshold."""

__all__ = [
    "Example",
    "GoldSet",
    "read_gold",
    "examples_from",
    "fit",
    "pair_pooled",
    "predicted_triples",
    "cross_validate",
    "chosen_threshold",
    "calibrate",
    "relation_thresholds",
    "score",
    "train_relations",
]


@dataclass
class GoldSet:
    """One annotated set: triples, their clauses and the entities' names."""

    documents: dict[str, dict]  # id -> {"required": [...], "optional": [...]}
    evidence: dict[str, dict]  # id -> {"required": [clause, ...], "optional": [...]}
    names: dict[str, set[str]]  # gold entity id -> name keys
    symmetric: set[str]
    by_name: dict[str, set[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        by_name: dict[str, set[str]] = defaultdict(set)
        for eid, keys in self.names.items():
            for key in keys:
                by_name[key].add(eid)
        self.by_name = dict(by_name)

    def ids_of(self, labels: Iterable[str]) -> set[str]:
        """The gold entities any of these labels names."""
        out: set[str] = set()
        for label in labels:
            out |= self.by_name.get(name_key(label), set())
        return out


def read_gold(gold_dir: str | Path, *extra_entities: str | Path) -> GoldSet:
    """Read ``gold.json``, ``evidence.json`` and ``entities.json`` (+ shared entity files)."""
    root = Path(gold_dir)
    try:
        gold = json.loads((root / "gold.json").read_text(encoding="utf-8"))
        evidence_path = root / "evidence.json"
        evidence = (
            json.loads(evidence_path.read_text(encoding="utf-8")).get("documents", {})
            if evidence_path.is_file()
            else {}
        )
        names: dict[str, set[str]] = defaultdict(set)
        for path in [*map(Path, extra_entities), root / "entities.json"]:
            for eid, spec in json.loads(path.read_text(encoding="utf-8")).items():
                if not eid.startswith("_"):
                    names[eid] |= {name_key(n) for n in spec.get("names", [])}
    except (OSError, ValueError) as err:
        raise InputError(f"cannot read the annotated set: {err}", path=root) from err
    return GoldSet(gold["documents"], evidence, dict(names), set(gold.get("symmetric", [])))


@dataclass
class Example:
    doc: str
    sentence: int
    subject: str  # entity ids of the extractor
    object: str
    features: list[str]
    labels: set[str]  # relations the gold states for this pair in this sentence
    subject_gold: set[str] = field(default_factory=set)
    object_gold: set[str] = field(default_factory=set)
    window: Window | None = None  # what the encoder reads


def _parse(triple: Sequence[str]) -> tuple[set[str], list[str], set[str]]:
    s, p, o = triple
    return set(s.split("|")), [x.lstrip("!") for x in p.split("|")], set(o.split("|"))


def _evidence_sentences(clause: str, sentence_keys: list[str]) -> set[int]:
    """Sentences holding an evidence clause (or a long piece of it)."""
    key = name_key(clause)
    if not key:
        return set()
    hits = {i for i, s in enumerate(sentence_keys) if key in s}
    if hits:
        return hits
    head, tail = key[:30], key[-30:]
    return {i for i, s in enumerate(sentence_keys) if head in s or tail in s or (s and s in key)}


def examples_from(
    corpus_dir: str | Path, gold: GoldSet, extractor: RelationExtractor, *, windows: bool = True
) -> list[Example]:
    """Every candidate of every annotated article, with its features and gold labels
    (and with ``windows``, the window the encoder reads)."""
    out: list[Example] = []
    for article in read_articles([str(corpus_dir)]):
        spec = gold.documents.get(article.id)
        if spec is None:
            continue
        contexts, analysis = extractor.contexts(article)
        sentence_keys = [name_key(c.sentence.text) for c in contexts]
        triples = [(t, "required", n) for n, t in enumerate(spec.get("required", []))]
        triples += [(t, "optional", n) for n, t in enumerate(spec.get("optional", []))]
        clauses = gold.evidence.get(article.id, {})
        located = []
        for triple, kind, n in triples:
            pieces = clauses.get(kind, [])
            where = _evidence_sentences(pieces[n], sentence_keys) if n < len(pieces) else set()
            located.append((_parse(triple), where))

        def gold_ids(eid: str, mention_text: str, analysis=analysis) -> set[str]:
            ent = analysis.entity(eid, extractor.lexicon.gaz)
            labels = {mention_text}
            if ent is not None:
                labels |= {ent.label_ar, ent.label_en, *ent.alt_labels}
            labels |= analysis.doc.surface.get(eid, set())
            return gold.ids_of(x for x in labels if x)

        cands = [cand for ctx in contexts for cand in candidates(ctx)]
        for cand, features in zip(cands, article_features(cands), strict=True):
            ctx = cand.context
            sg = gold_ids(cand.subject.entity, cand.subject.text)
            og = gold_ids(cand.object.entity, cand.object.text)
            labels: set[str] = set()
            if sg and og:
                for (subjects, preds, objects), where in located:
                    if where and ctx.index not in where:
                        continue
                    if sg & subjects and og & objects:
                        labels.update(preds)
                    elif sg & objects and og & subjects:
                        labels.update(p for p in preds if p in gold.symmetric)
            out.append(
                Example(
                    article.id,
                    ctx.index,
                    cand.subject.entity,
                    cand.object.entity,
                    features,
                    labels,
                    sg,
                    og,
                    window(cand) if windows else None,
                )
            )
    return out


def fit(
    examples: Sequence[Example],
    relations: Sequence[str],
    *,
    c: float = 0.5,
    min_count: int = 2,
    positive_weight: float = 3.0,
    threshold: float = 0.5,
) -> RelationModel:
    """One L2 logistic regression per relation (scikit-learn's liblinear)."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    counts: dict[str, int] = defaultdict(int)
    for ex in examples:
        for f in set(ex.features):
            counts[f] += 1
    vocab = sorted(f for f, n in counts.items() if n >= min_count)
    index = {f: i for i, f in enumerate(vocab)}
    rows, cols = [], []
    for r, ex in enumerate(examples):
        for col in {index[f] for f in ex.features if f in index}:
            rows.append(r)
            cols.append(col)
    x = csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(examples), len(vocab))
    )
    weights = np.zeros((len(relations), len(vocab)), dtype=np.float32)
    bias = np.full(len(relations), -10.0, dtype=np.float32)
    for k, rel in enumerate(relations):
        y = np.array([rel in ex.labels for ex in examples], dtype=np.int8)
        if y.sum() < 2:
            continue
        clf = LogisticRegression(
            C=c, solver="liblinear", max_iter=200, class_weight={0: 1.0, 1: positive_weight}
        )
        clf.fit(x, y)
        weights[k] = clf.coef_[0]
        bias[k] = clf.intercept_[0]
    keep = np.abs(weights).max(axis=0) > 1e-4  # features no relation uses
    vocab = [f for f, k in zip(vocab, keep, strict=True) if k]
    return RelationModel(list(relations), vocab, weights[:, keep], bias, threshold)


def predicted_triples(
    relations: Sequence[str],
    probs: np.ndarray,
    examples: Sequence[Example],
    threshold: float | np.ndarray,
) -> dict[str, set[tuple[str, str, str]]]:
    """Per document, the (subject, relation, object) triples at or above ``threshold``
    (one for all relations, or each relation's)."""
    out: dict[str, set] = defaultdict(set)
    for ex, row in zip(examples, probs, strict=True):
        for k in np.nonzero(row >= threshold)[0]:
            out[ex.doc].add((ex.subject, relations[int(k)], ex.object))
    return out


class _Judge:
    """Whether a predicted triple is right, as the scorer judges (non-negated triples)."""

    def __init__(self, examples: Sequence[Example], gold: GoldSet) -> None:
        self.gold = gold
        self.gids: dict[tuple[str, str], set[str]] = defaultdict(set)
        for ex in examples:
            self.gids[(ex.doc, ex.subject)] |= ex.subject_gold
            self.gids[(ex.doc, ex.object)] |= ex.object_gold
        self.triples = {
            doc: (
                [_parse(t) + ("!" in t[1],) for t in spec.get("required", [])],
                [_parse(t) + ("!" in t[1],) for t in spec.get("optional", [])],
            )
            for doc, spec in gold.documents.items()
        }

    def hit(self, doc: str, st: tuple[str, str, str], gt) -> bool:
        s, p, o = st
        subjects, preds, objects, neg = gt
        if neg or p not in preds:
            return False
        sg, og = self.gids[(doc, s)], self.gids[(doc, o)]
        forward = sg & subjects and og & objects
        return bool(forward or p in self.gold.symmetric and sg & objects and og & subjects)

    def right(self, doc: str, st: tuple[str, str, str]) -> bool:
        req, opt = self.triples.get(doc, ([], []))
        return any(self.hit(doc, st, gt) for gt in req + opt)


def score(
    predicted: dict[str, set[tuple[str, str, str]]],
    examples: Sequence[Example],
    gold: GoldSet,
    docs: Iterable[str],
) -> dict:
    """Precision, recall and F1 as the scorer counts them (non-negated triples)."""
    judge = _Judge(examples, gold)
    n_req = found = n_sys = right = 0
    for doc in docs:
        req, _opt = judge.triples.get(doc, ([], []))
        sys_ = predicted.get(doc, set())
        n_req += len(req)
        found += sum(any(judge.hit(doc, st, gt) for st in sys_) for gt in req)
        n_sys += len(sys_)
        right += sum(judge.right(doc, st) for st in sys_)
    p = right / n_sys if n_sys else 0.0
    r = found / n_req if n_req else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "precision": p,
        "recall": r,
        "f1": f1,
        "found": found,
        "required": n_req,
        "right": right,
        "statements": n_sys,
    }


def cross_validate(
    examples: Sequence[Example],
    gold: GoldSet,
    relations: Sequence[str],
    *,
    folds: int = 5,
    thresholds: Sequence[float] = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5),
    seed: int = 0,
    **fit_options,
) -> tuple[dict[float, dict], np.ndarray]:
    """Out-of-fold scores at each threshold (folds by article; each pair's scores pooled
    in its article), and the out-of-fold probabilities (one row per example, unpooled)."""
    fold_of = fold_of_articles(examples, gold, folds, seed)
    docs = sorted(fold_of)
    oof = np.zeros((len(examples), len(relations)), dtype=np.float32)
    for k in range(folds):
        train = [ex for ex in examples if fold_of[ex.doc] != k]
        rows = [n for n, ex in enumerate(examples) if fold_of[ex.doc] == k]
        model = fit(train, relations, **fit_options)
        oof[rows] = model.predict([examples[n].features for n in rows])
    pool = pair_pooled(oof, examples)
    scores = {
        t: score(predicted_triples(relations, pool, examples, t), examples, gold, docs)
        for t in thresholds
    }
    return scores, oof


def pair_pooled(probs: np.ndarray, examples: Sequence[Example]) -> np.ndarray:
    """Each example's scores pooled with its pair's in the same article, as the
    extractor decides (``model.pooled``)."""
    return pooled(probs, [(ex.doc, ex.subject, ex.object) for ex in examples])[0]


def chosen_threshold(cv: dict[float, dict], near_tie: float = NEAR_TIE) -> float:
    """The decision threshold: the lowest whose out-of-fold F1 is within ``near_tie``
    of the best. Scores run lower on text unlike the training articles (fewer known
    words and names), so among thresholds that cross-validation cannot tell apart the
    one that keeps more recall carries better to new text.

    >>> chosen_threshold({0.3: {"f1": 0.515}, 0.35: {"f1": 0.526}, 0.4: {"f1": 0.529}})
    0.35
    >>> chosen_threshold({0.3: {"f1": 0.50}, 0.4: {"f1": 0.52}})
    0.4
    """
    best = max(s["f1"] for s in cv.values())
    return min(t for t, s in cv.items() if s["f1"] >= best - near_tie)


def fold_of_articles(
    examples: Sequence[Example], gold: GoldSet, folds: int, seed: int = 0
) -> dict[str, int]:
    """The fold of each article (a shuffled round robin)."""
    docs = sorted({ex.doc for ex in examples} | set(gold.documents))
    random.Random(seed).shuffle(docs)
    return {doc: n % folds for n, doc in enumerate(docs)}


def encoder_folds(
    examples: Sequence[Example],
    relations: Sequence[str],
    fold_of: dict[str, int],
    folds: int,
    *,
    seed: int = 0,
    log=print,
    **settings,
):
    """The encoder trained on each fold's complement (seed ``seed + fold``): its
    out-of-fold probabilities, and the first ``members`` folds' networks as one encoder
    (each network costs as much at run time)."""
    from . import encoder_train

    opts = {**encoder_train.SETTINGS, **settings}
    words, vectors = encoder_train.load_vectors()
    windows = cast("list[Window]", [ex.window for ex in examples])  # examples_from sets them
    vocab = encoder_train.vocabularies(windows, words, vectors, opts["keep_top"])
    labels = np.array([[r in ex.labels for r in relations] for ex in examples], np.float32)
    oof = np.zeros((len(examples), len(relations)), dtype=np.float32)
    members = []
    for k in range(folds):
        train = [n for n, ex in enumerate(examples) if fold_of[ex.doc] != k]
        held = [n for n, ex in enumerate(examples) if fold_of[ex.doc] == k]
        enc = encoder_train.fit_encoder(
            [windows[n] for n in train], labels[train], vocab, [seed + k], log=log, **opts
        )
        oof[held] = enc.predict([windows[n] for n in held])
        members.append(enc)
        log(f"encoder fold {k + 1}/{folds} done")
    return oof, encoder_train.stack(members).subset(range(min(opts["members"], folds)))


def relation_thresholds(
    oof: np.ndarray,
    examples: Sequence[Example],
    gold: GoldSet,
    relations: Sequence[str],
    threshold: float,
    *,
    grid: Sequence[float] = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6),
    min_required: int = 30,
) -> dict[str, float]:
    """A threshold of its own for each relation the sets state at least ``min_required``
    times, chosen on out-of-fold scores: the one that maximizes the overall F1 with the
    other relations at theirs (two rounds of coordinate ascent from ``threshold``).
    Rarer relations keep ``threshold``: a few examples would only fit noise.

    The counts behind F1 add up over relations, so each relation is scored once per
    grid point and the ascent is arithmetic."""
    docs = sorted({ex.doc for ex in examples} | set(gold.documents))
    required = Counter(
        p.lstrip("!").split("|")[0]
        for spec in gold.documents.values()
        for _s, p, _o in spec.get("required", [])
    )
    n_req = sum(required.values())
    tuned = [k for k, r in enumerate(relations) if required[r] >= min_required]
    grid = sorted({*grid, threshold})
    counts: dict[tuple[int, float], tuple[int, int, int]] = {}
    for k in tuned:
        # only the rows the lowest threshold keeps can count: the rest would not change
        # a score, and leaving them out makes the grid quick
        rows = np.nonzero(oof[:, k] >= grid[0])[0]
        kept = [examples[int(i)] for i in rows]
        column = np.zeros((len(rows), oof.shape[1]), dtype=oof.dtype)
        column[:, k] = oof[rows, k]
        for t in grid:
            s = score(predicted_triples(relations, column, kept, t), kept, gold, docs)
            counts[(k, t)] = (s["found"], s["right"], s["statements"])
    # what the untuned relations add at the common threshold
    rest = oof.copy()
    rest[:, tuned] = 0.0
    base = score(predicted_triples(relations, rest, examples, threshold), examples, gold, docs)
    chosen = {k: threshold for k in tuned}

    def f1(choice: dict[int, float]) -> float:
        found, right, stmts = base["found"], base["right"], base["statements"]
        for k, t in choice.items():
            a, b, c = counts[(k, t)]
            found, right, stmts = found + a, right + b, stmts + c
        p, r = (right / stmts if stmts else 0.0), found / n_req if n_req else 0.0
        return 2 * p * r / (p + r) if p + r else 0.0

    for _round in range(2):
        for k in tuned:

            def rank(t: float, k: int = k) -> tuple[float, float]:
                return f1({**chosen, k: t}), -abs(t - threshold)

            chosen[k] = max(grid, key=rank)
    return {relations[k]: t for k, t in chosen.items() if t != threshold}


def calibrate(
    oof: np.ndarray,
    examples: Sequence[Example],
    gold: GoldSet,
    relations: Sequence[str],
    threshold: float | np.ndarray,
) -> tuple[list[float], list[float]]:
    """A monotone map from the model's score to the chance a statement is right
    (isotonic regression over out-of-fold predictions), as (scores, chances) points."""
    from sklearn.isotonic import IsotonicRegression

    judge = _Judge(examples, gold)
    xs, ys = [], []
    for ex, row in zip(examples, oof, strict=True):
        for k in np.nonzero(row >= threshold)[0]:
            xs.append(float(row[k]))
            ys.append(judge.right(ex.doc, (ex.subject, relations[int(k)], ex.object)))
    if len(set(ys)) < 2:
        return [0.0, 1.0], [0.0, 1.0]
    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(xs, ys)
    return [round(float(x), 4) for x in iso.X_thresholds_], [
        round(float(y), 4) for y in iso.y_thresholds_
    ]


def train_relations(
    sets: Sequence[tuple[str | Path, str | Path]],
    output_dir: str | Path,
    *,
    extra_entities: Sequence[str | Path] = (),
    ner: str = defaults.NER,
    folds: int = defaults.FOLDS,
    log=print,
    described_as: Sequence[str] = (),
    encoder: bool = defaults.ENCODER,
    seed: int = defaults.SEED,
    encoder_options: dict | None = None,
    per_relation: bool = defaults.PER_RELATION,
    min_weight: float = MIN_WEIGHT,
    **fit_options,
) -> RelationModel:
    """Examples from annotated sets ((corpus folder, gold folder) pairs), a threshold
    chosen by cross-validation over articles, the model fitted on all and saved.
    ``described_as`` names the sets in the model's meta.json (default: the gold folders).
    ``encoder``: train the PCNN encoder too and average it in (needs torch; without
    it, the regression alone, with a message; off by default, see above).
    ``per_relation``: give the frequent relations thresholds of their own, chosen out
    of fold on the pooled scores (:func:`relation_thresholds`; before pooling they
    raised the out-of-fold F1 but not dev's, with pooling both: regression alone
    0.515 -> 0.521 out of fold, dev 0.444 -> 0.452).
    ``min_weight``: the saved model drops features whose weights all stay below it
    (:meth:`RelationModel.pruned`; cross-validation scores the unpruned folds)."""
    started = time.time()
    ext = RelationExtractor(model=None, ner=ner)
    examples: list[Example] = []
    golds: list[GoldSet] = []
    if encoder:
        from .encoder_train import available

        if not available():
            log(
                "torch is not installed (pip install 'khabar[stanza]'): "
                "training the logistic regression alone, without the encoder"
            )
            encoder = False
    # entity ids are one namespace across the sets: a set may use another's ids
    entity_files = [*extra_entities, *(Path(g) / "entities.json" for _c, g in sets)]
    for corpus_dir, gold_dir in sets:
        gold = read_gold(gold_dir, *entity_files)
        golds.append(gold)
        examples += examples_from(corpus_dir, gold, ext, windows=encoder)
    gold = _merged(golds)
    relations = sorted(ext.lexicon.lex.relations)
    log(
        f"{len(examples)} candidates from {len(gold.documents)} articles, "
        f"{sum(bool(ex.labels) for ex in examples)} with a relation"
    )
    cv, oof = cross_validate(examples, gold, relations, folds=folds, seed=seed, **fit_options)
    cv_lr, lr_at = cv, chosen_threshold(cv)
    enc = None
    fold_of = fold_of_articles(examples, gold, folds, seed)
    if encoder:
        enc_oof, enc = encoder_folds(
            examples, relations, fold_of, folds, seed=seed, log=log, **(encoder_options or {})
        )
        oof = (oof + enc_oof) / 2
    oof = pair_pooled(oof, examples)  # what the extractor's thresholds apply to
    if encoder:
        cv = {
            t: score(predicted_triples(relations, oof, examples, t), examples, gold, fold_of)
            for t in cv_lr
        }
        log(f"regression alone: F1 {cv_lr[lr_at]['f1']:.3f} at threshold {lr_at:.2f}")
    best = chosen_threshold(cv)
    for t, s in sorted(cv.items()):
        log(f"threshold {t:.2f}: P {s['precision']:.3f} R {s['recall']:.3f} F1 {s['f1']:.3f}")
    own = relation_thresholds(oof, examples, gold, relations, best) if per_relation else {}
    full = fit(examples, relations, threshold=best, **fit_options)
    model = full.pruned(min_weight)
    model.encoder = enc
    model.thresholds = own
    cuts = model.cuts()
    cv_own = cv[best]
    if own:
        cv_own = score(predicted_triples(relations, oof, examples, cuts), examples, gold, fold_of)
        log(f"thresholds of their own: {own}: F1 {cv_own['f1']:.3f} out of fold")
    model.calibration = calibrate(oof, examples, gold, relations, cuts)
    model.meta = {
        "trained_on": list(described_as) or [str(g) for _c, g in sets],
        "articles": len(gold.documents),
        "candidates": len(examples),
        "ner": ner,
        "cross_validation": {"folds": folds, "threshold": best, **cv_own},
        "options": fit_options,
        "pruned": {"below": min_weight, "features": [len(full.features), len(model.features)]},
        "seed": seed,
        "seconds": round(time.time() - started, 1),
    }
    if own:
        model.meta["cross_validation_common_threshold"] = cv[best]
    if enc is not None:
        model.meta["cross_validation_regression_alone"] = {"threshold": lr_at, **cv_lr[lr_at]}
    model.save(output_dir)
    return model


def _merged(golds: Sequence[GoldSet]) -> GoldSet:
    """Several annotated sets as one (article ids must differ)."""
    if len(golds) == 1:
        return golds[0]
    names: dict[str, set[str]] = defaultdict(set)
    for g in golds:
        for eid, keys in g.names.items():
            names[eid] |= keys
    return GoldSet(
        {k: v for g in golds for k, v in g.documents.items()},
        {k: v for g in golds for k, v in g.evidence.items()},
        dict(names),
        set().union(*(g.symmetric for g in golds)),
    )
