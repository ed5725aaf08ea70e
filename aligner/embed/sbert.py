"""The sentence-transformers backend: any model name on the Hugging Face hub, or a local folder.

torch and sentence-transformers are imported here only, when such a model is asked for, so the
default install and the default model never load them. A hub name is first looked up in the
local cache; the network is tried only when the hub answers quickly, so an unknown name or an
offline machine gives one clear error instead of a minute of retries.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from aligner.embed.base import l2_normalise
from aligner.errors import ModelError

INSTALL_HINT = ('install the extra: pip install "aligner[st]" '
                '(CPU torch first: pip install torch==2.13.0)')


class SentenceTransformerEncoder:
    """A sentence-transformers model, run on the CPU in batches."""

    def __init__(self, name_or_path: str, batch_size: int = 64):
        self.name = name_or_path
        self._batch_size = batch_size
        self._model = _load(name_or_path)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """``(len(texts), dim)`` float32, L2-normalised."""
        if not texts:
            dim = self._model.get_sentence_embedding_dimension() or 0
            return np.zeros((0, dim), dtype=np.float32)
        vectors = self._model.encode(
            list(texts), batch_size=self._batch_size, convert_to_numpy=True,
            show_progress_bar=False, normalize_embeddings=True,
        )
        return l2_normalise(vectors)


def _load(name_or_path: str):
    path = Path(name_or_path).expanduser()
    # Before importing torch (seconds): a mistyped folder is reported as such, even without
    # the [st] extra installed.
    if not path.exists() and _looks_like_path(name_or_path):
        raise ModelError(f"model folder {name_or_path!r} does not exist",
                         hint="give an existing folder or a Hugging Face model name")
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise ModelError(
            f"model {name_or_path!r} needs sentence-transformers, which is not installed",
            hint=INSTALL_HINT,
        ) from exc
    if path.exists():
        return _load_folder(SentenceTransformer, path)
    return _load_hub(SentenceTransformer, name_or_path)


def _load_folder(loader, path: Path):
    if not (path / "config.json").exists() and not (path / "modules.json").exists():
        raise ModelError(f"{path} is not a sentence-transformers model folder (no config.json)",
                         hint="point --model at the folder that holds modules.json/config.json")
    try:
        return loader(str(path), device="cpu", local_files_only=True)
    except Exception as exc:  # the library raises many types; all mean "cannot load"
        raise ModelError(f"cannot load model folder {path}: {_first_line(exc)}") from exc


def _load_hub(loader, name: str):
    try:  # the local cache first: works offline for anything downloaded before
        return loader(name, device="cpu", local_files_only=True)
    except Exception:
        pass
    if os.environ.get("HF_HUB_OFFLINE") == "1" or not _hub_reachable():
        raise ModelError(
            f"model {name!r} is not a local folder nor in the Hugging Face cache, "
            "and the hub cannot be reached",
            hint="download it on a machine with internet and pass its folder to --model, "
            "or use the offline default (--model use-m)",
        )
    try:
        return loader(name, device="cpu")
    except Exception as exc:
        raise ModelError(f"cannot load model {name!r}: {_first_line(exc)}",
                         hint="check the name on huggingface.co or pass a local folder") from exc


def _hub_reachable(timeout: float = 3.0) -> bool:
    """True when a TCP connection to the hub opens within ``timeout`` seconds."""
    endpoint = os.environ.get("HF_ENDPOINT", "https://huggingface.co")
    host = urlparse(endpoint).hostname or "huggingface.co"
    try:
        with socket.create_connection((host, 443), timeout=timeout):
            return True
    except OSError:
        return False


def _looks_like_path(name: str) -> bool:
    return name.startswith((".", "/", "~")) or os.sep + os.sep in name or name.count("/") > 1


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
