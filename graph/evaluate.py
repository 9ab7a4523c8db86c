"""Score a graph against reference triples: precision, recall and F1 over documents.

The gold format (the one of ``../shared/gold``) is JSON::

    {"symmetric": ["negotiatesWith", ...],
     "documents": {"<article id>": {"required": [[S, P, O], ...], "optional": [...]}}}

with entities in a second file, ``entities.json`` beside it by default::

    {"US": {"type": "Country", "names": ["United States", "واشنطن", ...]}, ...}

A slot may list alternatives with ``|``; a predicate written ``!p`` is a denied
statement. Recall counts required triples found; precision counts the graph's
statements (in the gold's documents) that match a required or optional triple.
A graph entity matches a gold entity when one of its labels (``rdfs:label``,
``skos:prefLabel``, ``skos:altLabel``) equals one of the gold names after
normalization.

>>> norm_name("الرقـة")
'الرقه'
>>> norm_name("U.S. State-Department")
'us state department'
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from rdflib import RDF, RDFS
from rdflib.namespace import DCTERMS, SKOS

from extractors.errors import InputError
from extractors.normalize import name_key as norm_name  # the scorer's normalization

__all__ = [
    "Evaluation",
    "RelationScore",
    "evaluate",
    "load_gold",
    "norm_name",
    "format_evaluation",
    "format_relations",
]


def _local(iri) -> str:
    return re.split(r"[#/:]", str(iri))[-1]


@dataclass
class Finding:
    subject: str
    predicate: str
    object: str
    negated: bool
    evidence: str = ""


@dataclass
class DocumentScore:
    required: int = 0
    found: int = 0
    statements: int = 0
    correct: int = 0
    missed: list[list[str]] = field(default_factory=list)
    wrong: list[Finding] = field(default_factory=list)


@dataclass
class RelationScore:
    """Required triples found / required, and statements right / produced, for one relation."""

    found: int = 0
    required: int = 0
    right: int = 0
    produced: int = 0


@dataclass
class Evaluation:
    documents: dict[str, DocumentScore]
    relations: dict[str, RelationScore] = field(default_factory=dict)

    @property
    def precision(self) -> float:
        n = sum(d.statements for d in self.documents.values())
        return sum(d.correct for d in self.documents.values()) / n if n else 0.0

    @property
    def recall(self) -> float:
        n = sum(d.required for d in self.documents.values())
        return sum(d.found for d in self.documents.values()) / n if n else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_gold(path: str | Path, entities: str | Path | None = None) -> tuple[dict, dict]:
    """The gold triples and the gold entities' normalized names."""
    path = Path(path)
    ent_path = Path(entities) if entities else path.parent / "entities.json"
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
        ents = json.loads(ent_path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise InputError("no such gold file", path=err.filename) from err
    except json.JSONDecodeError as err:
        raise InputError(f"invalid JSON ({err.msg})", path=path, line=err.lineno) from err
    if not isinstance(gold, dict) or "documents" not in gold:
        raise InputError('expected an object with "documents"', path=path)
    names = {
        eid: {norm_name(n) for n in e.get("names", [])}
        for eid, e in ents.items()
        if not eid.startswith("_") and isinstance(e, dict)
    }
    return gold, names


def _statements(g: rdflib.Graph):
    labels: dict = defaultdict(set)
    for prop in (RDFS.label, SKOS.prefLabel, SKOS.altLabel):
        for node, label in g.subject_objects(prop):
            labels[node].add(norm_name(str(label)))
            bare = re.sub(r"\s*\([^)]*\)", "", str(label))
            if bare != str(label):
                labels[node].add(norm_name(bare))
    doc_ids = {s: str(o) for s, o in g.subject_objects(DCTERMS.identifier)}
    out: dict[str, list] = defaultdict(list)
    for st in set(g.subjects(RDF.subject, None)):
        s, p, o = g.value(st, RDF.subject), g.value(st, RDF.predicate), g.value(st, RDF.object)
        if s is None or p is None or o is None:
            continue
        negated = any(
            _local(pp) == "negated" and str(v).lower() in ("true", "1")
            for pp, v in g.predicate_objects(st)
        )
        evidence = next(
            (str(v) for pp, v in g.predicate_objects(st) if _local(pp) == "evidence"), ""
        )
        for pp, art in g.predicate_objects(st):
            if _local(pp) == "wasDerivedFrom" and art in doc_ids:
                out[doc_ids[art]].append((s, _local(p), o, negated, evidence))
    return out, labels


def evaluate(g: rdflib.Graph, gold: dict, names: dict) -> Evaluation:
    """Score graph ``g`` against ``gold`` (see the module docstring)."""
    stmts, labels = _statements(g)
    symmetric = set(gold.get("symmetric", []))

    def ids(node) -> set[str]:
        labs = labels.get(node, set()) | {norm_name(_local(node))}
        return {eid for eid, ns in names.items() if labs & ns}

    def matches(st, triple) -> bool:
        s, p, o, neg = st[:4]
        gs, gp, go = (set(triple[0].split("|")), triple[1].split("|"), set(triple[2].split("|")))
        sid, oid = ids(s), ids(o)
        for alt in gp:
            if alt.lstrip("!") != p or alt.startswith("!") != neg:
                continue
            if sid & gs and oid & go or p in symmetric and sid & go and oid & gs:
                return True
        return False

    docs = {}
    by_rel: dict[str, RelationScore] = defaultdict(RelationScore)
    for doc, spec in gold["documents"].items():
        seen = {st[:4]: st for st in stmts.get(doc, [])}  # one per (s, p, o, negated)
        req, opt = spec.get("required", []), spec.get("optional", [])
        found = [any(matches(st, t) for st in seen.values()) for t in req]
        score = DocumentScore(required=len(req), found=sum(found), statements=len(seen))
        score.missed = [t for t, f in zip(req, found, strict=True) if not f]
        for t, f in zip(req, found, strict=True):
            rel = by_rel[t[1].split("|")[0].lstrip("!")]  # under its first predicate
            rel.required += 1
            rel.found += f
        for st in seen.values():
            by_rel[st[1]].produced += 1
            if any(matches(st, t) for t in req + opt):
                score.correct += 1
                by_rel[st[1]].right += 1
            else:
                subj, obj = (sorted(labels.get(n, {_local(n)}))[0] for n in (st[0], st[2]))
                score.wrong.append(Finding(subj, st[1], obj, st[3], st[4]))
        docs[doc] = score
    return Evaluation(docs, dict(by_rel))


def format_relations(ev: Evaluation) -> list[str]:
    """The by-relation table: required found / required, statements right / produced."""
    lines = [f"{'relation':<18}{'recall':>10}{'precision':>12}"]
    order = sorted(ev.relations.items(), key=lambda kv: (-kv[1].required, -kv[1].produced, kv[0]))
    for name, r in order:
        lines.append(f"{name:<18}{r.found:>5}/{r.required:<4}{r.right:>7}/{r.produced:<4}")
    return lines


def format_evaluation(ev: Evaluation, *, verbose: bool = False, by_relation: bool = True) -> str:
    """The report ``khabar eval`` prints; its last line is ``F1 <value>``."""
    lines = []
    for doc, d in ev.documents.items():
        lines.append(f"{doc}: recall {d.found}/{d.required}, precision {d.correct}/{d.statements}")
        if verbose:
            lines += [f"   missed: {' '.join(t)}" for t in d.missed]
            for w in d.wrong:
                neg = " (negated)" if w.negated else ""
                lines.append(f"   wrong:  {w.subject} {w.predicate}{neg} {w.object}")
                if w.evidence:
                    lines.append(f"           «{' '.join(w.evidence.split())}»")
    if by_relation:
        lines += format_relations(ev)
    n_ok = sum(d.correct for d in ev.documents.values())
    n_sys = sum(d.statements for d in ev.documents.values())
    n_found = sum(d.found for d in ev.documents.values())
    n_req = sum(d.required for d in ev.documents.values())
    lines.append(
        f"precision {ev.precision:.3f} ({n_ok}/{n_sys})  recall {ev.recall:.3f} ({n_found}/{n_req})"
    )
    lines.append(f"F1 {ev.f1:.3f}")
    return "\n".join(lines) + "\n"
