"""Progress of a build: a rich bar on a terminal; otherwise one line a minute on stderr.

Both show documents done of the total, sentences aligned per second and the time left.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

LOG_EVERY = 60.0


class BuildProgress:
    def __init__(self, console: Console, total: int, every: float = LOG_EVERY,
                 label: str = "aligning"):
        self.console = console
        self.label = label
        self.total = total
        self.every = every
        self.done = self.sentences = 0
        self.start = self.last = time.monotonic()
        self.bar: Progress | None = None
        self.task = None

    def advance(self, sentences: int) -> None:
        self.done += 1
        self.sentences += sentences
        rate = self.sentences / max(time.monotonic() - self.start, 1e-9)
        if self.bar is not None:
            self.bar.update(self.task, advance=1, rate=f"{rate:,.0f} sentences/s")
            return
        now = time.monotonic()
        if now - self.last >= self.every and not self.console.quiet:
            self.last = now
            left = (self.total - self.done) * (now - self.start) / max(self.done, 1)
            self.console.print(f"build: {self.label} {self.done:,}/{self.total:,} documents, "
                               f"{rate:,.0f} sentences/s, about {_duration(left)} left",
                               markup=False, highlight=False)


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s"


@contextmanager
def build_progress(console: Console, total: int,
                   label: str = "aligning") -> Iterator[BuildProgress]:
    progress = BuildProgress(console, total, label=label)
    if console.quiet or not console.is_terminal or not total:
        yield progress
        return
    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(),
               TextColumn("documents"), TextColumn("{task.fields[rate]}"),
               TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        progress.bar = bar
        progress.task = bar.add_task(label, total=total, rate="")
        yield progress
