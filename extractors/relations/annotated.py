"""Annotated articles kept in the repository without their text.

The news we annotate may not be copied into the project, but what an annotator says
about it may: the triples, the entities' names, and where in the article each triple
is stated. An *annotation set* in ``extractors/relations/annotations/NAME/`` holds

- ``gold.json`` and ``entities.json``, in the format of ``../shared/gold`` (see its
  ``GUIDE.md``);
- ``evidence.json`` with ``[start, end]`` character offsets into the article in place
  of the clause itself (``null`` where the clause was not found verbatim);
- ``sources.json``: the corpus file under ``../shared`` and, per article id, its line
  in that file and the sha256 of the article text.

:func:`unpack` reads the articles from ``../shared`` and writes an ordinary annotated
set (``corpus/*.txt`` plus a gold folder with the clauses), which is what
:func:`extractors.relations.train.train_relations` reads. :func:`pack` goes the other
way, from an annotator's folder to a set that can be committed.

News agencies' copy runs in several papers, so an article of ``news-ar.txt`` may be
another paper's print of a dev article. No set holds an article that shares a fifth
of its word 5-grams with a dev or seed article (:func:`shared_share`; checked by the
tests against ``../shared``): training on it would be training on dev.
"""

from __future__ import annotations

import hashlib
import json
import lzma
import re
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from ..errors import InputError

__all__ = [
    "ANNOTATIONS",
    "annotation_sets",
    "article_text",
    "held_out_copies",
    "NEAR_COPY",
    "pack",
    "repo_path",
    "shared_share",
    "shingles",
    "training_sets",
    "unpack",
]

ANNOTATIONS = Path(__file__).parent / "annotations"


def article_text(line: str) -> str:
    """An article of ``news-ar.txt`` (one line: «title . body») as a ``.txt`` article:
    the title, a blank line, the body.

    >>> article_text("عنوان الخبر . نص الخبر هنا.\\n")
    'عنوان الخبر\\n\\nنص الخبر هنا.\\n'
    """
    title, _, body = line.rstrip("\n").partition(" . ")
    return f"{title.strip()}\n\n{body.strip()}\n"


NEAR_COPY = 0.2  # sharing this share of word 5-grams: the same report in another print
_NOT_LETTER = re.compile("[^\u0621-\u064a]+")


def shingles(text: str, n: int = 5) -> set[str]:
    """The runs of ``n`` Arabic words of a text (everything else is a word break)."""
    words = _NOT_LETTER.sub(" ", text).split()
    return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}


