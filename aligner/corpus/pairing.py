"""Which Arabic file goes with which French file.

- **Names**: in a folder, ``report.ar.docx`` pairs with ``report.fr.pdf`` (same folder, same
  stem, the language code just before the suffix); or a folder with ``ar/`` and ``fr/``
  subfolders pairs files with the same relative path without suffix (``ar/x/report.docx`` with
  ``fr/x/report.html``). The document id is that relative stem (``x/report``).
- **Manifest**: a ``.tsv`` file of ``id<TAB>arabic path<TAB>french path`` lines (paths relative
  to the manifest; an optional header line starting with ``id``).
- **Content** (``--pair-by content``): the documents left over by the rules above are paired by
  the cosine of their document vectors (the mean of their first sentences' vectors), greedily
  from the most similar pair, one to one, down to :data:`MIN_PAIR_SCORE`.

Files that end up without a partner are returned as :class:`Unpaired` so that they are
reported, never silently dropped. Files with no language code in a flat folder (a README)
are ignored by name pairing, and counted in ``stats.json``; content pairing considers them.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from aligner.errors import InputError
from aligner.readers import SUFFIXES

MIN_PAIR_SCORE = 0.5
"""Below this document-vector cosine, two documents are not taken as translations."""
PAIR_SENTENCES = 64
"""Sentences per document that make its vector: enough for the topic, cheap to embed."""


@dataclass(frozen=True, slots=True)
class Pair:
    """One document pair; ``how`` is ``name``, ``folder``, ``manifest`` or ``content``."""

    id: str
    src: str
    tgt: str
    how: str = "name"
    score: float | None = None


@dataclass(frozen=True, slots=True)
class Unpaired:
    path: str
    reason: str


@dataclass
class Pairing:
    pairs: list[Pair] = field(default_factory=list)
    unpaired: list[Unpaired] = field(default_factory=list)
    ignored: int = 0


@dataclass
class _Loose:
    """Documents a rule could not pair, by side: (id, path)."""

    src: list[tuple[str, str]] = field(default_factory=list)
    tgt: list[tuple[str, str]] = field(default_factory=list)
    unknown: list[tuple[str, str]] = field(default_factory=list)


def find_pairs(inputs: Sequence[str], src_lang: str, tgt_lang: str) -> tuple[Pairing, _Loose]:
    """Pairs from folders and manifests, and the documents no rule paired."""
    pairing, loose = Pairing(), _Loose()
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            _from_folder(path, src_lang, tgt_lang, pairing, loose)
        elif path.suffix.lower() == ".tsv" and path.is_file():
            pairing.pairs.extend(read_manifest(path))
        elif path.exists():
            raise InputError("is a file; build takes folders and .tsv manifests", path=item,
                             hint="give the folder holding the documents, or a manifest TSV")
        else:
            raise InputError("no such folder or manifest", path=item, hint="check the path")
    _check_unique(pairing.pairs)
    return pairing, loose


def finish_by_name(pairing: Pairing, loose: _Loose, src_lang: str, tgt_lang: str) -> Pairing:
    """Without content pairing, every loose document is reported as unpaired."""
    for lang, other, docs in ((src_lang, tgt_lang, loose.src), (tgt_lang, src_lang, loose.tgt)):
        pairing.unpaired.extend(Unpaired(path, f"no {other} counterpart for this {lang} file")
                                for _, path in docs)
    pairing.ignored += len(loose.unknown)  # no language code: not meant to be paired
    pairing.pairs.sort(key=lambda pair: pair.id)
    pairing.unpaired.sort(key=lambda item: item.path)
    return pairing


def read_manifest(path: Path) -> list[Pair]:
    """``id, src, tgt`` rows; relative paths are relative to the manifest's folder."""
    pairs = []
    with path.open(encoding="utf-8-sig", newline="") as stream:
        for number, row in enumerate(csv.reader(stream, delimiter="\t"), start=1):
            if not row or not "".join(row).strip() or row[0].startswith("#"):
                continue
            if number == 1 and row[0].strip().lower() == "id":
                continue
            if len(row) != 3 or not all(cell.strip() for cell in row):
                raise InputError(f"line {number}: expected 3 columns (id, source path, target "
                                 f"path), got {len(row)}", path=str(path),
                                 hint="one pair a line: id<TAB>ar/file.docx<TAB>fr/file.docx")
            doc_id, src, tgt = (cell.strip() for cell in row)
            pairs.append(Pair(doc_id, str(path.parent / src), str(path.parent / tgt),
                              "manifest"))
    return pairs


