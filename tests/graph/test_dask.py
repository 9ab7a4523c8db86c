"""Extraction on Dask (a real ``distributed.LocalCluster``) builds the graph one process builds."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib.compare import isomorphic

from graph.build import ExtractorSpec, build_files
from graph.cli import cli
from graph.store import load_graph

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as local:
        yield local


def test_dask_partitions_load_into_the_store(cluster, tmp_path, examples_graph):
    parts = tmp_path / "parts"
    result = build_files(
        [EXAMPLES],
        ExtractorSpec.of("lexicon"),
        store=tmp_path / "st",
        dask=cluster,
        parts=parts,
    )
    assert result.articles == 5
    assert isomorphic(load_graph(tmp_path / "st"), examples_graph)
    assert list(parts.iterdir()) == []  # every part was loaded, then removed


def test_cli_build_on_a_dask_scheduler(cluster, tmp_path):
    run = CliRunner().invoke(
        cli,
        ["build", str(EXAMPLES), "--extractor", "lexicon", "--ner", "off"]
        + ["--dask", cluster.scheduler_address]
        + ["-o", str(tmp_path / "g.ttl"), "--store", str(tmp_path / "st")],
    )
    assert run.exit_code == 0, run.output
    assert isomorphic(load_graph(tmp_path / "g.ttl"), load_graph(tmp_path / "st"))
    assert "5 articles" in run.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.ttl", "st"]


@pytest.mark.slow  # the client waits 20 s for the scheduler
def test_unreachable_scheduler_is_one_line(tmp_path):
    run = CliRunner().invoke(
        cli,
        ["build", str(EXAMPLES), "--store", str(tmp_path / "st"), "--dask", "tcp://127.0.0.1:9"],
    )
    assert run.exit_code == 1 and "Dask scheduler" in run.output
    assert not (tmp_path / "st").exists()
