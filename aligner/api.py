"""The Python API behind the CLI: files or texts in, an :class:`Alignment` out.

``align_files(src, tgt)`` aligns an original with its translation; ``align_files(doc)`` first
separates one mixed document into its two languages. Each step is one module (read → separate
→ segment → embed → align); this module only wires them together.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from aligner.align import MODES, Params, align_sentences
from aligner.embed import DEFAULT_MODEL, EmbeddingStore, Encoder, load_encoder
from aligner.errors import EmptyInputError, InputError
from aligner.flags import flag_alignment
from aligner.languages import check_language, language_name, separate_languages
from aligner.readers import read_document, read_text
from aligner.segment import segment_document
from aligner.types import Alignment, Document, Link, Side, Skipped

Realign = Callable[[Side, Side, EmbeddingStore], tuple[list[Link], str]]


@dataclass(frozen=True, slots=True)
class Options:
    """Everything that changes the result of an alignment (recorded in the output)."""

    src_lang: str = "ar"
    tgt_lang: str = "fr"
    mode: str | None = None
    """``ordered``, ``free`` or ``auto``; ``None`` means ordered for two files, auto for one."""
    presplit: bool = False
    model: str = DEFAULT_MODEL
    encoding: str | None = None
    input_format: str | None = None
    """A key of ``aligner.readers.READERS`` (txt, md, docx, html, pdf, epub); None: by suffix."""
    params: Params = field(default_factory=Params)


def align_files(src_path: str, tgt_path: str | None = None, *, options: Options | None = None,
                encoder: Encoder | None = None,
                progress: Callable[[int], None] | None = None,
                anchors: str | None = None) -> Alignment:
    """Align two files (original, translation), or one file that holds both languages.

    ``anchors``: a reviewed alignment (JSON) of the same files; its accepted and edited links
    are kept as they are and only the stretches between them are re-aligned.
    """
    options = options or Options()
    src_doc = read_document(src_path, encoding=options.encoding, fmt=options.input_format)
    tgt_doc = (read_document(tgt_path, encoding=options.encoding, fmt=options.input_format)
               if tgt_path else None)
    if anchors is not None:  # issue 4: re-align around the reviewer's decisions
        from aligner.reanchor import align_around_review

        return align_around_review(src_doc, tgt_doc, anchors, options=options, encoder=encoder,
                                   progress=progress)
    return align_documents(src_doc, tgt_doc, options=options, encoder=encoder, progress=progress)


def align_texts(src_text: str, tgt_text: str | None = None, *, options: Options | None = None,
                encoder: Encoder | None = None) -> Alignment:
    """Like :func:`align_files`, from strings (blank lines separate paragraphs)."""
    options = options or Options()
    src_doc = read_text(src_text)
    tgt_doc = read_text(tgt_text) if tgt_text is not None else None
    return align_documents(src_doc, tgt_doc, options=options, encoder=encoder)


def align_documents(src_doc: Document, tgt_doc: Document | None, *, options: Options,
                    encoder: Encoder | None = None,
                    progress: Callable[[int], None] | None = None,
                    realign: Realign | None = None) -> Alignment:
    """Align read documents; ``tgt_doc=None`` means ``src_doc`` mixes both languages.

    ``realign`` replaces the aligner proper (segmented sides and the store in, links and the
    mode that ran out): :mod:`aligner.reanchor` keeps a review's links fixed with it.
    """
    mode = options.mode or ("ordered" if tgt_doc is not None else "auto")
    if mode not in MODES:
        raise InputError(f"unknown mode {mode!r}", hint=f"use one of {', '.join(MODES)}")
    skipped: tuple[Skipped, ...] = ()
    if tgt_doc is None:
        src_doc, tgt_doc, skipped = separate_languages(src_doc, options.src_lang, options.tgt_lang)
    else:
        check_language(src_doc, options.src_lang)
        check_language(tgt_doc, options.tgt_lang)
    src = _side(src_doc, options.src_lang, options.presplit)
    tgt = _side(tgt_doc, options.tgt_lang, options.presplit)
    encoder = encoder or load_encoder(options.model)
    store = EmbeddingStore(encoder, progress)
    if realign is not None:
        links, ran = realign(src, tgt, store)
    else:
        links, ran = align_sentences([s.text for s in src.sentences],
                                     [s.text for s in tgt.sentences], store, mode, options.params)
    alignment = Alignment(source=src, target=tgt, links=tuple(links), model=encoder.name,
                          mode=ran, skipped=skipped, settings=_settings(options, mode))
    return flag_alignment(alignment)  # review hints (aligner/flags.py)


def _side(doc: Document, lang: str, presplit: bool) -> Side:
    sentences = segment_document(doc, lang, presplit=presplit)
    if not sentences:
        raise EmptyInputError(f"no {language_name(lang)} sentence to align",
                              path=doc.path, hint="check that the file holds text")
    return Side(lang=lang, path=doc.path, sentences=sentences)


def _settings(options: Options, mode: str) -> dict[str, object]:
    return {"requested_mode": mode, "presplit": options.presplit, **options.params.as_dict()}
