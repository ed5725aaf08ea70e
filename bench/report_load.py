"""How fast the review report opens and responds at 10,000 links, in headless Chromium.

    python bench/report_load.py                  # 10,000 links, 3 loads
    python bench/report_load.py --links 50000 --runs 1

The alignment is built without a model (the page's speed does not depend on it): FLORES-200
and UNPC dev sentences, Arabic with its French, in order, one 1-1 link each, every 25th link
split into a 1-0 and a 0-1, scores drawn from a fixed-seed distribution like the aligner's,
flags computed as ``aligner align`` does. Figures, per load:

- ``ready``: from navigation start to the end of the page's script (all rows built, header
  counted, histogram drawn): when the reviewer can start working;
- ``first paint`` (first contentful paint) and the DOM size;
- ``accept`` / ``merge``: one keystroke on a link, until the page is updated;
- ``filter``: switching to "flagged", and back to all links.

Needs Debian's chromium at /usr/bin/chromium and ``pip install playwright``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from speed import corpus

from aligner.flags import flag_alignment
from aligner.types import Alignment, Link, Sentence, Side
from aligner.writers import write_alignment

CHROMIUM = "/usr/bin/chromium"


def build(size: int) -> Alignment:
    ar, fr = corpus(size)
    rng = np.random.default_rng(0)
    scores = np.clip(rng.normal(0.72, 0.1, size), 0.05, 0.99)
    links: list[Link] = []
    for k in range(size):
        if k % 25 == 24:
            links += [Link((k,), (), None), Link((), (k,), None)]
        else:
            links.append(Link((k,), (k,), float(scores[k])))
    side = lambda lang, texts, path: Side(lang, path, tuple(  # noqa: E731
        Sentence(t, k // 5, k + 1) for k, t in enumerate(texts)))
    alignment = Alignment(side("ar", ar, "bench.ar.txt"), side("fr", fr, "bench.fr.txt"),
                          tuple(links), "use-m-v3", "ordered")
    return flag_alignment(alignment)


def timed(page, script: str) -> float:
    """Run ``script`` in the page, then wait two animation frames (the update is painted)."""
    return page.evaluate("""async (script) => {
        const t0 = performance.now();
        (new Function(script))();
        await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
        return performance.now() - t0; }""", script)


def key(name: str) -> str:
    return f"document.dispatchEvent(new KeyboardEvent('keydown', {{key: '{name}'}}))"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--links", type=int, default=10_000, help="sentences per side")
    parser.add_argument("--runs", type=int, default=3, help="page loads to time")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        alignment = build(args.links)
        report = Path(tmp) / "report.html"
        write_alignment(alignment, "html", str(report))
        written = time.perf_counter() - start
        flagged = sum(1 for link in alignment.links if link.flags)
        print(f"{len(alignment.links)} links ({flagged} flagged), report "
              f"{report.stat().st_size / 1e6:.1f} MB, built and written in {written:.1f} s")
        rows = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            for _ in range(args.runs):
                context = browser.new_context(viewport={"width": 1300, "height": 900})
                page = context.new_page()
                page.goto(report.as_uri())
                page.wait_for_selector("html[data-ready]", timeout=120_000)
                ready = page.evaluate("performance.now()")
                paint = page.evaluate("(performance.getEntriesByName('first-contentful-paint')"
                                      "[0] || {}).startTime || 0")
                nodes = page.evaluate("document.getElementsByTagName('*').length")
                accept = timed(page, key("a"))
                merge = timed(page, key("m"))
                flt = timed(page, "const f = document.getElementById('filter');"
                                  "f.value = 'flagged'; f.dispatchEvent(new Event('change'))")
                back = timed(page, "const f = document.getElementById('filter');"
                                   "f.value = 'all'; f.dispatchEvent(new Event('change'))")
                rows.append((ready, paint, nodes, accept, merge, flt, back))
                context.close()
            browser.close()
    for name, k, unit in (("ready", 0, "ms"), ("first paint", 1, "ms"), ("DOM elements", 2, ""),
                          ("accept (a)", 3, "ms"), ("merge (m)", 4, "ms"),
                          ("filter flagged", 5, "ms"), ("filter all", 6, "ms")):
        values = [row[k] for row in rows]
        print(f"{name:15} median {statistics.median(values):8.0f} {unit:2}  "
              f"(runs: {', '.join(f'{v:.0f}' for v in values)})")


if __name__ == "__main__":
    main()
