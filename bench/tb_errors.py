"""Where the ordered aligner goes wrong on a gold document: wrong links grouped and classified.

    python bench/tb_errors.py --vector-cache /tmp/tb-vectors          # Text+Berg dev
    python bench/tb_errors.py --split test --quiet                     # counts only

Gold and predicted links that share a sentence form one *error group* (a connected
component of the overlap graph) unless the group is a single exact match. Each group gets a
class from its shape (e.g. ``under-merge``: one gold n-m link found as smaller pieces;
``over-merge``: several gold links found as one merge; ``missed one-sided``: a gold 0-1/1-0
glued into a merge or linked; ``spurious one-sided``: the aligner left out a sentence the gold
links), and each group's texts are printed with the real cosines of both readings, so the
biggest class says whether the scoring or the candidates are at fault.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from datasets import GoldDoc, textberg
from tune_gain import parse_value
from vector_cache import DiskCachedEncoder

from aligner.align import align_sentences, ordered
from aligner.align.band import band_around, full_band
from aligner.align.firstpass import cell_similarity, first_path
from aligner.align.scoring import Params, link_gain
from aligner.embed import EmbeddingStore, load_encoder

Pair = tuple[tuple[int, ...], tuple[int, ...]]


def groups(pred: list[Pair], gold: list[Pair]) -> list[tuple[list[Pair], list[Pair]]]:
    """Connected components of gold and predicted links that share a sentence, minus exact
    matches: ``[(gold links, predicted links)]`` in document order."""
    exact = set(pred) & set(gold)
    owner: dict[tuple[str, int], list[tuple[str, int]]] = {}
    nodes = [("g", k) for k, link in enumerate(gold) if link not in exact] + [
        ("p", k) for k, link in enumerate(pred) if link not in exact]
    links = {"g": gold, "p": pred}
    for node in nodes:
        s, t = links[node[0]][node[1]]
        for i in s:
            owner.setdefault(("s", i), []).append(node)
        for j in t:
            owner.setdefault(("t", j), []).append(node)
    parent = {node: node for node in nodes}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for members in owner.values():
        for other in members[1:]:
            parent[find(other)] = find(members[0])
    comps: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for node in nodes:
        comps.setdefault(find(node), []).append(node)
    out = []
    for members in comps.values():
        g = sorted(gold[k] for kind, k in members if kind == "g")
        p = sorted(pred[k] for kind, k in members if kind == "p")
        out.append((g, p))
    return sorted(out, key=lambda gp: _first(gp[0] + gp[1]))


def _first(links: list[Pair]) -> tuple[int, int]:
    return (min((s[0] for s, _ in links if s), default=10**9),
            min((t[0] for _, t in links if t), default=10**9))


def _kind(link: Pair) -> str:
    return f"{len(link[0])}-{len(link[1])}"


def classify(gold: list[Pair], pred: list[Pair]) -> str:
    """One class name for an error group, from its shape."""
    g_two = [g for g in gold if g[0] and g[1]]
    p_two = [p for p in pred if p[0] and p[1]]
    g_one = [g for g in gold if not (g[0] and g[1])]
    p_one = [p for p in pred if not (p[0] and p[1])]
    if len(g_two) == 1 and not g_one and len(pred) > 1:
        return "under-merge (gold merge found in pieces)"
    if len(p_two) == 1 and not p_one and len(gold) > 1:
        if g_one:
            return "missed one-sided (glued into a merge)"
        return "over-merge (gold links merged)"
    if g_one and not p_one:
        return "missed one-sided (linked)"
    if p_one and not g_one:
        return "spurious one-sided"
    if len(g_two) == len(p_two) == 1:
        return "wrong boundary (one link for one link)"
    return "mixed"


def link_cosine(link: Pair, doc: GoldDoc | ordered.Sides, store: EmbeddingStore
                ) -> float | None:
    s, t = link
    if not s or not t:
        return None
    vec = store.vectors([" ".join(doc.src[i] for i in s), " ".join(doc.tgt[j] for j in t)])
    return float(vec[0] @ vec[1])


class Scorer:
    """The gain the final pass gives any link of one document (as ``align_in_band`` computes
    it, over the full grid instead of the band), to see by how much a gold reading loses.
    Merges get their joined texts' real cosine."""

    def __init__(self, doc: GoldDoc, store: EmbeddingStore, params: Params):
        sides = ordered.prepare_sides(doc.src, doc.tgt, store)
        path = first_path(sides.src_vec, sides.tgt_vec, np.random.default_rng(0))
        band = band_around(path, len(doc.src), len(doc.tgt), params.band_radius)
        ratio_sims = cell_similarity(sides.src_vec, sides.tgt_vec, band)
        self.sides = ordered._with_ratio(sides, path, band, ratio_sims)
        self.band = full_band(len(doc.src), len(doc.tgt))
        self.sim11 = cell_similarity(self.sides.src_vec, self.sides.tgt_vec, self.band)
        self.norms = ordered._SpanNorms(self.sides, params.moves)
        self.store, self.params = store, params

    def gain(self, link: Pair) -> tuple[float, str]:
        s, t = link
        p = self.params
        if not s or not t:
            return p.skip * (len(s) + len(t)), ""
        a, b = len(s), len(t)
        end_i, end_j = np.array([s[-1] + 1]), np.array([t[-1] + 1])
        ends = ordered._Ends(self.sides, self.band, self.sim11, self.norms, end_i, end_j)
        agree = ordered._span_agreement(ends, a, b)
        evidence = ordered._number_term(ends, a, b, p.number_weight)
        if a == b == 1:
            sim = self.sim11[self.band.index(end_i, end_j)]
            gain = link_gain(p, sim, agree, 1, 1) + evidence
            return float(gain[0]), f"lp={agree[0]:.2f}"
        _, weakest = ordered._cheap_merge_similarity(ends, a, b)
        sim = np.array([link_cosine(link, self.sides, self.store)], dtype=np.float32)
        gain = link_gain(p, sim, agree, a, b) + evidence
        note = f"lp={agree[0]:.2f}"
        if (a, b) not in p.moves:
            note += " NOT-A-MOVE"
        if weakest[0] < p.part_floor:
            note += f" FLOOR({weakest[0]:.2f})"
        return float(gain[0]), note


