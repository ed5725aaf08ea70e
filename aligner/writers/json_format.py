"""The JSON alignment file: the lossless format that ``report`` and ``convert`` read back.

The schema is the contract in ``docs/architecture.md`` (version 1)::

    {"version": 1,
     "source": {"lang": "ar", "path": "a.txt", "sentences": [
      {"text": "...", "paragraph": 0, "line": 1}]},
     "target": {...},
     "skipped": [{"text": "@user", "line": 3, "reason": "..."}],  (only when lines were skipped)
     "model": "use-m-v3", "mode": "ordered",
     "aligner": {"version": "0.1.0", "settings": {...}},          (what produced the file)
     "links": [
      {"source": [0], "target": [0, 1], "score": 0.82, "confidence": 0.97, "flags": [...],
       "status": "..."}]}

``line`` is present when known, ``confidence`` when the aligner computed it, ``flags`` only
when non-empty, ``status`` only when set.

Layout: one sentence, skipped line or link per line (rather than ``indent=2``, which spreads
every index over its own line). The file stays valid JSON, is about five times shorter, and a
review shows up in ``git diff`` as one changed line per changed link. Output is deterministic:
keys in a fixed order, settings sorted, scores rounded to 4 decimals.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from aligner.errors import FormatError
from aligner.types import Alignment, Link, Sentence, Side, Skipped

VERSION = 1
_HINT = "the file must be an alignment written by 'aligner align -f json'"


def write(alignment: Alignment, stream: TextIO) -> None:
    """Write ``alignment`` as schema version 1, streaming one row at a time."""
    stream.write(f'{{"version": {VERSION}')
    for name, side in (("source", alignment.source), ("target", alignment.target)):
        head = _dumps({"lang": side.lang, "path": side.path})[:-1]  # left open for sentences
        stream.write(f',\n "{name}": {head}, "sentences": ')
        _write_rows(stream, (_sentence_row(s) for s in side.sentences))
        stream.write("}")
    if alignment.skipped:
        stream.write(',\n "skipped": ')
        _write_rows(stream, (_skipped_row(s) for s in alignment.skipped))
    stream.write(f',\n "model": {_dumps(alignment.model)}, "mode": {_dumps(alignment.mode)}')
    stream.write(f',\n "aligner": {_dumps(_producer(alignment), sort_keys=True)}')
    stream.write(',\n "links": ')
    _write_rows(stream, (_link_row(link) for link in alignment.links))
    stream.write("}\n")


def _write_rows(stream: TextIO, rows: Iterable[dict[str, Any]]) -> None:
    separator = "[\n  "
    for row in rows:
        stream.write(separator + _dumps(row))
        separator = ",\n  "
    stream.write("[]" if separator == "[\n  " else "]")


def _dumps(value: object, *, sort_keys: bool = False) -> str:
    # default=str: settings may hold paths or other small values; they are recorded as text.
    return json.dumps(value, ensure_ascii=False, allow_nan=False, sort_keys=sort_keys, default=str)


def _sentence_row(sentence: Sentence) -> dict[str, Any]:
    row: dict[str, Any] = {"text": sentence.text, "paragraph": sentence.paragraph}
    if sentence.line is not None:
        row["line"] = sentence.line
    return row


def _skipped_row(skipped: Skipped) -> dict[str, Any]:
    return {"text": skipped.text, "line": skipped.line, "reason": skipped.reason}


def _link_row(link: Link) -> dict[str, Any]:
    score = None if link.score is None else round(link.score, 4)
    row: dict[str, Any] = {"source": list(link.source), "target": list(link.target)}
    row["score"] = score
    if link.confidence is not None:
        row["confidence"] = round(link.confidence, 3)
    if link.flags:
        row["flags"] = list(link.flags)
    if link.status is not None:
        row["status"] = link.status
    return row


def _producer(alignment: Alignment) -> dict[str, Any]:
    from aligner import __version__  # here, not at import: aligner/__init__ may import writers

    return {"version": __version__, "settings": alignment.settings}


# ---- reading -------------------------------------------------------------------------------


def read(stream: TextIO, path_for_errors: str | None) -> Alignment:
    """Parse and check an alignment file; the inverse of :func:`write`.

    Raises:
        FormatError: on invalid JSON (with its line and column), a missing or mistyped key,
            an unknown version or a link index outside its side, naming where in the file.
    """
    path = path_for_errors
    try:
        doc = json.load(stream)
    except json.JSONDecodeError as err:
        where = f"line {err.lineno}, column {err.colno}"
        raise FormatError(f"not valid JSON: {err.msg} ({where})", path=path, hint=_HINT) from err
    except UnicodeDecodeError as err:
        raise FormatError("not UTF-8 text", path=path, hint=_HINT) from err
    return _alignment(_Checker(path), doc)


class _Checker:
    """Typed access to parsed JSON that raises :class:`FormatError` naming the JSON path."""

    def __init__(self, path: str | None):
        self.path = path

    def fail(self, where: str, message: str) -> FormatError:
        return FormatError(f"{where}: {message}", path=self.path, hint=_HINT)

    def object(self, value: object, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, f"expected an object, got {_kind(value)}")
        return value

    def get(
        self, obj: dict[str, Any], key: str, kind: str, where: str, *, optional: bool = False
    ) -> Any:
        """``obj[key]`` checked against ``kind`` (a ``_KINDS`` key); absent → None if optional."""
        if key not in obj:
            if optional:
                return None
            raise self.fail(where, f"missing key {key!r}")
        value = obj[key]
        if not _KINDS[kind](value) and not (optional and value is None):
            raise self.fail(f"{where}.{key}", f"expected {kind}, got {_kind(value)}")
        return value


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


_KINDS = {
    "a string": lambda v: isinstance(v, str),
    "a string or null": lambda v: v is None or isinstance(v, str),
    "an integer >= 0": lambda v: _is_int(v) and v >= 0,
    "a number or null": lambda v: v is None or _is_int(v) or isinstance(v, float),
    "a number between 0 and 1": lambda v: (_is_int(v) or isinstance(v, float)) and 0 <= v <= 1,
    "a list": lambda v: isinstance(v, list),
    "an object": lambda v: isinstance(v, dict),
    "a list of strings": lambda v: isinstance(v, list) and all(isinstance(s, str) for s in v),
}


def _kind(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}
    return "null" if value is None else names.get(type(value), repr(value))


def _alignment(check: _Checker, doc: object) -> Alignment:
    doc = check.object(doc, "top level")
    version = check.get(doc, "version", "an integer >= 0", "top level")
    if version != VERSION:
        raise check.fail("version", f"version {version} is not supported (expected {VERSION})")
    source = _side(check, doc, "source")
    target = _side(check, doc, "target")
    links = check.get(doc, "links", "a list", "top level")
    producer = check.get(doc, "aligner", "an object", "top level", optional=True) or {}
    settings = check.get(producer, "settings", "an object", "aligner", optional=True)
    return Alignment(
        source=source,
        target=target,
        links=tuple(
            _link(check, row, f"links[{i}]", source, target) for i, row in enumerate(links)
        ),
        model=check.get(doc, "model", "a string", "top level"),
        mode=check.get(doc, "mode", "a string", "top level"),
        skipped=_all_skipped(check, doc),
        settings=settings or {},
    )


def _side(check: _Checker, doc: dict[str, Any], name: str) -> Side:
    side = check.object(check.get(doc, name, "an object", "top level"), name)
    rows = check.get(side, "sentences", "a list", name)
    sentences = tuple(_sentence(check, row, f"{name}.sentences[{i}]") for i, row in enumerate(rows))
    return Side(
        lang=check.get(side, "lang", "a string", name),
        path=check.get(side, "path", "a string or null", name),
        sentences=sentences,
    )


def _sentence(check: _Checker, row: object, where: str) -> Sentence:
    row = check.object(row, where)
    return Sentence(
        text=check.get(row, "text", "a string", where),
        paragraph=check.get(row, "paragraph", "an integer >= 0", where),
        line=check.get(row, "line", "an integer >= 0", where, optional=True),
    )


def _all_skipped(check: _Checker, doc: dict[str, Any]) -> tuple[Skipped, ...]:
    rows = check.get(doc, "skipped", "a list", "top level", optional=True) or []
    skipped = []
    for i, row in enumerate(rows):
        where = f"skipped[{i}]"
        row = check.object(row, where)
        text = check.get(row, "text", "a string", where)
        line = check.get(row, "line", "an integer >= 0", where)
        skipped.append(Skipped(text, line, check.get(row, "reason", "a string", where)))
    return tuple(skipped)


def _link(check: _Checker, row: object, where: str, source: Side, target: Side) -> Link:
    row = check.object(row, where)
    flags = check.get(row, "flags", "a list of strings", where, optional=True) or []
    score = check.get(row, "score", "a number or null", where)
    return Link(
        source=_indices(check, row, "source", where, len(source.sentences)),
        target=_indices(check, row, "target", where, len(target.sentences)),
        score=None if score is None else float(score),
        flags=tuple(flags),
        status=check.get(row, "status", "a string or null", where, optional=True),
        confidence=_confidence(check, row, where),
    )


def _confidence(check: _Checker, row: dict[str, Any], where: str) -> float | None:
    value = check.get(row, "confidence", "a number between 0 and 1", where, optional=True)
    return None if value is None else float(value)


def _indices(check: _Checker, row: dict[str, Any], key: str, where: str, size: int) -> tuple:
    values = check.get(row, key, "a list", where)
    for i, value in enumerate(values):
        if not _is_int(value) or not 0 <= value < size:
            message = f"index {value!r} is outside the {size} sentences of the {key} side"
            raise check.fail(f"{where}.{key}[{i}]", message)
    return tuple(values)
