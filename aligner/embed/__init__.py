"""Sentence embeddings: the Encoder protocol, the backends, and the run-wide cache."""

from __future__ import annotations

from aligner.embed import use_m
from aligner.embed.base import Encoder
from aligner.embed.cache import EmbeddingStore

DEFAULT_MODEL = "use-m"

__all__ = ["DEFAULT_MODEL", "EmbeddingStore", "Encoder", "load_encoder"]


def load_encoder(name: str = DEFAULT_MODEL) -> Encoder:
    """The offline USE-m model for ``use-m`` (and its aliases); sentence-transformers otherwise.

    Raises :class:`aligner.errors.ModelError` when the model cannot be found or loaded.
    """
    if name.lower() in use_m.ALIASES:
        return use_m.UseMEncoder()
    from aligner.embed.sbert import SentenceTransformerEncoder

    return SentenceTransformerEncoder(name)
