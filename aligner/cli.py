"""The ``aligner`` command: parse options, call the API, print. No alignment logic lives here."""

from __future__ import annotations

import json
import math
import os
import sys
import warnings
from typing import NoReturn

import click

from aligner import __version__
from aligner.align import MODES, OrderWarning
from aligner.api import Options, align_files
from aligner.console import encoding_progress, make_console, summary
from aligner.embed import DEFAULT_MODEL
from aligner.errors import AlignerError, InputError
from aligner.evaluate import evaluate_many, read_vecalign
from aligner.readers import READERS
from aligner.writers import FORMATS, NEEDS_PATH, refuse_overwriting, write_alignment

ALIGN_FORMATS = sorted(FORMATS)


class InputFile(click.Path):
    """A file to read; a folder is refused in the tool's own words (``path: problem; fix``,
    exit 2), not click's ``Invalid value for 'SRC': File 'in/' is a directory``."""

    def __init__(self, hint: str):
        super().__init__(dir_okay=False)
        self.hint = hint

    def convert(self, value, param, ctx):
        if os.path.isdir(value):
            raise InputError("is a folder, not a file", path=os.fsdecode(value), hint=self.hint)
        return super().convert(value, param, ctx)


class OutputPath(click.Path):
    """Where to write: a file (``folder=False``) or a folder; the wrong kind is refused in the
    tool's own words, like :class:`InputFile`."""

    def __init__(self, folder: bool = False):
        super().__init__(dir_okay=folder, file_okay=not folder)
        self.folder = folder

    def convert(self, value, param, ctx):
        path = os.fsdecode(value)
        if not self.folder and os.path.isdir(path):
            raise InputError("is a folder; -o names the file to write", path=path,
                             hint="add a file name, e.g. -o " + os.path.join(path, "out.json"))
        if self.folder and os.path.exists(path) and not os.path.isdir(path):
            raise InputError("is a file; build writes a folder of corpus files", path=path,
                             hint="give a folder name for -o (it is created)")
        return super().convert(value, param, ctx)


DOCUMENT = InputFile("give a document file (for a folder of document pairs: aligner build)")
ALIGNMENT_JSON = InputFile("give an alignment written by 'aligner align -f json' or exported "
                           "from a report")


