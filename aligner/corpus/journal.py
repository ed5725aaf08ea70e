"""The per-document journal: OUTDIR/.journal, one JSON file per finished document.

Each record is written to a temporary file, flushed to disk and renamed into place, so after
any interruption (Ctrl-C, a crash, ``kill -9``, a power cut) a record is either whole or
absent. A re-run reads the records whose fingerprint (paths, sizes, modification times) still
matches and aligns only the rest. The settings that change alignments (languages, model, mode,
scoring knobs) are stored in ``settings.json``; a re-run with different ones is refused rather
than mixing two kinds of results. Filters and output formats are not in it: changing them only
rewrites the corpus files from the journal.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from aligner.errors import InputError

JOURNAL = ".journal"


class Journal:
    """Records of finished documents under ``outdir/.journal``."""

    def __init__(self, outdir: Path, settings: dict[str, Any], *, fresh: bool = False):
        self.root = outdir / JOURNAL
        self.docs = self.root / "docs"
        stored = self.root / "settings.json"
        if fresh and self.root.exists():
            for file in sorted(self.root.rglob("*"), reverse=True):
                file.rmdir() if file.is_dir() else file.unlink()
        self.docs.mkdir(parents=True, exist_ok=True)
        wanted = json.dumps(settings, sort_keys=True, ensure_ascii=False)
        if stored.exists():
            if stored.read_text(encoding="utf-8") != wanted:
                raise InputError(
                    "this output folder holds work done with other alignment settings",
                    path=str(outdir), hint="add --fresh to start over, or choose another -o")
        else:
            _write_atomic(stored, wanted)

    def _path(self, doc_id: str) -> Path:
        digest = hashlib.sha256(doc_id.encode("utf-8")).hexdigest()
        return self.docs / digest[:2] / f"{digest}.json"

    def get(self, doc_id: str, fingerprint: list[Any]) -> dict[str, Any] | None:
        """The finished record of ``doc_id`` if its inputs have not changed since."""
        path = self._path(doc_id)
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError, UnicodeDecodeError):
            return None
        if record.get("id") != doc_id or record.get("fingerprint") != fingerprint:
            return None
        return record

    def put(self, record: dict[str, Any]) -> None:
        path = self._path(record["id"])
        path.parent.mkdir(exist_ok=True)
        _write_atomic(path, json.dumps(record, ensure_ascii=False, sort_keys=True))

    def _vector_path(self, key: str) -> Path:
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
        return self.root / "vectors" / digest[:2] / f"{digest}.json"

    def get_vector(self, key: str) -> np.ndarray | None:
        """A document vector stored for content pairing under ``key`` (paths + fingerprint)."""
        try:
            stored = json.loads(self._vector_path(key).read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError, UnicodeDecodeError):
            return None
        if stored.get("key") != key:
            return None
        return np.asarray(stored["vector"], dtype=np.float32)

    def put_vector(self, key: str, vector: np.ndarray) -> None:
        path = self._vector_path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomic(path, json.dumps({"key": key, "vector": vector.tolist()}))


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.remove(tmp)
