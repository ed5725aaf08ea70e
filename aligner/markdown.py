"""Markdown to plain lines, line by line so that line numbers survive.

Headings and list items become paragraphs of their own; links keep their text, images and
footnote references go, emphasis, tags, entities and escapes are removed; code keeps its text
verbatim. Every pattern runs in linear time, even on hostile lines.
"""

from __future__ import annotations

import html
import re

# Each function maps one line to entries ``(line number, text or None)`` for group_lines;
# ``None`` ends the current paragraph.
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_ATX_HEADING = re.compile(r"^\s{0,3}#{1,6}(?:\s+(.*?))?(?:\s+#+)?\s*$")
_RULE_OR_UNDERLINE = re.compile(r"^\s{0,3}(?:(?:[-*_]\s*){3,}|=+|-+)\s*$")
_LINK_DEFINITION = re.compile(r"^\s{0,3}\[[^\]^]+\]:\s*\S+")
_QUOTE = re.compile(r"^\s{0,3}>\s?")
_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)]|\[\^[^\]]+\]:)\s+(?:\[[ xX]\]\s+)?")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# Every pattern stops at the next delimiter of its kind, so a line with thousands of unclosed
# "_", "*", "[" or "`" is scanned in linear time, not quadratic.
_CODE_SPAN = re.compile(r"(`+)([^`]+)\1")
_LINKS = (  # images before links, footnote references before links
    (re.compile(r"!\[[^\[\]]*\](?:\([^()\s]*(?:\s+\"[^\"]*\")?\)|\[[^\[\]]*\])"), ""),
    (re.compile(r"\[\^[^\[\]]+\]"), ""),
    (re.compile(r"\[([^\[\]]*)\](?:\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"]*\")?\)"
                r"|\[[^\[\]]*\])"), r"\1"),
    (re.compile(r"<((?:https?|ftp)://[^<>\s]+|[^@\s<>]+@[^@\s<>]+)>"), r"\1"),
)
_MARKUP = (  # outside code spans; emphasis never inside a word for "_" (#الخوذ_البيضاء)
    (re.compile(r"</?[A-Za-z][^<>]*>"), ""),
    (re.compile(r"(?<![\\*])(\*{1,3})(?=[^\s*])([^*]+?)(?<=[^\s\\*])\1(?!\*)"), r"\2"),
    (re.compile(r"(?<![\w\\])(_{1,3})(?=[^\s_])([^_]+?)(?<=[^\s\\_])\1(?!\w)"), r"\2"),
    (re.compile(r"~~(?=[^\s~])([^~]+?)(?<=[^\s~])~~"), r"\1"),
)
_ENTITY = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z]+\d*);")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])|(?<!\\)\\$")


def _strip_inline(text: str) -> str:
    """Remove inline Markdown (links, images, emphasis, code ticks, tags, escapes)."""
    for pattern, repl in _LINKS:
        text = pattern.sub(repl, text)
    pieces, pos = [], 0
    for span in _CODE_SPAN.finditer(text):
        pieces += [_strip_markup(text[pos:span.start()]), span.group(2)]
        pos = span.end()
    return "".join([*pieces, _strip_markup(text[pos:])])


def _strip_markup(text: str) -> str:
    """Emphasis and tags (repeated for nesting), then entities and backslash escapes."""
    for _ in range(3):
        before = text
        for pattern, repl in _MARKUP:
            text = pattern.sub(repl, text)
        if text == before:
            break
    text = _ENTITY.sub(lambda m: html.unescape(m.group()), text)
    return _ESCAPE.sub(lambda m: m.group(1) or "", text)


def _markdown_line(number: int, line: str) -> list[tuple[int, str | None]]:
    """One line outside code fences; headings and list items get a paragraph of their own."""
    if not line.strip() or _RULE_OR_UNDERLINE.match(line) or _LINK_DEFINITION.match(line):
        return [(number, None)]
    while quote := _QUOTE.match(line):
        line = line[quote.end():]
    if heading := _ATX_HEADING.match(line):
        return [(number, None), (number, _strip_inline(heading.group(1) or "")), (number, None)]
    if item := _ITEM.match(line):
        return [(number, None), (number, _strip_inline(line[item.end():]))]
    return [(number, _strip_inline(line))]


def _front_matter_end(lines: list[str]) -> int:
    """Number of lines taken by a YAML front-matter block (``---`` … ``---``), else 0."""
    if lines and lines[0].strip() == "---":
        for index, line in enumerate(lines[1:200], start=1):
            if line.strip() in ("---", "..."):
                return index + 1
    return 0


def markdown_lines(text: str) -> list[tuple[int, str | None]]:
    """Numbered lines of a Markdown text with the syntax removed (code kept verbatim)."""
    text = _HTML_COMMENT.sub(lambda m: "\n" * m.group().count("\n"), text)
    lines = text.split("\n")
    entries: list[tuple[int, str | None]] = []
    fence = ""
    skip = _front_matter_end(lines)
    for number, line in enumerate(lines, start=1):
        marker = _FENCE.match(line)
        if number <= skip:
            entries.append((number, None))
        elif fence:
            closes = marker and marker.group(1)[0] == fence[0] and marker.group(1) >= fence
            entries.append((number, None if closes else line))
            fence = "" if closes else fence
        elif marker:
            fence = marker.group(1)
            entries.append((number, None))
        else:
            entries.extend(_markdown_line(number, line))
    return entries
