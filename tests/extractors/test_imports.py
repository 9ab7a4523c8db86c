"""Imports run one way: no cycle among the extractors' modules, nothing imports upward.

Two checks. The static one reads every ``import`` of every module under
``extractors/`` (inside functions too, where the old ``models`` <-> ``stanza_ner``
cycle hid) and asserts the graph has no cycle and no edge to ``graph``. The dynamic
one imports each module first in a fresh interpreter: a cycle at module level fails
only when the import starts from one particular member of it, so every module gets
its turn to be first.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "extractors"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = sorted(_module_name(p) for p in PACKAGE.rglob("*.py"))


def _imports(path: Path) -> set[str]:
    """The modules one file imports, absolute, wherever the import statement stands."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")
                parent = parent[: len(parent) - node.level + 1]
                base = ".".join([*parent, base]) if base else ".".join(parent)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)  # «from . import x»
    return found


def _graph() -> dict[str, set[str]]:
    """Module -> the extractors modules it imports (a package's ``__init__`` aside)."""
    known = set(MODULES)
    graph = {}
    for path in PACKAGE.rglob("*.py"):
        name = _module_name(path)
        graph[name] = {m for m in _imports(path) if m in known and m != name}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the list of modules on it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt in graph and not _is_parent(nxt, node):
                if state.get(nxt) == 1:
                    return path[path.index(nxt) :] + [nxt]
                if state.get(nxt) is None:
                    found = visit(nxt)
                    if found:
                        return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if state.get(node) is None:
            found = visit(node)
            if found:
                return found
    return None


def _is_parent(package: str, module: str) -> bool:
    """Importing ``extractors.ner.bio`` runs ``extractors.ner``'s ``__init__`` first: no edge."""
    return module.startswith(package + ".")


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


def test_no_import_cycle_among_the_extractors_modules():
    assert _cycle(_graph()) is None


def test_the_ner_package_imports_run_one_way():
    graph = _graph()
    assert graph["extractors.ner.bio"] <= {"extractors.errors", "extractors.normalize"}
    assert "extractors.ner.tagger" not in graph["extractors.ner.resources"]
    assert "extractors.ner.train" not in graph["extractors.ner.tagger"]
    ner = {m for m in MODULES if m.startswith("extractors.ner")}
    extractors = {"extractors.lexicon", "extractors.dependency", "extractors.relations.extractor"}
    assert not any(graph[m] & extractors for m in ner)  # the extractors use NER, not back


def test_nothing_under_extractors_imports_upward():
    for path in PACKAGE.rglob("*.py"):
        upward = {m for m in _imports(path) if m.split(".")[0] in {"graph", "tests", "benchmarks"}}
        assert not upward, (path, upward)


@pytest.mark.parametrize("module", MODULES)
def test_each_module_imports_first_in_a_fresh_interpreter(module):
    done = subprocess.run(
        [sys.executable, "-c", f"import {module}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.strip().splitlines()[-1:]
