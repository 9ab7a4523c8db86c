"""Model weight files and their sha256: recorded in a model's ``meta.json``, checked before loading.

A weight file that was cut short, flipped a bit, or came from another training run
is refused in one line, before a library tries to unpickle it.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "w.pt").write_bytes(b"weights")
>>> sums = {"w.pt": sha256_file(folder / "w.pt")}
>>> check_weights(folder, sums)
>>> _ = (folder / "w.pt").write_bytes(b"weightz")
>>> check_weights(folder, sums)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
extractors.errors.ModelError: .../w.pt: corrupt or mismatched model file (its sha256 ...)
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from .errors import ModelError

__all__ = ["sha256_file", "sha256_files", "check_weights", "library_versions"]


def sha256_file(path: str | os.PathLike) -> str:
    """The hex sha256 of a file, read in blocks (weight files are tens of MB)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fin:
        for block in iter(lambda: fin.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sha256_files(folder: str | os.PathLike, names: Iterable[str]) -> dict[str, str]:
    """{file name: sha256} of the files of ``folder`` named (those present)."""
    root = Path(folder)
    return {name: sha256_file(root / name) for name in names if (root / name).is_file()}


def check_weights(folder: str | os.PathLike, expected: Mapping[str, str], *, fix: str = "") -> None:
    """Raise ``ModelError`` (one line, naming the file and ``fix``) unless every file named
    in ``expected`` is in ``folder`` with that sha256."""
    root = Path(folder)
    for name, digest in expected.items():
        path = root / name
        if not path.is_file():
            raise ModelError(f"model file {name} is missing{fix}", path=path)
        if sha256_file(path) != digest:
            raise ModelError(
                f"corrupt or mismatched model file (its sha256 is not the one in meta.json){fix}",
                path=path,
            )


def library_versions(names: Iterable[str] = ("stanza", "torch", "gensim", "numpy")) -> dict:
    """The installed versions of the libraries that train a model, and Python's."""
    import platform
    from importlib import metadata

    out = {"python": platform.python_version()}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out
