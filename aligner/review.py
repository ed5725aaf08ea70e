"""Reading a (reviewed) alignment back, and preparing it for ``report`` and ``convert``.

A reviewed file is the JSON schema with a ``status`` per link: ``accepted``, ``rejected`` or
``edited`` (a link the reviewer built by merging, splitting or moving sentences). Flags are
recomputed on reading (they are derived from the texts, and an edited link has new texts).
"""

from __future__ import annotations

from dataclasses import replace

from aligner.errors import FormatError, InputError
from aligner.flags import flag_alignment
from aligner.types import Alignment, Link
from aligner.writers import json_format

STATUSES = ("accepted", "rejected", "edited")
KEPT = frozenset({"accepted", "edited"})
"""The reviewer's own decisions: what ``--accepted-only`` and ``--anchors`` keep."""
LOSSLESS = frozenset({"json", "html"})


def read_alignment(path: str, *, whole: bool = True, repeats: bool = False) -> Alignment:
    """An alignment JSON file (``aligner align -f json``, or a report's export), flags fresh.

    ``whole``: every sentence must be in exactly one link (what ``convert`` writes out);
    ``--anchors`` reads only the kept links and re-aligns the rest, so it passes False.
    ``repeats``: a sentence may be in two links (``report`` shows a hand-edited file so, each
    such link flagged ``linked-twice`` for the reviewer to fix); none may be missing.

    Raises:
        InputError: the file cannot be read.
        FormatError: it is not an alignment file, a link has an unknown status, or a sentence
            is in no link or in two.
    """
    try:
        with open(path, encoding="utf-8") as stream:
            alignment = json_format.read(stream, path)
    except UnicodeDecodeError as err:
        raise FormatError("not UTF-8 text", path=path,
                          hint="give a file written by 'aligner align -f json'") from err
    except OSError as err:
        reason = (err.strerror or type(err).__name__).lower()
        raise InputError(f"cannot read ({reason})", path=path,
                         hint="check the path of the alignment file") from err
    for k, link in enumerate(alignment.links):
        if link.status is not None and link.status not in STATUSES:
            raise FormatError(f"links[{k}].status: unknown status {link.status!r}", path=path,
                              hint=f"a status is one of {', '.join(STATUSES)}")
    if whole:
        _check_coverage(alignment, path, repeats)
    return flag_alignment(alignment)


def _check_coverage(alignment: Alignment, path: str, repeats: bool = False) -> None:
    """Every sentence of each side in exactly one link (at least one with ``repeats``), else a
    FormatError naming the first one that is not: a deleted link would silently drop its
    sentences from a TSV, a duplicated one would write them twice."""
    for name, side, spans in (("source", alignment.source, [lk.source for lk in alignment.links]),
                              ("target", alignment.target, [lk.target for lk in alignment.links])):
        first: dict[int, int] = {}
        for k, span in enumerate(spans):
            for i in span:
                if i in first and (first[i] == k or not repeats):
                    where = (f"twice in links[{k}]" if first[i] == k else
                             f"in two links (links[{first[i]}] and links[{k}])")
                    raise FormatError(f"{name} sentence {i} is {where}", path=path,
                                      hint=_COVERAGE_HINT)
                first.setdefault(i, k)
        missing = next((i for i in range(len(side.sentences)) if i not in first), None)
        if missing is not None:
            raise FormatError(f"{name} sentence {missing} is in no link", path=path,
                              hint=_COVERAGE_HINT)


_COVERAGE_HINT = ("every sentence must be in exactly one link (one-sided when unlinked); "
                  "export the review again, or re-run 'aligner align -f json'")


def for_output(alignment: Alignment, fmt: str, *, accepted_only: bool = False) -> Alignment:
    """The alignment as ``convert`` writes it in ``fmt``.

    ``accepted_only`` keeps the links the reviewer accepted or built (``edited``). Otherwise
    every link is kept, except that in the corpus formats (all but json and html) a rejected
    link is split into one-sided links: its pairing is known to be wrong, and each of its
    sentences is still accounted for.
    """
    links: list[Link] = []
    for link in alignment.links:
        if accepted_only:
            if link.status in KEPT:
                links.append(link)
        elif link.status == "rejected" and fmt not in LOSSLESS:
            links.extend(Link((i,), (), None, status="rejected") for i in link.source)
            links.extend(Link((), (j,), None, status="rejected") for j in link.target)
        else:
            links.append(link)
    return flag_alignment(replace(alignment, links=tuple(links)))
