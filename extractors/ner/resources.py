"""Where Khabar's models live and what is installed: the shipped NER model, Stanza's Arabic models.

* **Khabar's own NER model** (``SHIPPED_NER_DIR``): a Stanza NER tagger that
  ships with the package (``extractors/models/ner``); its ``meta.json`` records
  how it was trained, on what data under which licences, and the sha256 of each
  weight file, checked before the files are loaded (``check_weights``).
* **Stanza's official Arabic models** (tokenize, mwt, pos, lemma, depparse, ner)
  for ``--extractor stanza``: fetched once by ``download_models`` into a model
  dir (``--model-dir``, else ``$KHABAR_MODELS_DIR``, else
  ``$STANZA_RESOURCES_DIR``, else ``~/.cache/khabar/stanza``), never at run time.

Stanza and torch are imported only inside the functions that need them.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import ModelError

__all__ = [
    "SHIPPED_NER_DIR",
    "NER_MODEL_FILE",
    "NER_VECTORS_FILE",
    "NER_META_FILE",
    "NER_CHARLM_FILES",
    "STANZA_PROCESSORS",
    "ModelInfo",
    "import_stanza",
    "use_one_thread",
    "default_model_dir",
    "official_models_missing",
    "model_status",
    "read_meta",
    "download_models",
]

SHIPPED_NER_DIR = Path(__file__).resolve().parent.parent / "models" / "ner"
"""Khabar's own NER model, shipped as package data."""
NER_MODEL_FILE = "ar_khabar_nertagger.pt"
NER_VECTORS_FILE = "ar_khabar_vectors.pt"
NER_META_FILE = "meta.json"
NER_CHARLM_FILES = ("ar_khabar_forward_charlm.pt", "ar_khabar_backward_charlm.pt")
"""Optional character language models (forward, backward) the NER model was trained with."""

STANZA_PROCESSORS = "tokenize,mwt,pos,lemma,depparse,ner"
"""The official Arabic processors ``--extractor stanza`` runs."""


def import_stanza():
    """The ``stanza`` module, or a ``ModelError`` that says how to install it."""
    try:
        import stanza
    except ImportError as err:
        raise ModelError(
            f"Stanza is not installed ({err.name} missing); install it with: "
            "pip install torch==2.13.0 'khabar[stanza]'"
        ) from err
    return stanza


def use_one_thread(threads: int = 1) -> None:
    """Limit torch to ``threads`` CPU threads: on 2-core machines one thread is many times faster.

    Respects ``OMP_NUM_THREADS`` when it is set.
    """
    import torch

    wanted = int(os.environ.get("OMP_NUM_THREADS") or threads)
    if torch.get_num_threads() != wanted:
        torch.set_num_threads(wanted)


# --- where models live --------------------------------------------------------
def default_model_dir(model_dir: str | os.PathLike | None = None) -> Path:
    """Where Stanza's official models live: the argument, else ``$KHABAR_MODELS_DIR``,
    else ``$STANZA_RESOURCES_DIR``, else ``~/.cache/khabar/stanza`` (under ``$XDG_CACHE_HOME``).

    Khabar keeps its own default rather than Stanza's, which changes with each Stanza version.

    >>> str(default_model_dir("/tmp/m"))
    '/tmp/m'
    """
    if model_dir:
        return Path(model_dir).expanduser()
    for var in ("KHABAR_MODELS_DIR", "STANZA_RESOURCES_DIR"):
        if os.environ.get(var):
            return Path(os.environ[var]).expanduser()
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache).expanduser() / "khabar" / "stanza"


def official_models_missing(model_dir: str | os.PathLike | None = None) -> list[str]:
    """The official Arabic processors not installed in ``model_dir`` (all when it is empty)."""
    root = default_model_dir(model_dir)
    wanted = STANZA_PROCESSORS.split(",")
    resources = _read_resources(root)
    if resources is None:
        return wanted
    return [p for p in wanted if not _processor_files(root, resources, p)]


