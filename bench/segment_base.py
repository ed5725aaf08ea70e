"""The sentence splitter before a change, loaded from git, to compare with the current one.

``old_segment_module()`` imports ``aligner/segment.py`` of a git revision (by default the
commit where this branch left ``main``) as a standalone module, so both versions run side by
side in one process on the same documents.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]


def base_revision() -> str:
    """The commit where the current branch left ``main`` (``main`` itself when on main)."""
    return subprocess.run(["git", "merge-base", "HEAD", "main"], cwd=REPO, check=True,
                          capture_output=True, text=True).stdout.strip()


def old_segment_module(rev: str | None = None) -> ModuleType:
    """``aligner/segment.py`` at ``rev`` (default :func:`base_revision`), imported as a module."""
    rev = rev or base_revision()
    source = subprocess.run(["git", "show", f"{rev}:aligner/segment.py"], cwd=REPO, check=True,
                            capture_output=True, text=True).stdout
    path = Path(tempfile.mkdtemp(prefix="segment_old_")) / "segment_old.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("segment_old", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["segment_old"] = module
    spec.loader.exec_module(module)
    return module
