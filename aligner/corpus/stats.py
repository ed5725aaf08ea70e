"""Corpus statistics: ``stats.json`` and the table printed at the end of a build.

Only counts that do not depend on scheduling go in ``stats.json`` (no times, no worker
counts), so the file is identical for a resumed, parallel or distributed run.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from rich.table import Table

from aligner.corpus.filters import REASONS

BINS = 10


@dataclass
class CorpusStats:
    src_lang: str
    tgt_lang: str
    pairs: int = 0
    aligned: int = 0
    failed: int = 0
    unpaired: int = 0
    ignored: int = 0
    sentences: list[int] = field(default_factory=lambda: [0, 0])
    links: Counter[str] = field(default_factory=Counter)
    kept: int = 0
    histogram: list[int] = field(default_factory=lambda: [0] * BINS)
    documents: list[dict[str, Any]] = field(default_factory=list)

    def add_document(self, record: dict[str, Any], kept: int) -> None:
        """Count an aligned document (its links, scores) with ``kept`` links in the corpus."""
        self.aligned += 1
        self.kept += kept
        for side in (0, 1):
            self.sentences[side] += record["sentences"][side]
        scores, confidences = [], []
        for link in record["links"]:
            self.links[f"{len(link['source'])}-{len(link['target'])}"] += 1
            if link["score"] is not None:
                scores.append(link["score"])
                self.histogram[min(int(link["score"] * BINS), BINS - 1)] += 1
            if link.get("confidence") is not None:  # older journal records lack it
                confidences.append(link["confidence"])
        self.documents.append({"id": record["id"], "sentences": record["sentences"],
                               "links": len(record["links"]), "kept": kept,
                               "mean_score": _mean(scores, 4),
                               "mean_confidence": _mean(confidences, 3),
                               "mode": record["mode"],
                               **({"order_doubtful": True} if record.get("order_doubtful")
                                  else {})})

    def as_dict(self, dropped: Counter[str], settings: dict[str, Any]) -> dict[str, Any]:
        order = sorted(self.links, key=lambda k: (-self.links[k], k))
        return {
            "documents": {"pairs": self.pairs, "aligned": self.aligned, "failed": self.failed,
                          "unpaired_files": self.unpaired, "ignored_files": self.ignored,
                          "order_doubtful": sum(1 for d in self.documents
                                                if d.get("order_doubtful"))},
            "sentences": {self.src_lang: self.sentences[0], self.tgt_lang: self.sentences[1]},
            "links": {"total": sum(self.links.values()),
                      "by_type": {k: self.links[k] for k in order},
                      "kept": self.kept,
                      "dropped": {reason: dropped.get(reason, 0) for reason in REASONS}},
            "score_histogram": {"bins": [round(i / BINS, 1) for i in range(BINS + 1)],
                                "counts": self.histogram},
            "filters": settings,
            "per_document": self.documents,
        }


def table(stats: dict[str, Any]) -> Table:
    """The end-of-build summary as a two-column table."""
    grid = Table(title="corpus", show_header=False, box=None, pad_edge=False)
    grid.add_column(justify="left", style="bold")
    grid.add_column(justify="right")
    docs = stats["documents"]
    grid.add_row("document pairs", f"{docs['pairs']:,}")
    grid.add_row("  aligned", f"{docs['aligned']:,}")
    grid.add_row("  failed (errors.tsv)", f"{docs['failed']:,}")
    if docs.get("order_doubtful"):
        grid.add_row("  not in one order (try --mode auto)", f"{docs['order_doubtful']:,}")
    grid.add_row("unpaired files (errors.tsv)", f"{docs['unpaired_files']:,}")
    for lang, count in stats["sentences"].items():
        grid.add_row(f"sentences {lang}", f"{count:,}")
    links = stats["links"]
    grid.add_row("links", f"{links['total']:,}")
    for kind, count in links["by_type"].items():
        grid.add_row(f"  {kind}", f"{count:,}")
    grid.add_row("kept", f"{links['kept']:,}")
    for reason, count in links["dropped"].items():
        grid.add_row(f"  dropped: {reason}", f"{count:,}")
    counts = stats["score_histogram"]["counts"]
    bins = stats["score_histogram"]["bins"]
    for low, high, count in zip(bins, bins[1:], counts, strict=False):
        if count:
            grid.add_row(f"  score {low:.1f}–{high:.1f}", f"{count:,}")
    for label, key in (("mean confidence per document", "mean_confidence"),
                       ("mean score (cosine) per document", "mean_score")):
        means = [d[key] for d in stats["per_document"] if d.get(key) is not None]
        if means:
            grid.add_row(label, f"min {min(means):.2f} · median "
                                f"{sorted(means)[len(means) // 2]:.2f} · max {max(means):.2f}")
    return grid


def _mean(values: list[float], digits: int) -> float | None:
    return round(sum(values) / len(values), digits) if values else None
