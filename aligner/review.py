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


def read_alignment(path: str) -> Alignment:
    """An alignment JSON file (``aligner align -f json``, or a report's export), flags fresh.

    Raises:
        InputError: the file cannot be read.
        FormatError: it is not an alignment file, or a link has an unknown status.
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
    return flag_alignment(alignment)


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
