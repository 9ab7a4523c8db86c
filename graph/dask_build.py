"""Extraction on a Dask cluster: partitions of articles out, N-Quads files back into the store.

``khabar build --dask ADDRESS`` reads the articles on this machine, sends them
in partitions to the Dask workers (a few partitions per worker at a time, so
memory holds a window, not the corpus), and each worker writes its partition's
triples as one N-Quads file, ``part-NNNNNN.nq``, in the parts folder. This
machine bulk-loads every finished part into the Oxigraph store and deletes it.
The parts folder must be one the workers and this machine share (the default is
a folder beside the store; on a cluster, give a shared filesystem with
``--parts DIR``). Triples are set members and IRIs are deterministic, so the
order in which parts finish does not change the graph.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from extractors.errors import KhabarError
from extractors.types import Article

from .build import BuildResult, Extractor, ExtractorSpec, article_graph
from .store import OxigraphStore, nt_line
from .workers import chunks

__all__ = ["build_on_dask", "extract_partition"]

_EXTRACTORS: dict[ExtractorSpec, Extractor] = {}


def extract_partition(
    spec: ExtractorSpec, articles: list[Article], min_confidence: float, path: str
) -> dict:
    """On a Dask worker: extract ``articles`` and write their triples to ``path`` (N-Quads).

    The file is written under a temporary name and renamed, so a part is whole or absent.
    Returns what the driver counts: articles, statements, entity ids, errors, warnings.
    """
    warnings: list[str] = []
    if spec not in _EXTRACTORS:
        _EXTRACTORS[spec] = spec.create(on_warning=warnings.append)
    extractor = _EXTRACTORS[spec]
    done: dict[str, Any] = {
        "articles": 0,
        "statements": 0,
        "entity_ids": set(),
        "errors": [],
        "warnings": warnings,
    }
    tmp = f"{path}.tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as out:
        for article in articles:
            try:
                stmts = extractor.extract(article)
            except KhabarError as err:
                done["errors"].append(str(err))
                continue
            graph = article_graph(article, stmts, min_confidence)
            out.write("".join(dict.fromkeys(nt_line(t) for t in graph.triples)))
            done["articles"] += 1
            done["statements"] += graph.statements
            done["entity_ids"] |= graph.entity_ids
    os.replace(tmp, path)
    return done


def build_on_dask(
    articles: Iterable[Article],
    spec: ExtractorSpec,
    store: OxigraphStore,
    *,
    address,
    parts: str | Path | None = None,
    partition_size: int = 64,
    min_confidence: float = 0.0,
    on_error: Callable[[str], None] | None = None,
    on_warning: Callable[[str], None] | None = None,
    connect_timeout: float = 20.0,
) -> BuildResult:
    """Extract ``articles`` on the Dask cluster at ``address`` and load them into ``store``.

    ``address`` is a scheduler address (``tcp://host:8786``) or a ``distributed``
    cluster object such as ``LocalCluster``. ``parts`` is the shared folder for the
    partition files (default: a new folder beside the store, removed at the end).
    """
    try:
        from distributed import Client, as_completed
    except ImportError as err:
        raise KhabarError("--dask needs Dask: pip install 'khabar[dask]'") from err
    own_parts = parts is None
    parts = Path(parts or tempfile.mkdtemp(prefix=".khabar-parts-", dir=store.path.parent))
    parts.mkdir(parents=True, exist_ok=True)
    result = BuildResult(store)
    warned: set[str] = set()
    try:
        client = Client(address, timeout=connect_timeout)
    except OSError as err:
        raise KhabarError(f"cannot reach the Dask scheduler at {address}: {err}") from err
    try:
        window = 2 * max(1, len(client.scheduler_info().get("workers", {})))
        todo = enumerate(chunks(articles, partition_size))

        def submit(index: int, chunk: list[Article]):
            path = str(parts / f"part-{index:06d}.nq")
            return client.submit(
                extract_partition, spec, chunk, min_confidence, path, pure=False
            ), path

        running = {}
        for index, chunk in todo:
            future, path = submit(index, chunk)
            running[future] = path
            if len(running) >= window:
                break
        pending = as_completed(list(running))
        for future in pending:
            path = running.pop(future)
            done = future.result()
            store.load_file(path)
            Path(path).unlink(missing_ok=True)
            result.articles += done["articles"]
            result.statements += done["statements"]
            result.entity_ids |= done["entity_ids"]
            for message in done["errors"]:
                if on_error is None:
                    raise KhabarError(message)
                on_error(message)
                result.failed += 1
            for message in done["warnings"]:
                if message not in warned and on_warning is not None:
                    warned.add(message)
                    on_warning(message)
            nxt = next(todo, None)
            if nxt is not None:
                new, path = submit(*nxt)
                running[new] = path
                pending.add(new)
    finally:
        client.close()
        if own_parts:
            shutil.rmtree(parts, ignore_errors=True)
    return result
