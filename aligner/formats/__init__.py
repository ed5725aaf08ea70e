"""Readers for rich formats (docx, html, pdf, epub), registered in :mod:`aligner.readers`.

Each module has ``read(path, encoding) -> Document`` and is imported on first use, so the
libraries it needs (the ``formats`` extra: python-docx, trafilatura, pdfplumber, python-bidi)
are needed only by those who read such files. :mod:`aligner.formats.safety` holds what every
one of them shares against hostile input: a file-size cap, bounded zip archives, and an XML
parser that neither expands entities nor touches the network.

Paragraphs of these formats are blocks of the extracted text (a docx paragraph or table cell, an
HTML ``<p>``, a PDF paragraph re-joined from its lines); ``Paragraph.line`` numbers the lines
of that extracted text, where a blank line separates two blocks.
"""
