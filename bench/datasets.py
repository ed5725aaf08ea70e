"""Gold-aligned documents for the benchmarks, rebuilt from ../shared/data (seeded, deterministic).

FLORES-200 is sentence-parallel by construction; documents are its URL groups, concatenated
into longer ones, then edited into families that look like real work: merged sentences,
omissions and translator additions, one-sided web junk. Each document is a list of *units*
(Arabic sentences, French sentences); a unit becomes one gold link.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from aligner.evaluate import read_vecalign

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
if not DATA.exists():
    DATA = Path("/work/shared/data")

Unit = tuple[list[str], list[str]]

JUNK = [
    "Lire aussi", "Partager sur Facebook", "Crédit photo : AFP", "@AFPfr", "12h30",
    "Publié le 3 mars 2021 à 10h05", "www.lemonde.fr", "Abonnez-vous", "Photo : Reuters",
    "#Syrie", "Voir plus", "https://t.co/x7Gh2", "© 2020 Tous droits réservés",
]
JUNK_AR = ["اقرأ أيضا", "شارك على فيسبوك", "@AJArabic", "١٢:٣٠", "تصوير: رويترز", "#سوريا"]


@dataclass(frozen=True)
class GoldDoc:
    name: str
    src: list[str]
    tgt: list[str]
    gold: list[tuple[tuple[int, ...], tuple[int, ...]]]


def flores_groups(split: str) -> list[list[Unit]]:
    """FLORES-200 ``dev`` or ``devtest`` as URL groups of 1-1 units."""
    folder = DATA / "flores200-ar-fr"
    ar = (folder / split / f"arb_Arab.{split}").read_text(encoding="utf-8").splitlines()
    fr = (folder / split / f"fra_Latn.{split}").read_text(encoding="utf-8").splitlines()
    urls = [row.split("\t")[0] for row in
            (folder / f"metadata_{split}.tsv").read_text(encoding="utf-8").splitlines()[1:]]
    groups: list[list[Unit]] = []
    for k, (a, f, url) in enumerate(zip(ar, fr, urls, strict=True)):
        if k == 0 or url != urls[k - 1]:
            groups.append([])
        groups[-1].append(([a], [f]))
    return groups


def flores_documents(split: str, size: int = 40, seed: int = 1) -> list[list[Unit]]:
    """URL groups concatenated into documents of about ``size`` sentences."""
    groups = flores_groups(split)
    random.Random(seed).shuffle(groups)
    docs: list[list[Unit]] = [[]]
    for group in groups:
        if len(docs[-1]) >= size:
            docs.append([])
        docs[-1].extend(group)
    return docs


def merge(units: list[Unit], rng: random.Random, rate: float, side: str = "both",
          triples: float = 0.25) -> list[Unit]:
    """Join 2-3 consecutive sentences into one on one side (gold 1-2, 2-1, 1-3…); ``triples``
    is the share of joins that take three."""
    out: list[Unit] = []
    k = 0
    while k < len(units):
        if rng.random() < rate and k + 1 < len(units) and units[k][0] and units[k][1]:
            size = 3 if rng.random() < triples and k + 2 < len(units) else 2
            group = [u for u in units[k:k + size] if u[0] and u[1]]
            ar = [s for u in group for s in u[0]]
            fr = [s for u in group for s in u[1]]
            on_fr = side == "fr" or (side == "both" and rng.random() < 0.5)
            out.append((ar, [" ".join(fr)]) if on_fr else ([" ".join(ar)], fr))
            k += size
        else:
            out.append(units[k])
            k += 1
    return out


def omit_insert(units: list[Unit], rng: random.Random, rate: float,
                pool: list[Unit]) -> list[Unit]:
    """Drop one side of some units (omissions) and insert unrelated one-sided sentences."""
    out: list[Unit] = []
    for unit in units:
        r = rng.random()
        if r < rate / 2:
            out.append((unit[0], []))
        elif r < rate:
            out.append(([], unit[1]))
        else:
            out.append(unit)
        if rng.random() < rate:
            extra = rng.choice(pool)
            out.append((extra[0], []) if rng.random() < 0.5 else ([], extra[1]))
    return out


def add_noise(units: list[Unit], rng: random.Random, rate: float) -> list[Unit]:
    """One-sided web junk lines (credits, "Lire aussi", handles, dates, URLs)."""
    out: list[Unit] = []
    for unit in units:
        if rng.random() < rate:
            fr_side = rng.random() < 0.7
            out.append(([], [rng.choice(JUNK)]) if fr_side else ([rng.choice(JUNK_AR)], []))
        out.append(unit)
    return out


def to_gold(name: str, units: list[Unit]) -> GoldDoc:
    src: list[str] = []
    tgt: list[str] = []
    gold = []
    for ar, fr in units:
        s = tuple(range(len(src), len(src) + len(ar)))
        t = tuple(range(len(tgt), len(tgt) + len(fr)))
        src.extend(ar)
        tgt.extend(fr)
        gold.append((s, t))
    return GoldDoc(name, src, tgt, gold)


FAMILIES = ("clean", "merge", "omit_insert", "noise", "hard")


def flores_family(split: str, family: str, seed: int = 7) -> list[GoldDoc]:
    """One family of edited FLORES documents (see the module docstring)."""
    rng = random.Random(f"{seed}-{family}")
    docs = flores_documents(split)
    pool = [u for g in flores_groups("dev" if split == "devtest" else "devtest") for u in g]
    out = []
    for k, units in enumerate(docs):
        if family in ("merge", "hard"):
            units = merge(units, rng, 0.15)
        if family in ("omit_insert", "hard"):
            units = omit_insert(units, rng, 0.08, pool)
        if family in ("noise", "hard"):
            units = add_noise(units, rng, 0.1)
        out.append(to_gold(f"{family}-{k}", units))
    return out


def flores_shuffled(split: str, seed: int = 7) -> list[GoldDoc]:
    """Documents whose French paragraphs (URL groups) come in another order than the Arabic."""
    rng = random.Random(f"{seed}-shuffled")
    groups = flores_groups(split)
    random.Random(seed).shuffle(groups)
    docs = []
    for k in range(0, len(groups) - 7, 8):
        chosen = groups[k:k + 8]
        order = list(range(len(chosen)))
        rng.shuffle(order)
        src = [s for g in chosen for u in g for s in u[0]]
        starts = {}
        tgt: list[str] = []
        for g in order:
            starts[g] = len(tgt)
            tgt += [s for u in chosen[g] for s in u[1]]
        gold, row = [], 0
        for g, units in enumerate(chosen):
            for n, _ in enumerate(units):
                gold.append(((row,), (starts[g] + n,)))
                row += 1
        docs.append(GoldDoc(f"shuffled-{k}", src, tgt, gold))
    return docs


def flores_merged_fr(split: str, seed: int = 7) -> list[GoldDoc]:
    """The issue-2 check: ~15 % of consecutive French sentences merged."""
    rng = random.Random(seed)
    return [to_gold(f"merge-fr-{k}", merge(units, rng, 0.15, side="fr"))
            for k, units in enumerate(flores_documents(split))]


def flores_merge_del(split: str, seed: int = 7) -> list[GoldDoc]:
    """The peers' ``merge+del`` documents, built the way ../shared/PEERS.md describes them:
    about 20 % of adjacent French pairs joined into one line, then one side dropped from some
    links, about 13 Arabic-only and 22 French-only lines over the 25 documents (the measured
    Bertalign figure to compare with is 0.981 strict)."""
    rng = random.Random(f"{seed}-merge_del")
    out = []
    for k, units in enumerate(flores_documents(split)):
        units = merge(units, rng, 0.2, side="fr", triples=0.0)
        edited: list[Unit] = []
        for unit in units:
            r = rng.random()
            two_sided = bool(unit[0] and unit[1])
            if two_sided and r < 0.013:
                edited.append((unit[0], []))
            elif two_sided and r < 0.035:
                edited.append(([], unit[1]))
            else:
                edited.append(unit)
        out.append(to_gold(f"merge_del-{k}", edited))
    return out


def unpc_shuffled(split: str, seed: int = 7) -> list[GoldDoc]:
    """The UN corpus dev set as one list of sentences a side, the French shuffled: sentence
    matching with no order to lean on, among look-alike UN boilerplate. Its first 2000 pairs
    are the ``dev`` document, the last 2000 the ``test`` one (the corpus's own test set is
    held back)."""
    folder = DATA / "unpc-ar-fr"
    ar = (folder / "UNv1.0.devset.ar").read_text(encoding="utf-8").splitlines()
    fr = (folder / "UNv1.0.devset.fr").read_text(encoding="utf-8").splitlines()
    half = slice(0, 2000) if split == "dev" else slice(2000, 4000)
    ar, fr = ar[half], fr[half]
    order = list(range(len(fr)))
    random.Random(seed).shuffle(order)
    position = {k: p for p, k in enumerate(order)}
    gold = [((k,), (position[k],)) for k in range(len(ar))]
    return [GoldDoc(f"unpc-shuffled-{split}", ar, [fr[k] for k in order], gold)]


def textberg(split: str) -> list[GoldDoc]:
    """Text+Berg de-fr: ``dev`` (one document) or ``test`` (seven), with human gold links."""
    folder = DATA / "textberg-de-fr"
    names = ["dev"] if split == "dev" else [f"test{k}" for k in range(7)]
    docs = []
    for name in names:
        src = (folder / f"{name}.de").read_text(encoding="utf-8").splitlines()
        tgt = (folder / f"{name}.fr").read_text(encoding="utf-8").splitlines()
        gold = read_vecalign(str(folder / f"{name}.defr"))
        docs.append(GoldDoc(name, src, tgt, gold))
    return docs


MAC = Path(__file__).resolve().parent / "data" / "mac"
"""MAC-Test from Bertalign's repository, extracted by bench/get_mac.py (not in git)."""


def mac(split: str) -> list[GoldDoc]:
    """MAC-Test zh-en literary chapters with human gold links, split by book: ``dev`` books 1-3
    (chapters 001-012), ``test`` books 4-6 (013-024). Empty when bench/get_mac.py has not
    been run, so the suites that use it are skipped rather than failing."""
    chapters = range(1, 13) if split == "dev" else range(13, 25)
    if not (MAC / "001.align").exists():
        return []
    docs = []
    for k in chapters:
        src = (MAC / f"{k:03d}.zh").read_text(encoding="utf-8").splitlines()
        tgt = (MAC / f"{k:03d}.en").read_text(encoding="utf-8").splitlines()
        gold = read_vecalign(str(MAC / f"{k:03d}.align"))
        docs.append(GoldDoc(f"mac-{k:03d}", src, tgt, gold))
    return docs
