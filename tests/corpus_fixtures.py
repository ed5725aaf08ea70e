"""Document pairs for the build tests: FLORES dev articles grouped by URL (real translations).

Falls back to the repository's excerpt of FLORES dev (tests/data) when the shared data is absent.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def flores_documents(count: int) -> list[tuple[list[str], list[str]]]:
    """The first ``count`` FLORES dev articles: (Arabic sentences, French sentences)."""
    ar = (DATA / "flores_dev_excerpt.arb_Arab").read_text(encoding="utf-8").splitlines()
    fr = (DATA / "flores_dev_excerpt.fra_Latn").read_text(encoding="utf-8").splitlines()
    meta = (DATA / "flores_dev_excerpt.metadata.tsv").read_text(encoding="utf-8").splitlines()
    urls = [line.split("\t")[0] for line in meta[1:]]
    docs: OrderedDict[str, tuple[list[str], list[str]]] = OrderedDict()
    for url, a, f in zip(urls, ar, fr, strict=True):
        docs.setdefault(url, ([], []))
        docs[url][0].append(a)
        docs[url][1].append(f)
    found = list(docs.values())
    assert len(found) >= count, f"only {len(found)} documents in the excerpt"
    return found[:count]


def write_pairs(folder: Path, count: int, *, start: int = 0) -> list[str]:
    """``docNNN.ar.txt`` + ``docNNN.fr.txt`` (one paragraph per two sentences); the ids."""
    folder.mkdir(parents=True, exist_ok=True)
    ids = []
    for k, (ar, fr) in enumerate(flores_documents(start + count)[start:], start=start):
        doc_id = f"doc{k:03d}"
        for lang, sentences in (("ar", ar), ("fr", fr)):
            paragraphs = [" ".join(sentences[i:i + 2]) for i in range(0, len(sentences), 2)]
            (folder / f"{doc_id}.{lang}.txt").write_text("\n\n".join(paragraphs) + "\n",
                                                          encoding="utf-8")
        ids.append(doc_id)
    return ids