class AlignerCommand(click.Group):
    """Turns every AlignerError, and click's usage errors, into one line on stderr."""

    def make_context(self, info_name, args, parent=None, **extra) -> click.Context:
        try:  # options of the group itself (``aligner --bogus``) are parsed here
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.exceptions.NoArgsIsHelpError:
            raise
        except click.UsageError as exc:
            _usage_fail(exc)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except click.exceptions.NoArgsIsHelpError:
            raise
        except click.UsageError as exc:  # a subcommand's bad option, a directory as SRC…
            _usage_fail(exc)
        except InputError as exc:
            _fail(exc.one_line(), exc.exit_code)
        except AlignerError as exc:
            _fail(str(exc), exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            _fail("interrupted", 130)
        except BrokenPipeError:  # `aligner align … | head`: the reader has what it wanted
            _quiet_stdout()
            sys.exit(0)
        except Exception as exc:  # a bug: still one line, and the way to report it
            _fail(f"internal error: {type(exc).__name__}: {exc} (please report this)", 1)


def _usage_fail(exc: click.UsageError) -> NoReturn:
    """click prints usage, a blank line and the error; we print the error and where to look."""
    command = exc.ctx.command_path if exc.ctx else "aligner"
    _fail(f"{exc.format_message().rstrip('.')}; see '{command} --help'", exc.exit_code)


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _fail(message: str, code: int) -> NoReturn:
    click.echo(f"aligner: {' '.join(message.split())}", err=True)
    sys.exit(code)


@click.group(cls=AlignerCommand, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="aligner")
def main() -> None:
    """Pair each sentence of an original with its translation (Arabic → French by default).

    \b
    aligner align original.txt translation.txt -f tmx -o memory.tmx
    aligner align bilingual-page.txt            (one file holding both languages)
    aligner align a.txt b.txt -f html -o review.html  (review, fix, export in a browser)
    aligner build corpus/ -o out/               (many pairs → TMX, Moses, TSV, JSONL)
    aligner eval predicted.txt gold.txt

    Exit codes: 0 done, 1 internal error, 2 bad input or usage, 3 (build) some documents failed.
    """


@main.command(epilog="""\b
Examples:
  aligner align ar.txt fr.txt -f tsv              (score, Arabic, French: a link a line)
  aligner align page.txt -f html -o review.html   (one mixed page, reviewed in a browser)
  aligner align ar.docx fr.pdf -f tmx -o memory.tmx --tmx-langs ar-SA,fr-FR
  aligner align ar.txt fr.txt --anchors reviewed.json   (re-align around a review)
""")
@click.argument("src", type=DOCUMENT)
@click.argument("tgt", required=False, type=DOCUMENT)
@click.option("--src-lang", default="ar", show_default=True, help="Language of SRC (ISO 639-1).")
@click.option("--tgt-lang", default="fr", show_default=True, help="Language of TGT (ISO 639-1).")
@click.option("--mode", type=click.Choice(MODES),
              help="ordered: the translation follows the original (default for two files); "
                   "free: pieces may be shuffled, duplicated or missing; auto: decide from the "
                   "data (default for one mixed file).")
@click.option("--presplit", is_flag=True,
              help="Input is one sentence per line (blank line = paragraph): nothing is re-split.")
@click.option("--model", default=DEFAULT_MODEL, show_default=True,
              help="use-m (built in, offline), or a sentence-transformers model name or folder, "
                   "e.g. sentence-transformers/LaBSE (needs: pip install 'aligner[st]').")
@click.option("-f", "--format", "fmt", type=click.Choice(ALIGN_FORMATS), default="json",
              show_default=True, help="Output format.")
@click.option("-o", "--output", type=OutputPath(),
              help="Output file (stdout if absent); for moses, the prefix of PREFIX.ar/PREFIX.fr.")
@click.option("--encoding", help="Encoding of an input that is not UTF-8, e.g. cp1256 "
                                 "(UTF-8 inputs, and UTF-16/32 with a BOM, are read as such).")
@click.option("--tmx-langs", metavar="SRC,TGT",
              help="Language codes written in TMX, e.g. ar-SA,fr-FR (default: the two langs).")
@click.option("--input-format", type=click.Choice(sorted(READERS)),
              help="Read the inputs as this format (default: from the file suffix: .docx, "
                   ".html/.htm, .pdf, .epub, .md, anything else as plain text).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary on stderr.")
@click.option("--anchors", type=ALIGNMENT_JSON, metavar="REVIEWED.json",
              help="A review of these files exported from the report: its accepted and edited "
                   "links stay as they are; only the stretches between them are re-aligned.")
def align(src, tgt, src_lang, tgt_lang, mode, presplit, model, fmt, output, encoding, tmx_langs,
          input_format, quiet, anchors) -> None:
    """Align SRC with its translation TGT, or one file SRC that holds both languages.

    Every sentence of both sides is in exactly one link; in a mixed file, lines of neither
    language (handles, URLs, file names) are listed as skipped.
    """
    if fmt in NEEDS_PATH and not output:
        hint = ("add -o report.html" if fmt == "html" else
                f"add -o PREFIX (-o corpus → corpus.{src_lang}, corpus.{tgt_lang})")
        raise InputError(f"format {fmt} writes files and needs a path", hint=hint)
    refuse_overwriting(fmt, output, [src, tgt, anchors], (src_lang, tgt_lang))
    langs = _parse_tmx_langs(tmx_langs)
    options = Options(src_lang=src_lang, tgt_lang=tgt_lang, mode=mode, presplit=presplit,
                      model=model, encoding=encoding, input_format=input_format)
    console = make_console(quiet or not output)
    with warnings.catch_warnings(record=True) as notes:
        warnings.simplefilter("always", OrderWarning)
        with encoding_progress(console) as progress:
            alignment = align_files(src, tgt, options=options, progress=progress,
                                    anchors=anchors)
    written = write_alignment(alignment, fmt, output, tmx_langs=langs)
    console.print(summary(alignment, written), markup=False, soft_wrap=True)
    for note in notes if not quiet else ():
        click.echo(f"aligner: note: {note.message}", err=True)


def _parse_tmx_langs(value: str | None) -> tuple[str, str] | None:
    if not value:
        return None
    parts = [p.strip() for p in value.split(",")]
    if len(parts) != 2 or not all(parts):
        raise InputError(f"--tmx-langs {value!r} is not two codes", hint="write e.g. ar-SA,fr-FR")
    return parts[0], parts[1]


@main.command("eval")
@click.argument("files", nargs=-1, required=True, metavar="PRED GOLD [PRED GOLD ...]",
                type=InputFile("give a file of vecalign lines, e.g. [0]:[0, 1]"))
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def eval_command(files, as_json) -> None:
    """Strict and lax precision / recall / F1 of PRED against GOLD (vecalign format).

    \b
    aligner eval PRED GOLD
    aligner eval PRED1 GOLD1 PRED2 GOLD2 ...   (documents pooled, as Vecalign's score.py does)

    The same figures as Vecalign's score.py, so they compare with published results.
    """
    if len(files) % 2:
        raise InputError(f"{len(files)} files given; eval takes PRED GOLD pairs",
                         hint="aligner eval PRED GOLD [PRED GOLD ...]")
    preds = [read_vecalign(path) for path in files[0::2]]
    golds = [read_vecalign(path) for path in files[1::2]]
    scores = evaluate_many(preds, golds)
    if as_json:
        click.echo(json.dumps(scores.to_dict(), indent=2, sort_keys=True))
        return
    click.echo(f"{'':8}{'precision':>10}{'recall':>10}{'F1':>10}")
    for name, prf in (("strict", scores.strict), ("lax", scores.lax)):
        click.echo(f"{name:8}{prf.precision:10.4f}{prf.recall:10.4f}{prf.f1:10.4f}")


# ---- the review report (issue 4): report, convert ------------------------------------------

@main.command()
@click.argument("alignment", type=ALIGNMENT_JSON)
@click.option("-o", "--output", type=OutputPath(),
              help="The HTML file to write (default: ALIGNMENT with .html instead of .json).")
@click.option("-q", "--quiet", is_flag=True, help="Do not print where the report went.")
def report(alignment, output, quiet) -> None:
    """Render the review report of a saved alignment (aligner align -f json), or of a review
    exported from a report, as one self-contained HTML page.

    \b
    aligner align ar.txt fr.txt -o alignment.json
    aligner report alignment.json -o report.html

    Open the page in a browser (no network needed): review, then "Export corrected JSON" and
    turn the export into a corpus with 'aligner convert'.
    """
    from aligner.review import read_alignment

    output = output or os.path.splitext(alignment)[0] + ".html"
    refuse_overwriting("html", output, [alignment])
    written = write_alignment(read_alignment(alignment, repeats=True), "html", output)
    make_console(quiet).print("written: " + ", ".join(written), markup=False)


@main.command()
@click.argument("alignment", type=ALIGNMENT_JSON)
@click.option("-f", "--format", "fmt", type=click.Choice(ALIGN_FORMATS), required=True,
              help="Output format.")
@click.option("-o", "--output", type=OutputPath(),
              help="Output file (stdout if absent); for moses, the prefix of PREFIX.ar/PREFIX.fr.")
@click.option("--accepted-only", is_flag=True,
              help="Keep only the links the reviewer accepted or built (status accepted or "
                   "edited).")
@click.option("--tmx-langs", metavar="SRC,TGT",
              help="Language codes written in TMX, e.g. ar-SA,fr-FR (default: the two langs).")
def convert(alignment, fmt, output, accepted_only, tmx_langs) -> None:
    """Write a saved or reviewed alignment (JSON) in another format.

    \b
    aligner convert reviewed.json -f tmx -o memory.tmx --accepted-only
    aligner convert reviewed.json -f moses -o corpus      (corpus.ar, corpus.fr)

    Rejected links are written as one-sided links (their pairing is wrong; the sentences stay
    accounted for) in every format but json and html, which keep the review as it is.
    """
    from aligner.review import for_output, read_alignment

    if fmt in NEEDS_PATH and not output:
        raise InputError(f"format {fmt} writes files and needs a path", hint="add -o PATH")
    langs = _parse_tmx_langs(tmx_langs)
    saved = read_alignment(alignment)
    refuse_overwriting(fmt, output, [alignment], (saved.source.lang, saved.target.lang))
    result = for_output(saved, fmt, accepted_only=accepted_only)
    write_alignment(result, fmt, output, tmx_langs=langs)


# ---- aligner build ---------------------------------------------------------------------------

@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(), metavar="INPUT...")
@click.option("-o", "--output", "outdir", required=True, type=OutputPath(folder=True),
              help="Folder for the corpus files and the journal (created if absent).")