def _check_unique(pairs: list[Pair]) -> None:
    seen: dict[str, Pair] = {}
    for pair in pairs:
        if pair.id in seen:
            raise InputError(f"document id {pair.id!r} is used twice ({seen[pair.id].src} "
                             f"and {pair.src})", hint="give every pair its own id")
        seen[pair.id] = pair


def _documents(folder: Path) -> list[Path]:
    """Readable documents under ``folder`` (by suffix), hidden files and folders skipped."""
    known = {*SUFFIXES, ".text"}
    return sorted(p for p in folder.rglob("*") if p.is_file()
                  and not any(part.startswith(".") for part in p.relative_to(folder).parts)
                  and p.suffix.lower() in known)


def _from_folder(folder: Path, src_lang: str, tgt_lang: str, pairing: Pairing,
                 loose: _Loose) -> None:
    src_dir, tgt_dir = folder / src_lang, folder / tgt_lang
    if src_dir.is_dir() and tgt_dir.is_dir():
        prefix = f"{folder.name}/" if folder.name else ""
        src = {_stem(p.relative_to(src_dir)): p for p in _documents(src_dir)}
        tgt = {_stem(p.relative_to(tgt_dir)): p for p in _documents(tgt_dir)}
        _match(src, tgt, prefix, "folder", pairing, loose)
        return
    src, tgt = {}, {}
    for path in _documents(folder):
        parts = path.name.split(".")
        lang = parts[-2].lower() if len(parts) >= 3 else None
        key = str(path.relative_to(folder).with_name(".".join(parts[:-2]) or "_"))
        if lang == src_lang:
            src[key] = path
        elif lang == tgt_lang:
            tgt[key] = path
        else:
            loose.unknown.append((_stem(path.relative_to(folder)), str(path)))
    _match(src, tgt, "", "name", pairing, loose)


def _stem(relative: Path) -> str:
    return str(relative.with_suffix(""))


def _match(src: dict[str, Path], tgt: dict[str, Path], prefix: str, how: str,
           pairing: Pairing, loose: _Loose) -> None:
    for key in sorted(src.keys() & tgt.keys()):
        pairing.pairs.append(Pair(prefix + key, str(src[key]), str(tgt[key]), how))
    loose.src.extend((prefix + k, str(src[k])) for k in sorted(src.keys() - tgt.keys()))
    loose.tgt.extend((prefix + k, str(tgt[k])) for k in sorted(tgt.keys() - src.keys()))


DocVector = Callable[[str, str], "np.ndarray | None"]
"""``vector(path, lang)``: a document's unit vector, or None when it cannot be read."""


def pair_by_content(pairing: Pairing, loose: _Loose, vector: DocVector,
                    detect: Callable[[str], str | None], src_lang: str,
                    tgt_lang: str) -> Pairing:
    """Pair the loose documents by content; those left over are reported as unpaired."""
    for doc_id, path in loose.unknown:
        lang = detect(path)
        if lang == src_lang:
            loose.src.append((doc_id, path))
        elif lang == tgt_lang:
            loose.tgt.append((doc_id, path))
        else:
            pairing.unpaired.append(Unpaired(path, "neither language, or unreadable"))
    loose.unknown = []
    src = [(i, p, vector(p, src_lang)) for i, p in loose.src]
    tgt = [(i, p, vector(p, tgt_lang)) for i, p in loose.tgt]
    for side in (src, tgt):
        pairing.unpaired.extend(Unpaired(p, "unreadable, so not paired by content")
                                for _, p, v in side if v is None)
    src = [s for s in src if s[2] is not None]
    tgt = [t for t in tgt if t[2] is not None]
    used_src, used_tgt = set(), set()
    if src and tgt:
        scores = np.stack([s[2] for s in src]) @ np.stack([t[2] for t in tgt]).T
        order = np.argsort(-scores, axis=None, kind="stable")
        for flat in order:
            i, j = divmod(int(flat), len(tgt))
            if scores[i, j] < MIN_PAIR_SCORE:
                break
            if i in used_src or j in used_tgt:
                continue
            used_src.add(i)
            used_tgt.add(j)
            pairing.pairs.append(Pair(src[i][0], src[i][1], tgt[j][1], "content",
                                      round(float(scores[i, j]), 4)))
    for lang, other, side, used in ((src_lang, tgt_lang, src, used_src),
                                    (tgt_lang, src_lang, tgt, used_tgt)):
        pairing.unpaired.extend(
            Unpaired(p, f"no {other} document similar enough to this {lang} file "
                        f"(cosine ≥ {MIN_PAIR_SCORE})")
            for k, (_, p, _) in enumerate(side) if k not in used)
    _check_unique(pairing.pairs)
    return finish_by_name(pairing, _Loose(), src_lang, tgt_lang)