def shared_share(a: set[str], b: set[str]) -> float:
    """The share of the smaller text's word 5-grams that the other text holds too.

    >>> story = "قال المتحدث باسم التحالف إن الطائرات قصفت مواقع الحوثيين في صنعاء أمس"
    >>> shared_share(shingles(story), shingles("وفي خبر آخر " + story + " وفق الوكالة"))
    1.0
    >>> shared_share(shingles(story), shingles("التقى الرئيس وزير الخارجية في الرياض اليوم"))
    0.0
    """
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def held_out_copies(texts: dict[str, str], shared: Path) -> list[tuple[str, str]]:
    """(article id, held-out file) for each of ``texts`` that shares :data:`NEAR_COPY`
    of its word 5-grams with a dev or seed article under ``shared/corpus``."""
    held_out = {
        p.name: shingles(p.read_text(encoding="utf-8"))
        for folder in ("dev", "seeds")
        for p in sorted((shared / "corpus" / folder).glob("*.txt"))
    }
    return [
        (aid, name)
        for aid, text in sorted(texts.items())
        for name, other in held_out.items()
        if shared_share(shingles(text), other) >= NEAR_COPY
    ]


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _lines(path: Path, wanted: set[int]) -> Iterator[tuple[int, str]]:
    """The wanted lines of a (possibly xz-compressed) one-article-per-line corpus."""
    opener = lzma.open if path.suffix == ".xz" else open
    last = max(wanted, default=-1)
    with opener(path, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if n in wanted:
                yield n, line
            if n >= last:
                return


def annotation_sets(root: Path = ANNOTATIONS) -> list[Path]:
    """The annotation sets shipped in the repository (folders with a ``sources.json``)."""
    return sorted(p.parent for p in root.glob("*/sources.json"))


def unpack(set_dir: str | Path, shared: str | Path, out_dir: str | Path) -> tuple[Path, Path]:
    """Write the articles of an annotation set (read from ``shared``) and its clauses;
    return the (corpus folder, gold folder) pair the trainer reads."""
    set_dir, shared, out_dir = Path(set_dir), Path(shared), Path(out_dir)
    try:
        sources = json.loads((set_dir / "sources.json").read_text(encoding="utf-8"))
        gold = json.loads((set_dir / "gold.json").read_text(encoding="utf-8"))
        spans = json.loads((set_dir / "evidence.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise InputError(f"cannot read the annotation set: {err}", path=set_dir) from err
    corpus_path = shared / sources["corpus"]
    if not corpus_path.is_file():
        raise InputError("the annotated articles' corpus is missing", path=corpus_path)
    by_line = {spec["line"]: aid for aid, spec in sources["articles"].items()}
    corpus_dir, gold_dir = out_dir / "corpus", out_dir / "gold"
    corpus_dir.mkdir(parents=True, exist_ok=True)
    gold_dir.mkdir(parents=True, exist_ok=True)
    clauses: dict[str, dict[str, list[str]]] = {}
    for n, line in _lines(corpus_path, set(by_line)):
        aid = by_line[n]
        text = article_text(line)
        if _sha(text) != sources["articles"][aid]["sha256"]:
            raise InputError(
                f"line {n + 1} is not the article {aid} was annotated on", path=corpus_path
            )
        (corpus_dir / f"{aid}.txt").write_text(text, encoding="utf-8")
        clauses[aid] = {
            kind: [text[a:b] if a is not None else "" for a, b in map(_span, offsets)]
            for kind, offsets in spans["documents"].get(aid, {}).items()
        }
    missing = set(sources["articles"]) - set(clauses)
    if missing:
        raise InputError(f"{len(missing)} annotated articles not found", path=corpus_path)
    (gold_dir / "gold.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    (gold_dir / "evidence.json").write_text(
        json.dumps({"documents": clauses}, ensure_ascii=False), encoding="utf-8"
    )
    (gold_dir / "entities.json").write_bytes((set_dir / "entities.json").read_bytes())
    return corpus_dir, gold_dir


@contextmanager
def training_sets(
    pairs: Sequence[tuple[Path, Path]],
    annotation_dirs: Sequence[Path],
    shared: str | Path,
) -> Iterator[tuple[list[tuple[Path, Path]], list[str]]]:
    """The ``(corpus folder, gold folder)`` pairs a trainer reads: ``pairs`` as they are
    and each annotation set unpacked into a temporary folder (removed on exit); with
    the names the model's ``meta.json`` records for them."""
    with tempfile.TemporaryDirectory(prefix="khabar-annotations-") as tmp:
        sets = list(pairs)
        for n, set_dir in enumerate(annotation_dirs):
            sets.append(unpack(set_dir, shared, Path(tmp) / f"{n}-{Path(set_dir).name}"))
        yield sets, [*(str(g) for _c, g in pairs), *map(repo_path, annotation_dirs)]


def repo_path(path: str | Path) -> str:
    """A shipped annotation file by its path in the repository, another as given."""
    path = Path(path)
    root = ANNOTATIONS.parents[2]
    try:
        return str(path.resolve().relative_to(root))
    except ValueError:
        return str(path)


def _span(offsets) -> tuple[int | None, int | None]:
    return (offsets[0], offsets[1]) if offsets else (None, None)


def pack(
    corpus_dir: str | Path,
    gold_dir: str | Path,
    shared: str | Path,
    corpus: str,
    out_dir: str | Path,
) -> dict[str, int]:
    """Turn an annotator's folder (articles, ``gold.json``, ``evidence.json`` with
    clauses, ``entities.json``) into an annotation set: clauses become offsets and
    each article is found, by its sha256, on a line of ``corpus`` (a one-article-per-line
    file, as a path under ``shared``). Returns counts of clauses located and not.
    Refuses an article that is a print of a held-out one (``shared/corpus/dev``,
    ``seeds``: :data:`NEAR_COPY`)."""
    corpus_dir, gold_dir, out_dir = Path(corpus_dir), Path(gold_dir), Path(out_dir)
    gold = json.loads((gold_dir / "gold.json").read_text(encoding="utf-8"))
    evidence = json.loads((gold_dir / "evidence.json").read_text(encoding="utf-8"))["documents"]
    texts = {
        aid: (corpus_dir / f"{aid}.txt").read_text(encoding="utf-8") for aid in gold["documents"]
    }
    copies = held_out_copies(texts, Path(shared))
    if copies:
        raise InputError(
            "prints of held-out articles, never to train on: "
            + ", ".join(f"{aid} ~ {name}" for aid, name in copies[:5]),
            path=corpus_dir,
        )
    wanted = {_sha(text): aid for aid, text in texts.items()}
    corpus_path = Path(shared) / corpus
    opener = lzma.open if corpus_path.suffix == ".xz" else open
    lines: dict[str, int] = {}
    with opener(corpus_path, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            aid = wanted.get(_sha(article_text(line)))
            if aid is not None:
                lines.setdefault(aid, n)
    if len(lines) < len(texts):
        lost = sorted(set(texts) - set(lines))
        raise InputError(
            f"articles not found in the corpus: {', '.join(lost[:5])}", path=corpus_path
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    sources: dict[str, dict[str, object]] = {}
    spans: dict[str, dict[str, list[list[int] | None]]] = {}
    counts = {"located": 0, "not found": 0}
    for aid in sorted(gold["documents"]):
        text = texts[aid]
        sources[aid] = {"line": lines[aid], "sha256": _sha(text)}
        spans[aid] = {}
        for kind, clauses in evidence.get(aid, {}).items():
            spans[aid][kind] = []
            for clause in clauses:
                start = text.find(clause.strip()) if clause.strip() else -1
                if start < 0:
                    spans[aid][kind].append(None)
                    counts["not found"] += 1
                else:
                    spans[aid][kind].append([start, start + len(clause.strip())])
                    counts["located"] += 1
    gold = {k: v for k, v in gold.items() if not k.startswith("_")}
    files = {
        "gold.json": gold,
        "evidence.json": {"documents": spans},
        "sources.json": {"corpus": corpus, "articles": sources},
        "entities.json": json.loads((gold_dir / "entities.json").read_text(encoding="utf-8")),
    }
    for name, data in files.items():
        (out_dir / name).write_text(
            json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    return counts