def show(doc: GoldDoc, gold: list[Pair], pred: list[Pair], scorer: Scorer) -> None:
    for label, links in (("gold", gold), ("pred", pred)):
        parts, total = [], 0.0
        for link in links:
            sim = link_cosine(link, scorer.sides, scorer.store)
            gain, note = scorer.gain(link)
            total += gain
            parts.append(f"{_kind(link)} {list(link[0])}:{list(link[1])}"
                         + (f" cos={sim:.3f}" if sim is not None else "")
                         + f" g={gain:.3f} {note}".rstrip())
        print(f"  {label} [{total:+.3f}]: " + " | ".join(parts))
    src = sorted({i for s, _ in gold + pred for i in s})
    tgt = sorted({j for _, t in gold + pred for j in t})
    for i in src:
        print(f"    de{i}: {doc.src[i][:150]}")
    for j in tgt:
        print(f"    fr{j}: {doc.tgt[j][:150]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "test"), default="dev")
    parser.add_argument("--vector-cache", type=Path, metavar="DIR")
    parser.add_argument("--set", nargs="*", default=[], metavar="NAME=VALUE",
                        help="Params fields to change (as in bench/tune_gain.py)")
    parser.add_argument("--quiet", action="store_true", help="counts only, no texts")
    args = parser.parse_args()
    encoder = DiskCachedEncoder(args.vector_cache) if args.vector_cache else load_encoder()
    store = EmbeddingStore(encoder)
    params = dataclasses.replace(Params(), **{k: parse_value(v) for k, v in
                                              (s.split("=", 1) for s in args.set)})
    counts: Counter[str] = Counter()
    wrong_links: Counter[str] = Counter()
    for doc in textberg(args.split):
        links, _ = align_sentences(doc.src, doc.tgt, store, "ordered", params)
        pred = [(link.source, link.target) for link in links]
        scorer = Scorer(doc, store, params)
        gold = [(tuple(s), tuple(t)) for s, t in doc.gold]
        for g, p in groups(pred, gold):
            name = classify(g, p)
            counts[name] += 1
            wrong_links[name] += len(p)
            if not args.quiet:
                print(f"[{doc.name}] {name}")
                show(doc, g, p, scorer)
    print(f"\n{'class':45}{'groups':>7}{'wrong predicted links':>24}")
    for name, n in counts.most_common():
        print(f"{name:45}{n:>7}{wrong_links[name]:>24}")
    print(f"{'total':45}{sum(counts.values()):>7}{sum(wrong_links.values()):>24}")


if __name__ == "__main__":
    main()
