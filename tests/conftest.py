"""Shared fixtures: the repository's examples, ../shared and Chromium when present."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def shared() -> Path:
    """The shared corpora beside the project; tests using it skip when it is absent."""
    if not (SHARED / "corpus" / "seeds").is_dir():
        pytest.skip("../shared is not present")
    return SHARED


@pytest.fixture(scope="session")
def extractor():
    from extractors import get_extractor

    return get_extractor("lexicon", ner="off")  # the rules alone: no model, the same everywhere


@pytest.fixture(scope="session")
def examples_graph(tmp_path_factory, extractor):
    """The graph built from examples/ (the demo's input), as an rdflib graph."""
    from extractors import read_articles
    from graph import build_graph

    return build_graph(read_articles([EXAMPLES]), extractor).graph


@pytest.fixture(scope="session")
def chromium() -> list[str]:
    """Headless Chromium's command line (binary and flags); tests using it skip without one."""
    from browser import HEADLESS_CHROMIUM_FLAGS, find_chromium  # tests/browser.py

    binary = find_chromium()
    if binary is None:
        pytest.skip("no Chromium binary (chromium, chromium-browser, google-chrome) found")
    return [binary, *HEADLESS_CHROMIUM_FLAGS]
