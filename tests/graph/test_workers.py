"""Worker processes build the graph one process builds: rdflib.compare decides."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib.compare import isomorphic

from extractors import read_articles
from extractors.errors import InputError
from extractors.types import Article
from graph.build import ExtractorSpec, build_files, build_graph
from graph.serialize import read_graph
from graph.workers import _init, chunks

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


@pytest.mark.parametrize("chunk_size", [pytest.param(1, marks=pytest.mark.slow), 8])
def test_two_workers_build_the_one_worker_graph(examples_graph, chunk_size):
    result = build_graph(
        read_articles([EXAMPLES]),
        ExtractorSpec.of("lexicon"),
        workers=2,
        chunk_size=chunk_size,
    )
    assert result.articles == 5
    assert isomorphic(result.graph, examples_graph)


@pytest.mark.slow  # two more worker pools (about 10 s); CI runs it
def test_workers_write_a_streamed_file_in_input_order(tmp_path, examples_graph):
    one = build_files([EXAMPLES], ExtractorSpec.of("lexicon"), output=tmp_path / "one.nt")
    two = build_files(
        [EXAMPLES], ExtractorSpec.of("lexicon"), output=tmp_path / "two.nt", workers=2
    )
    assert (one.articles, one.statements, one.entities) == (
        two.articles,
        two.statements,
        two.entities,
    )
    assert (tmp_path / "one.nt").read_bytes() == (tmp_path / "two.nt").read_bytes()
    assert isomorphic(read_graph(tmp_path / "two.nt"), examples_graph)


def test_an_extractor_the_workers_cannot_make_is_one_error():
    with pytest.raises(InputError, match="unknown extractor"):
        build_graph([Article("a", "قصفت روسيا مواقع داعش.")], ExtractorSpec.of("nope"), workers=2)


def test_chunks_keep_order():
    assert [len(c) for c in chunks(range(10), 4)] == [4, 4, 2]


@pytest.mark.slow
def test_default_extractor_with_two_workers(tmp_path):
    spec = ExtractorSpec.of("trained")
    one = build_graph(read_articles([EXAMPLES]), spec)
    two = build_graph(read_articles([EXAMPLES]), spec, workers=2)
    assert isomorphic(one.graph, two.graph)


def test_a_forked_worker_limits_the_blas_numpy_already_loaded():
    """numpy (and its BLAS) is loaded before the worker's initializer runs (here by a
    fork): the worker's thread limit must reach that library, not only the
    environment of libraries loaded later."""
    import multiprocessing

    import numpy  # noqa: F401  (loaded in the parent, as in a real build)
    from threadpoolctl import threadpool_info

    if not any(i["user_api"] == "blas" for i in threadpool_info()):
        pytest.skip("numpy reports no BLAS thread pool here")
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(1, initializer=_init, initargs=(ExtractorSpec.of("lexicon"), 0.0, 1)) as pool:
        threads = pool.apply(_blas_threads)
    assert threads == [1]


def _blas_threads() -> list[int]:
    from threadpoolctl import threadpool_info

    return sorted({i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"})
