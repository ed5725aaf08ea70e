"""Block-level text of (X)HTML: what a reader would see as paragraphs, in document order."""

from __future__ import annotations

from lxml import etree
from lxml import html as lxml_html

from aligner.errors import FormatError

BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "td", "th",
                    "blockquote", "pre", "caption", "figcaption", "address", "div",
                    "section", "article", "aside", "header", "footer", "main", "body"})
_SKIP = frozenset({"script", "style", "noscript", "template", "head", "nav", "svg", "math"})


def element_blocks(root: etree._Element) -> list[str]:
    """Texts of block elements; text directly inside a container is a block of its own."""
    blocks: list[str] = []
    body = next(iter(root.iter("{*}body", "body")), root)
    _walk(body, blocks)
    return blocks


def _walk(element: etree._Element, blocks: list[str]) -> None:
    """Collect inline text into the current block; a nested block element starts a new one."""
    current: list[str] = []

    def flush() -> None:
        text = "".join(current).strip()
        if text:
            blocks.append(text)
        current.clear()

    if element.text:
        current.append(element.text)
    for child in element:
        tag = etree.QName(child).localname.lower() if isinstance(child.tag, str) else ""
        if tag in _SKIP:
            pass
        elif tag in BLOCKS:
            flush()
            _walk(child, blocks)
        elif tag == "br":
            current.append("\n")
        elif tag:
            current.append(_inline_text(child))
        if child.tail:
            current.append(child.tail)
    flush()


def _inline_text(element: etree._Element) -> str:
    parts = []
    for node in element.iter():
        if not isinstance(node.tag, str):
            continue
        name = etree.QName(node).localname.lower()
        if name == "br":
            parts.append("\n")
        elif node.text and name not in _SKIP:
            parts.append(node.text)
        if node is not element and node.tail:
            parts.append(node.tail)
    return "".join(parts)


def html_blocks(page: bytes | str, path: str) -> list[str]:
    """Block texts of an HTML page parsed leniently (lxml's HTML parser, no network)."""
    parser = lxml_html.HTMLParser(no_network=True, remove_comments=True)
    try:
        root = lxml_html.document_fromstring(page, parser=parser)
    except (etree.ParserError, ValueError) as error:
        raise FormatError(f"cannot parse the page ({error})", path=path,
                          hint="check that it is an HTML file") from None
    return element_blocks(root)
