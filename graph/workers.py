"""Extraction in worker processes: chunks of articles out, their triples back in input order.

Each worker makes its own extractor from an :class:`~graph.build.ExtractorSpec`
once, extracts a chunk of articles and sends back N-Triples lines, so the parent
only writes. Chunks are handed out as workers free up, a few ahead, and their
answers are taken in the order the articles came: the graph is the one a single
process builds, and memory holds a few chunks, not the corpus.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from itertools import islice

from extractors.errors import KhabarError
from extractors.types import Article

from .build import ArticleGraph, Extractor, ExtractorSpec, article_graph
from .store import nt_line

__all__ = ["extract_parallel", "chunks"]

_EXTRACTOR: Extractor | KhabarError | None = None
_MIN_CONFIDENCE = 0.0
_BLAS_LIMITS = None  # held for the worker's life: threadpoolctl restores on release
_WARNINGS: list[str] = []


def chunks(items: Iterable, size: int) -> Iterator[list]:
    """Consecutive lists of ``size`` items (the last may be shorter).

    >>> list(chunks(range(5), 2))
    [[0, 1], [2, 3], [4]]
    """
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _init(spec: ExtractorSpec, min_confidence: float, threads: int) -> None:
    global _EXTRACTOR, _MIN_CONFIDENCE, _BLAS_LIMITS
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[var] = str(threads)  # for BLAS libraries loaded from now on
    # numpy and its BLAS may be loaded already (by the modules the worker unpickled
    # this function with, or a forked parent's): the variables come too late for a
    # library already loaded; threadpoolctl limits it where it runs
    from threadpoolctl import threadpool_limits

    _BLAS_LIMITS = threadpool_limits(limits=threads, user_api="blas")
    _MIN_CONFIDENCE = min_confidence
    try:
        _EXTRACTOR = spec.create(on_warning=_WARNINGS.append)
    except KhabarError as err:
        _EXTRACTOR = err
    torch = sys.modules.get("torch")  # only when the extractor brought it in
    if torch is not None:
        torch.set_num_threads(threads)


def _extract_chunk(articles: list[Article]) -> tuple[list[str], list]:
    """Extract a chunk in a worker: (warnings not yet sent, one answer per article)."""
    if isinstance(_EXTRACTOR, KhabarError):
        raise _EXTRACTOR
    assert _EXTRACTOR is not None  # _init made it
    out: list = []
    for article in articles:
        try:
            stmts = _EXTRACTOR.extract(article)
        except KhabarError as err:
            out.append(str(err))
            continue
        graph = article_graph(article, stmts, _MIN_CONFIDENCE)
        graph.triples = [nt_line(t) for t in graph.triples]
        out.append(graph)
    sent = list(_WARNINGS)
    _WARNINGS.clear()
    return sent, out


def extract_parallel(
    articles: Iterable[Article],
    spec: ExtractorSpec,
    *,
    workers: int = 2,
    chunk_size: int = 8,
    min_confidence: float = 0.0,
    on_warning: Callable[[str], None] | None = None,
) -> Iterator[ArticleGraph | str]:
    """Yield, in input order, each article's graph (triples as N-Triples lines) or error text.

    An extractor that cannot be made (a missing model) raises its KhabarError.
    Warnings of the workers' extractors go to ``on_warning`` once each.
    """
    if workers < 1:
        raise KhabarError(f"--workers must be 1 or more, got {workers}")
    threads = max(1, (os.cpu_count() or 1) // workers)
    context = multiprocessing.get_context("spawn")  # no fork of a parent's threads
    warned: set[str] = set()
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_init,
        initargs=(spec, min_confidence, threads),
    ) as pool:
        pending: deque = deque()
        todo = chunks(articles, chunk_size)
        try:
            for chunk in islice(todo, workers * 3):
                pending.append(pool.submit(_extract_chunk, chunk))
            while pending:
                sent, outputs = pending.popleft().result()
                for chunk in islice(todo, 1):
                    pending.append(pool.submit(_extract_chunk, chunk))
                for message in sent:
                    if message not in warned:
                        warned.add(message)
                        if on_warning is not None:
                            on_warning(message)
                yield from outputs
        finally:
            for future in pending:
                future.cancel()
