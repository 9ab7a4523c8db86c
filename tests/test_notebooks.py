"""The notebooks run top to bottom on the bundled examples, and are committed without outputs."""

from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NAMES = ["01-build-and-query.ipynb", "02-explore-network.ipynb"]


_EXECUTED: dict[str, object] = {}


def executed(name: str):
    """The notebook run top to bottom in a fresh kernel, from the notebooks folder."""
    if name not in _EXECUTED:
        nb = nbformat.read(NOTEBOOKS / name, as_version=4)
        client = nbclient.NotebookClient(
            nb,
            timeout=600,
            kernel_name="python3",
            resources={"metadata": {"path": str(NOTEBOOKS)}},  # paths relative to the notebook
        )
        client.execute()  # raises CellExecutionError, with the cell and traceback, on any error
        _EXECUTED[name] = nb
    return _EXECUTED[name]


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_top_to_bottom(name):
    nb = executed(name)
    outputs = [output for cell in nb.cells if cell.cell_type == "code" for output in cell.outputs]
    assert not [output for output in outputs if output.output_type == "error"]
    assert any(output.output_type in ("execute_result", "display_data") for output in outputs)


@pytest.mark.parametrize("name", NAMES)
def test_committed_notebook_has_no_outputs(name):
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]


def test_explorer_notebook_shows_the_network_inline():
    nb = executed("02-explore-network.ipynb")
    html = [
        output["data"]["text/html"]
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if "text/html" in output.get("data", {})
    ]
    assert any("<iframe srcdoc=" in page and "vis.Network" in page for page in html)
