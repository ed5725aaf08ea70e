"""The sentence splitter before a change, loaded from git, to compare with the current one.

``old_segment_module()`` imports ``aligner/segment.py`` of a git revision (by default the
commit where this branch left ``main``) as a standalone module, so both versions run side by
side in one process on the same documents. The modules it takes its rules from
(:data:`RULE_MODULES`) are loaded from the same revision too; otherwise the "old" splitter would
run the working tree's rules and a change to them would be compared with itself.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]
RULE_MODULES = ("yasbd_lines",)  # aligner modules segment.py imports its rules from


def base_revision() -> str:
    """The commit where the current branch left ``main`` (``main`` itself when on main)."""
    return subprocess.run(["git", "merge-base", "HEAD", "main"], cwd=REPO, check=True,
                          capture_output=True, text=True).stdout.strip()


def _git_module(rev: str, name: str) -> ModuleType | None:
    """``aligner/<name>.py`` at ``rev`` imported as ``<name>_old``; None if it is not there."""
    shown = subprocess.run(["git", "show", f"{rev}:aligner/{name}.py"], cwd=REPO,
                           capture_output=True, text=True)
    if shown.returncode:
        return None
    path = Path(tempfile.mkdtemp(prefix="segment_old_")) / f"{name}_old.py"
    path.write_text(shown.stdout, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(f"{name}_old", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[f"{name}_old"] = module
    spec.loader.exec_module(module)
    return module


def old_segment_module(rev: str | None = None) -> ModuleType:
    """``aligner/segment.py`` at ``rev`` (default :func:`base_revision`), imported as a module,
    with the :data:`RULE_MODULES` of the same revision."""
    rev = rev or base_revision()
    rules = {f"aligner.{name}": module for name in RULE_MODULES
             if (module := _git_module(rev, name)) is not None}
    saved = {name: sys.modules.get(name) for name in rules}
    sys.modules.update(rules)  # what segment.py's ``from aligner.<name> import`` finds
    try:
        module = _git_module(rev, "segment")
    finally:
        for name, module_before in saved.items():
            if module_before is None:
                del sys.modules[name]
            else:
                sys.modules[name] = module_before
    if module is None:
        raise FileNotFoundError(f"no aligner/segment.py at {rev}")
    return module