def _read_resources(root: Path) -> dict | None:
    try:
        return json.loads((root / "resources.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _processor_files(root: Path, resources: dict, processor: str) -> list[Path]:
    """The installed model files of one Arabic processor ([] when none is)."""
    lang = resources.get("ar", {})
    package = lang.get("default_processors", {}).get(processor)
    folder = root / "ar" / processor
    if not folder.is_dir():
        return []
    files = sorted(folder.glob("*.pt"))
    if isinstance(package, str):
        named = [f for f in files if f.stem == package]
        return named or files
    return files


@dataclass
class ModelInfo:
    """One line of ``khabar models status``."""

    name: str
    path: Path
    installed: bool
    size: int = 0  # bytes
    detail: str = ""


def model_status(model_dir: str | os.PathLike | None = None) -> list[ModelInfo]:
    """What is installed: Khabar's shipped NER model, then each official Arabic processor."""
    out = []
    files = [SHIPPED_NER_DIR / NER_MODEL_FILE, SHIPPED_NER_DIR / NER_VECTORS_FILE]
    files += [SHIPPED_NER_DIR / f for f in NER_CHARLM_FILES if (SHIPPED_NER_DIR / f).is_file()]
    meta = read_meta(SHIPPED_NER_DIR)
    detail = ""
    if meta:
        scores = meta.get("scores", {})
        detail = ", ".join(f"{k} F1 {v['f1']:.3f}" for k, v in scores.items())
    out.append(
        ModelInfo(
            "khabar-ner",
            SHIPPED_NER_DIR,
            all(f.is_file() for f in files),
            sum(f.stat().st_size for f in files if f.is_file()),
            detail,
        )
    )
    root = default_model_dir(model_dir)
    resources = _read_resources(root)
    for proc in STANZA_PROCESSORS.split(","):
        found = _processor_files(root, resources, proc) if resources is not None else []
        out.append(
            ModelInfo(
                f"stanza-ar-{proc}",
                root / "ar" / proc,
                bool(found),
                sum(f.stat().st_size for f in found),
                ", ".join(f.stem for f in found),
            )
        )
    return out


def read_meta(folder: Path) -> dict:
    """A model folder's ``meta.json`` ({} when it is missing or unreadable)."""
    try:
        return json.loads((folder / NER_META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def download_models(model_dir: str | os.PathLike | None = None) -> Path:
    """Fetch Stanza's official Arabic models into ``model_dir``, all or nothing.

    Everything is downloaded into a temporary folder beside the target and
    moved into place only when complete, so a failed download (no network)
    leaves nothing behind. Raises ``ModelError`` in one sentence on failure.
    """
    try:
        import stanza
    except ImportError as err:
        raise ModelError(
            "downloading needs Stanza: pip install torch==2.13.0 'khabar[stanza]'"
        ) from err

    root = default_model_dir(model_dir)
    parent = root.parent
    existing = next(p for p in [parent, *parent.parents] if p.exists())
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".khabar-download-", dir=parent))
    try:
        if (root / "resources.json").is_file():  # keep what is there, add what is missing
            shutil.copytree(root, tmp, dirs_exist_ok=True)
        stanza.download(
            "ar", model_dir=str(tmp), processors=STANZA_PROCESSORS, logging_level="WARN"
        )
    except Exception as err:  # network, HTTP and file errors all surface from stanza.download
        shutil.rmtree(tmp, ignore_errors=True)
        _remove_empty(parent, until=existing)
        if isinstance(err, OSError):  # requests' ConnectionError is an OSError
            reason = "no network: the model hub is unreachable"
        else:
            reason = f"{err.__class__.__name__}: {' '.join(str(err).split())[:150]}"
        raise ModelError(
            f"cannot download the Stanza Arabic models ({reason}); nothing was written", path=root
        ) from err
    if root.exists():
        backup = root.with_name(root.name + ".old")
        shutil.rmtree(backup, ignore_errors=True)
        root.rename(backup)
        tmp.rename(root)
        shutil.rmtree(backup, ignore_errors=True)
    else:
        tmp.rename(root)
    return root


def _remove_empty(folder: Path, *, until: Path) -> None:
    """Remove ``folder`` and its parents below ``until`` while they are empty (we made them)."""
    for path in [folder, *folder.parents]:
        if path == until or until not in path.parents:
            return
        try:
            path.rmdir()
        except OSError:  # not empty: someone else's files
            return
