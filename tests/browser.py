"""Headless Chromium for the tests and benchmarks that look at pages in a real browser."""

from __future__ import annotations

import shutil
from pathlib import Path

__all__ = ["HEADLESS_CHROMIUM_FLAGS", "find_chromium"]

HEADLESS_CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",  # no network here: Chromium's own calls only fail
    "--disable-component-update",
    "--disable-sync",
)
"""Chromium without a screen or a network, for screenshots of and scripts on the page
(add ``--user-data-dir``, a window size, and ``--screenshot`` or a debugging pipe)."""


def find_chromium() -> str | None:
    """The path of a Chromium (or Chrome) binary, or None when there is none."""
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else None
