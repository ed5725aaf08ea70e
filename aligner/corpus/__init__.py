"""``aligner build``: a parallel corpus from many document pairs.

One module per job::

    pairing.py    inputs -> document pairs (names, ar/ fr/ folders, manifest TSV, or content)
    worker.py     one pair -> one journal record (read, align, language of each link's sides)
    executors.py  where the workers run: in this process, a process pool, or a Dask cluster
    journal.py    one record per finished document in OUTDIR/.journal: resume after any stop
    filters.py    which links enter the corpus, and the reason for each one that does not
    outputs.py    corpus.tmx / .ar + .fr / .tsv / .jsonl, dropped.tsv, errors.tsv (atomic)
    stats.py      stats.json and the printed table
    progress.py   a rich bar on a terminal, one line a minute otherwise
    runner.py     wires them: pair, align what the journal lacks, then write everything

Alignment happens per document and is journaled before any filter runs, so a re-run with other
filters (or after an interruption) aligns nothing twice; the corpus files are always rebuilt
from the journal in document-id order, so they are identical however the work was scheduled.
"""

from aligner.corpus.runner import BuildSettings, build_corpus

__all__ = ["BuildSettings", "build_corpus"]
