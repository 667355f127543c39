"""The trained intent model on disk, keyed by what it was trained from and by the code that
reads requests, so a process start after the first loads it instead of training again (a few
seconds at 150 tools on this machine, see `make bench`).

The key is the training set's fingerprint (every example and the vocabulary), a hash of
agent/nlu's own sources and word lists (feature extraction lives there), and the scikit-learn
version: any change to one of them trains afresh. The file lives in the data directory (owner
only); it is written to a temporary name and renamed, so a reader never sees half a file. Set
`NLU_CACHE=false` to always train.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO

import joblib
import sklearn

log = logging.getLogger("bizpilot.nlu")
HERE = Path(__file__).parent
STALE_SECONDS = 7 * 86400.0


@cache
def code_version() -> str:
    digest = hashlib.sha256(sklearn.__version__.encode())
    for path in sorted([*HERE.glob("*.py"), *HERE.glob("*.txt")]):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def directory() -> Path | None:
    """Where trained language data is kept (the data directory's nlu/), or None with
    NLU_CACHE=false."""
    if os.environ.get("NLU_CACHE", "true").lower() in ("0", "false", "no"):
        return None
    from core.settings import get_settings

    return get_settings().data_dir / "nlu"


def _path(fingerprint: str) -> Path | None:
    folder = directory()
    return None if folder is None else folder / f"intent-{fingerprint}-{code_version()}.joblib"


def write_atomically(path: Path, write: Callable[[BinaryIO], None]) -> bool:
    """Writes the file under a temporary name and renames it, so a reader never sees half a file
    (owner-only folder). False, with a warning, where the folder is read-only: what was to be
    kept is built again next time."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            write(out)
        os.replace(tmp, path)
        return True
    except OSError as err:
        log.warning("could not keep %s: %s", path.name, err)
        return False


def load(fingerprint: str) -> Any | None:
    """The fitted pipeline saved for this training set and code, or None."""
    path = _path(fingerprint)
    if path is None or not path.is_file():
        return None
    try:
        model = joblib.load(path)
        os.utime(path)  # in use: not pruned
        return model
    except Exception:  # a truncated or foreign file: train instead, and overwrite it
        log.warning("ignoring the unreadable intent model cache %s", path)
        return None


def _prune(directory: Path, keep: Path, older_than: float = STALE_SECONDS) -> None:
    """Models of earlier code or declarations, unused for a week, are deleted (each is a few MB)."""
    cutoff = time.time() - older_than
    for old in directory.glob("intent-*.joblib"):
        if old != keep and old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)


def save(fingerprint: str, pipeline: Any) -> None:
    path = _path(fingerprint)
    if path is not None and write_atomically(path, lambda out: joblib.dump(pipeline, out)):
        _prune(path.parent, keep=path)