@click.option("--formats", default="tmx,moses,tsv,jsonl", show_default=True,
              help="Corpus files to write, comma-separated: tmx, moses, tsv, jsonl.")
@click.option("--pair-by", type=click.Choice(["name", "content"]), default="name",
              show_default=True, help="content: pair the documents whose names do not match "
                                      "by what they say (document vectors, one to one).")
@click.option("--src-lang", default="ar", show_default=True, help="Source language.")
@click.option("--tgt-lang", default="fr", show_default=True, help="Target language.")
@click.option("--model", default=DEFAULT_MODEL, show_default=True, help="Sentence encoder.")
@click.option("--mode", type=click.Choice(MODES), default="ordered", show_default=True,
              help="Alignment mode for every document.")
@click.option("--encoding", help="Encoding of the text inputs that are not UTF-8, e.g. cp1256 "
                                 "(UTF-8 ones, and UTF-16/32 with a BOM, are read as such).")
@click.option("--input-format", type=click.Choice(sorted(READERS)),
              help="Read every input as this format (default: from the suffix).")
@click.option("--min-score", type=click.FloatRange(0, 1), default=0.4, show_default=True,
              help="Drop links scoring below this cosine (USE-m gives true translations "
                   "0.4-0.9; on FLORES 0.4 drops 1 %, 0.5 drops 6 %).")
