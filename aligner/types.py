"""The values that flow through the pipeline: frozen, slotted dataclasses.

Text is always kept exactly as the user wrote it; normalisation for matching happens only
inside scoring (see :mod:`aligner.normalize`).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A block of text as read from a file; ``line`` is its 1-based first line number."""

    text: str
    line: int


@dataclass(frozen=True, slots=True)
class Document:
    """An ordered list of paragraphs from one file (or one language of a mixed file)."""

    paragraphs: tuple[Paragraph, ...]
    path: str | None = None


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence, verbatim; ``paragraph`` is the 0-based paragraph index in its document."""

    text: str
    paragraph: int
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Side:
    """One language's sentences, with where they came from."""

    lang: str
    path: str | None
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True, slots=True)
class Link:
    """Source sentence indices linked to target indices (either may be empty).

    ``score`` is the cosine similarity of the two spans clipped to [0, 1], or ``None`` for
    a one-sided link (1-0 or 0-1).
    """

    source: tuple[int, ...]
    target: tuple[int, ...]
    score: float | None
    flags: tuple[str, ...] = ()
    status: str | None = None
    confidence: float | None = None
    """The chance that the link is right, learnt on gold data (see aligner.align.confidence)."""

    @property
    def kind(self) -> str:
        """The link type as ``"n-m"``, e.g. ``"1-2"`` or ``"0-1"``."""
        return f"{len(self.source)}-{len(self.target)}"


@dataclass(frozen=True, slots=True)
class Skipped:
    """A line of a mixed document that belongs to neither language, and why."""

    text: str
    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class Alignment:
    """The result of aligning two sides; every sentence of each side is in exactly one link."""

    source: Side
    target: Side
    links: tuple[Link, ...]
    model: str
    mode: str
    skipped: tuple[Skipped, ...] = ()
    settings: dict[str, object] = field(default_factory=dict)
