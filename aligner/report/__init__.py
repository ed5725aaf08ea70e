"""The HTML review report: one self-contained page (inline CSS and JS, no network).

Why it is built this way:

- **Safety.** The alignment is embedded as JSON inside ``<script type="application/json">``,
  with ``<``, ``>`` and ``&`` written as ``\\u003c``, ``\\u003e``, ``\\u0026`` (so no sentence
  can close the element), and the page's script puts every text in with ``textContent``. The
  Content-Security-Policy allows only this page's own script and style, by their SHA-256
  hashes: even text that slipped through as markup could not run or load anything.
- **Scale.** Rows are plain ``div`` grids with ``content-visibility: auto`` (the browser lays
  out only what is on screen) and the action buttons exist once, moved to the current row.
- **Review.** Work is saved in ``localStorage`` under a key derived from the alignment's
  content, and exported as the same JSON schema with a ``status`` per link.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
import re
from functools import cache
from importlib import resources

from aligner.flags import LOW_CONFIDENCE
from aligner.types import Alignment
from aligner.writers import json_format

_PLACEHOLDER = re.compile(r"\{\{(CSP|TITLE|CSS|DATA|META|JS)\}\}")
_SCRIPT_SAFE = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026",
                0x2028: "\\u2028", 0x2029: "\\u2029"}


@cache
def _asset(name: str) -> str:
    return resources.files("aligner.report").joinpath(name).read_text(encoding="utf-8")


def script_json(value: object) -> str:
    """JSON that is safe as the content of a ``<script>`` element: no ``<``, ``>`` or ``&``."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text.translate(_SCRIPT_SAFE)


def _hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def render(alignment: Alignment) -> str:
    """The report page for ``alignment`` (flags as they are on its links)."""
    buffer = io.StringIO()
    json_format.write(alignment, buffer)
    data = buffer.getvalue()
    css, js = _asset("report.css"), _asset("report.js")
    csp = (f"default-src 'none'; script-src {_hash(js)}; style-src {_hash(css)}; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    meta = {"key": hashlib.sha256(data.encode("utf-8")).hexdigest()[:32],
            "low_confidence": LOW_CONFIDENCE}
    names = [p for p in dict.fromkeys((alignment.source.path, alignment.target.path)) if p]
    title = "Review: " + (" ↔ ".join(names) or "alignment")
    values = {
        "CSP": html.escape(csp), "TITLE": html.escape(title),
        "CSS": css, "JS": js, "DATA": script_json(data), "META": script_json(meta),
    }
    # One pass over the template: text inserted for one placeholder is never scanned again.
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], _asset("template.html"))