@click.option("--length-ratio", default="0.5,3.0", show_default=True, metavar="MIN,MAX",
              help="Drop links whose target/source character ratio is outside MIN..MAX.")
@click.option("--no-language-check", is_flag=True,
              help="Keep links whose sides are identified as another language.")
@click.option("--keep-one-sided", is_flag=True,
              help="Keep 1-0 and 0-1 links (in tsv and jsonl; TMX and Moses cannot hold them).")
@click.option("--no-dedup", is_flag=True, help="Keep duplicate and near-duplicate links.")
@click.option("-j", "--jobs", type=click.IntRange(1), default=1, show_default=True,
              help="Worker processes on this machine, each loading the model once.")
@click.option("--scheduler", metavar="ADDRESS",
              help="Run on a Dask cluster, e.g. tcp://10.0.0.5:8786 (needs aligner[dask]; "
                   "workers must see the input paths).")
@click.option("--fresh", is_flag=True, help="Forget the journal in OUTDIR and align everything.")
@click.option("-q", "--quiet", is_flag=True, help="No progress and no table on stderr.")
def build(inputs, outdir, formats, pair_by, src_lang, tgt_lang, model, mode, encoding,
          input_format, min_score, length_ratio, no_language_check, keep_one_sided, no_dedup,
          jobs, scheduler, fresh, quiet) -> None:
    """Build a parallel corpus from many document pairs into OUTDIR.

    \b
    INPUT is a folder or a manifest:
      corpus/report.ar.docx + corpus/report.fr.pdf     (same name, language before suffix)
      corpus/ar/x/report.html + corpus/fr/x/report.html (ar/ and fr/ subfolders)
      pairs.tsv: id<TAB>ar path<TAB>fr path            (paths relative to the manifest)

    \b
    OUTDIR gets corpus.tmx, corpus.ar + corpus.fr (Moses), corpus.tsv, corpus.jsonl,
    stats.json, errors.tsv, dropped.tsv (every link left out, with its reason) and
    pairing.tsv. Work is journaled per document in OUTDIR/.journal: after an interruption,
    run the same command again to resume; changing only filters or formats re-aligns nothing.

    \b
    Exit codes: 0 done; 3 corpus written but some documents failed or had no partner
    (listed in errors.tsv); 2 bad input or usage; 1 internal error.
    """
    from aligner.corpus import BuildSettings, build_corpus
    from aligner.corpus.filters import FilterSettings
    from aligner.corpus.outputs import FORMATS as CORPUS_FORMATS
    from aligner.corpus.stats import table

    chosen = tuple(f.strip() for f in formats.split(",") if f.strip())
    unknown = sorted(set(chosen) - set(CORPUS_FORMATS))
    if unknown or not chosen:
        raise InputError(f"unknown --formats {', '.join(unknown) or formats!r}",
                         hint=f"choose among {', '.join(CORPUS_FORMATS)}")
    if math.isnan(min_score):  # click's FloatRange lets nan through: it compares False
        raise InputError("--min-score nan is not a number", hint="give a cosine from 0 to 1, "
                                                                 "e.g. 0.4")
    low, high = _parse_length_ratio(length_ratio)
    settings = BuildSettings(
        inputs=tuple(inputs), outdir=outdir,
        options=Options(src_lang=src_lang, tgt_lang=tgt_lang, mode=mode, model=model,
                        encoding=encoding, input_format=input_format),
        filters=FilterSettings(min_score=min_score, min_ratio=low, max_ratio=high,
                               check_language=not no_language_check,
                               keep_one_sided=keep_one_sided, dedup=not no_dedup),
        formats=chosen, pair_by=pair_by, jobs=jobs, scheduler=scheduler, fresh=fresh)
    console = make_console(quiet)
    result = build_corpus(settings, console)
    console.print(table(result.stats))
    if result.failed or result.unpaired:
        hint = ("; names that do not match may pair by what they say: add --pair-by content"
                if result.unpaired_in_both_languages else "")
        click.echo(f"aligner: {result.failed} document(s) failed and {result.unpaired} "
                   f"file(s) had no partner; see {os.path.join(outdir, 'errors.tsv')}{hint}",
                   err=True)
        sys.exit(3)


def _parse_length_ratio(value: str) -> tuple[float, float]:
    """``MIN,MAX`` with 0 <= MIN < MAX (MAX may be inf); anything else is a one-line error."""
    try:
        low, high = (float(x) for x in value.split(","))
    except ValueError:
        raise InputError(f"--length-ratio {value!r} is not MIN,MAX",
                         hint="write e.g. 0.5,3.0") from None
    if math.isnan(low) or math.isnan(high):
        problem = "holds nan, which is not a number"
    elif low < 0:
        problem = "has a negative MIN (a ratio of character counts is never below 0)"
    elif low > high:
        problem = "has MIN above MAX, so every link would be dropped"
    elif low == high:
        problem = "has MIN equal to MAX, so nearly every link would be dropped"
    else:
        return low, high
    raise InputError(f"--length-ratio {value!r} {problem}",
                     hint="write MIN,MAX with 0 <= MIN < MAX, e.g. 0.5,3.0")
