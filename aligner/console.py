"""The one rich Console for progress and summaries: stderr, silent when quiet or not a TTY."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from aligner.types import Alignment


def make_console(quiet: bool) -> Console:
    return Console(stderr=True, quiet=quiet, highlight=False)


@contextmanager
def encoding_progress(console: Console) -> Iterator[Callable[[int], None] | None]:
    """A progress bar of texts encoded, shown only on a terminal."""
    if console.quiet or not console.is_terminal:
        yield None
        return
    columns = (TextColumn("encoding"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("encoding", total=None)
        yield lambda k: bar.advance(task, k)


def summary(alignment: Alignment, written: list[str]) -> str:
    """One short paragraph: links by type, mean score, skipped lines, where the output went."""
    kinds = Counter(link.kind for link in alignment.links)
    scores = [link.score for link in alignment.links if link.score is not None]
    mean = sum(scores) / len(scores) if scores else 0.0
    order = sorted(kinds, key=lambda k: (-kinds[k], k))
    lines = [
        f"{len(alignment.source.sentences)} {alignment.source.lang} / "
        f"{len(alignment.target.sentences)} {alignment.target.lang} sentences, "
        f"{len(alignment.links)} links ({', '.join(f'{kinds[k]} {k}' for k in order)}), "
        f"mode {alignment.mode}, mean score {mean:.2f}",
    ]
    lines.append(_flagged(alignment))
    if alignment.skipped:
        lines.append(f"{len(alignment.skipped)} lines skipped (neither language, or noise)")
    if written:
        lines.append("written: " + ", ".join(written))
    return "\n".join(lines)


def _flagged(alignment: Alignment) -> str:
    """How many links the review flags mark, and for what (most frequent first)."""
    flagged = sum(1 for link in alignment.links if link.flags)
    if not flagged:
        return "no link flagged for review"
    flags = Counter(flag for link in alignment.links for flag in link.flags)
    order = sorted(flags, key=lambda f: (-flags[f], f))
    return (f"{flagged} link{'s' if flagged > 1 else ''} flagged for review "
            f"({', '.join(f'{flags[f]} {f}' for f in order)})")
