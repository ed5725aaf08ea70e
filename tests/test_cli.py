"""The ``aligner`` command as a user runs it: exit codes, one-line errors, every output format.

Runs in-process with click's CliRunner; ``aligner.api.load_encoder`` is patched to hand back
the session encoder so that no run loads the model again.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from lxml import etree

import aligner.api
from aligner.cli import align, main

# Short news sentences and their French translations, one pair per index.
ARABIC = [
    "قال الرئيس إن الحكومة ستبني مدارس جديدة في العام المقبل.",
    "ارتفعت أسعار القمح بشكل كبير هذا الشهر.",
    "هطلت أمطار غزيرة على العاصمة يوم الثلاثاء.",
    "افتتحت المكتبة الوطنية أبوابها بعد سنوات من الترميم.",
    "فاز الفريق المحلي بالمباراة النهائية بهدفين مقابل هدف واحد.",
]
FRENCH = [
    "Le président a déclaré que le gouvernement construira de nouvelles écoles l'année prochaine.",
    "Les prix du blé ont fortement augmenté ce mois-ci.",
    "De fortes pluies sont tombées sur la capitale mardi.",
    "La Bibliothèque nationale a rouvert ses portes après des années de restauration.",
    "L'équipe locale a remporté la finale par deux buts à un.",
]
# Running text: two paragraphs, several sentences a line, as a user's files would be.
AR_TEXT = f"{' '.join(ARABIC[:3])}\n\n{' '.join(ARABIC[3:])}\n"
FR_TEXT = f"{' '.join(FRENCH[:3])}\n\n{' '.join(FRENCH[3:])}\n"
DIAGONAL = [([i], [i]) for i in range(len(ARABIC))]


@pytest.fixture(autouse=True)
def shared_encoder(monkeypatch, encoder):
    """Every CLI run reuses the session encoder instead of loading the model."""
    monkeypatch.setattr(aligner.api, "load_encoder", lambda name="use-m": encoder)


@pytest.fixture
def workdir(tmp_path, monkeypatch) -> Path:
    """The current directory of the run, holding ar.txt and fr.txt; outputs go to ../out."""
    work = tmp_path / "in"
    work.mkdir()
    (tmp_path / "out").mkdir()
    (work / "ar.txt").write_text(AR_TEXT, encoding="utf-8")
    (work / "fr.txt").write_text(FR_TEXT, encoding="utf-8")
    monkeypatch.chdir(work)
    return work


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), prog_name="aligner", catch_exceptions=False)


def one_line_error(result: Result) -> str:
    """The single stderr line of a failed run (asserting there is exactly one)."""
    assert result.stderr.count("\n") == 1 and result.stderr.endswith("\n"), result.stderr
    assert result.stderr.startswith("aligner: "), result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr.rstrip("\n")


def links_of(result: Result) -> list[tuple[list[int], list[int]]]:
    return [(link["source"], link["target"]) for link in json.loads(result.stdout)["links"]]


# ---- bad input: one table (exit 2, one line naming the file, nothing written) ----------------

DIR = object()
"""Stands for "make a directory here" in a case's files."""

CP1256 = "\n".join(ARABIC).encode("cp1256")


def case(files: dict[str, object], args: str, culprit: str | None, *, says: str = "",
         id: str) -> object:
    """``args`` is the command line; ``OUT`` in it stands for the empty output folder."""
    return pytest.param(files, args, culprit, says, id=id)


BAD_INPUTS = [
    case({"ar.txt": b""}, "ar.txt fr.txt", "ar.txt", says="empty", id="empty file"),
    case({"ar.txt": " \n\t\n\u00a0\n".encode()}, "ar.txt fr.txt", "ar.txt", id="whitespace only"),
    case({"ar.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)}, "ar.png fr.txt",
         "ar.png", says="PNG", id="PNG image"),
    case({"ar.txt": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"}, "ar.txt fr.txt", "ar.txt",
         says="PDF", id="PDF file"),
    case({"ar.txt": AR_TEXT.encode() + b"\x00\x01\x02\x00binary"}, "ar.txt fr.txt", "ar.txt",
         says="binary", id="NUL bytes"),
    case({"ar.txt": CP1256}, "ar.txt fr.txt", "ar.txt", says="--encoding cp1256",
         id="Windows-1256 Arabic"),
    case({}, "missing.txt fr.txt", "missing.txt", id="missing file"),
    case({"folder": DIR}, "folder fr.txt", "folder", id="a directory"),
    case({}, "fr.txt fr.txt", "fr.txt", says="Arabic", id="no Arabic: French twice"),
    case({}, "fr.txt", "fr.txt", says="Arabic", id="mixed document with only French"),
    case({}, "ar.txt fr.txt -o OUT/no/such/folder/result.json", "result.json",
         id="output folder does not exist"),
    case({}, "ar.txt fr.txt -o OUT", "out", says="is a folder; -o names the file to write",
         id="output is a directory"),
    case({}, "ar.txt fr.txt -f moses", None, says="-o", id="moses without -o"),
    case({}, "ar.txt fr.txt -f tmx --tmx-langs ar -o OUT/x.tmx", None, says="--tmx-langs",
         id="tmx-langs: one code"),
    case({}, "ar.txt fr.txt -f tmx --tmx-langs ar,fr,en -o OUT/x.tmx", None, says="--tmx-langs",
         id="tmx-langs: three codes"),
    case({}, "ar.txt fr.txt -f tmx --tmx-langs ar_SA!,fr -o OUT/x.tmx", None, says="ar_SA!",
         id="tmx-langs: not a language tag"),
    case({}, "ar.txt fr.txt --mode sideways", None, says="--mode", id="unknown mode"),
]


@pytest.mark.parametrize("files, args, culprit, says", BAD_INPUTS)
def test_bad_input_exits_2_with_one_line_naming_the_file(workdir, files, args, culprit, says):
    """Exit 2, one ``aligner: …`` line naming the culprit, no output or temporary file left."""
    for name, data in files.items():
        if data is DIR:
            (workdir / name).mkdir()
        else:
            (workdir / name).write_bytes(data)
    out = workdir.parent / "out"
    if "-o" not in args.split() and "moses" not in args:
        args += " -o OUT/result.json"
    before = sorted(p.name for p in workdir.iterdir())

    result = run("align", *args.replace("OUT", str(out)).split())

    line = one_line_error(result)
    assert result.exit_code == 2, line
    assert culprit is None or culprit in line
    assert says in line
    assert result.stdout == ""
    assert list(out.iterdir()) == []
    assert sorted(p.name for p in workdir.iterdir()) == before


# ---- encodings ------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding, option", [
    ("cp1256", ["--encoding", "cp1256"]),
    ("utf-16", []),      # Python writes a byte-order mark
    ("utf-8-sig", []),   # UTF-8 with a byte-order mark
])
def test_other_encodings_are_read(workdir, encoding, option):
    """Windows-1256 with --encoding, UTF-16 and UTF-8 with a BOM: same sentences, same links."""
    (workdir / "ar.txt").write_bytes(AR_TEXT.encode(encoding))
    (workdir / "fr.txt").write_bytes(FR_TEXT.encode(encoding))
    result = run("align", "ar.txt", "fr.txt", *option)
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert [s["text"] for s in doc["source"]["sentences"]] == ARABIC
    assert [s["text"] for s in doc["target"]["sentences"]] == FRENCH
    assert links_of(result) == DIAGONAL


def test_encoding_is_forced_only_on_the_input_that_is_not_utf8(workdir):
    """The error's own hint (``--encoding cp1256`` for a legacy Arabic original) must not
    garble the UTF-8 translation next to it."""
    (workdir / "ar.txt").write_bytes(AR_TEXT.encode("cp1256"))
    result = run("align", "ar.txt", "fr.txt", "--encoding", "cp1256")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert [s["text"] for s in doc["source"]["sentences"]] == ARABIC
    assert [s["text"] for s in doc["target"]["sentences"]] == FRENCH
    assert links_of(result) == DIAGONAL


def test_ordered_mode_on_moved_pieces_says_so_and_names_the_fix(workdir):
    """The ordered DP cannot link a moved paragraph, and its wrong links look like any others:
    the run ends with a note pointing to --mode auto / free (not with -q)."""
    data = Path(__file__).parent / "data"
    ar = (data / "flores_dev_excerpt.arb_Arab").read_text(encoding="utf-8").splitlines()[:24]
    fr = (data / "flores_dev_excerpt.fra_Latn").read_text(encoding="utf-8").splitlines()[:24]
    moved = [*fr[16:], *fr[8:16], *fr[:8]]  # three paragraphs in reverse order
    (workdir / "ar.txt").write_text("\n".join(ar), encoding="utf-8")
    (workdir / "fr.txt").write_text("\n".join(moved), encoding="utf-8")
    result = run("align", "ar.txt", "fr.txt", "--presplit")
    assert result.exit_code == 0, result.stderr
    assert "aligner: note: the two sides do not follow one order" in result.stderr
    assert "--mode auto" in result.stderr
    assert run("align", "ar.txt", "fr.txt", "--presplit", "-q").stderr == ""
    auto = run("align", "ar.txt", "fr.txt", "--presplit", "--mode", "auto")
    assert "note:" not in auto.stderr and json.loads(auto.stdout)["mode"] == "free"
    (workdir / "fr.txt").write_text("\n".join(fr), encoding="utf-8")
    assert "note:" not in run("align", "ar.txt", "fr.txt", "--presplit").stderr


# ---- a real pair in every format ------------------------------------------------------------


def test_json_on_stdout_links_each_sentence_to_its_translation(workdir):
    result = run("align", "ar.txt", "fr.txt")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert (doc["source"]["lang"], doc["target"]["lang"]) == ("ar", "fr")
    assert [s["text"] for s in doc["source"]["sentences"]] == ARABIC
    assert [s["text"] for s in doc["target"]["sentences"]] == FRENCH
    assert (doc["model"], doc["mode"]) == ("use-m-v3", "ordered")
    for side, key in (("source", "source"), ("target", "target")):
        used = sorted(i for link in doc["links"] for i in link[key])
        assert used == list(range(len(doc[side]["sentences"])))  # each exactly once
    for link in doc["links"]:
        score = link["score"]
        assert (score is None) == (not link["source"] or not link["target"])
        assert score is None or 0.0 <= score <= 1.0
    assert links_of(result) == DIAGONAL


def test_tsv_has_one_line_per_link_with_score_and_both_texts(workdir):
    result = run("align", "ar.txt", "fr.txt", "-f", "tsv")
    assert result.exit_code == 0, result.stderr
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert [(ar, fr) for _, ar, fr in rows] == list(zip(ARABIC, FRENCH, strict=True))
    assert all(0.0 <= float(score) <= 1.0 for score, _, _ in rows)


def test_vecalign_lines_read_back_as_the_links(workdir):
    result = run("align", "ar.txt", "fr.txt", "-f", "vecalign")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert all(re.fullmatch(r"\[[0-9, ]*\]:\[[0-9, ]*\]:[0-9]\.[0-9]{6}", x) for x in lines)
    assert [line.rsplit(":", 1)[0] for line in lines] == [f"[{i}]:[{i}]" for i in range(5)]


def parse_tmx(data: bytes) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.fromstring(data, parser)


XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.mark.parametrize("option, langs", [([], ("ar", "fr")),
                                           (["--tmx-langs", "ar-SA,fr-FR"], ("ar-SA", "fr-FR"))])
def test_tmx_parses_and_holds_one_unit_per_pair(workdir, option, langs):
    result = run("align", "ar.txt", "fr.txt", "-f", "tmx", *option)
    assert result.exit_code == 0, result.stderr
    tmx = parse_tmx(result.stdout_bytes)
    assert tmx.find("header").get("srclang") == langs[0]
    units = tmx.findall("body/tu")
    assert [[tuv.get(XML_LANG) for tuv in tu.findall("tuv")] for tu in units] == [list(langs)] * 5
    assert [[seg.text for seg in tu.iter("seg")] for tu in units] == [
        [ar, fr] for ar, fr in zip(ARABIC, FRENCH, strict=True)]


def test_moses_writes_two_files_with_matching_lines(workdir):
    prefix = workdir.parent / "out" / "corpus"
    result = run("align", "ar.txt", "fr.txt", "-f", "moses", "-o", str(prefix))
    assert result.exit_code == 0, result.stderr
    ar = Path(f"{prefix}.ar").read_text(encoding="utf-8").splitlines()
    fr = Path(f"{prefix}.fr").read_text(encoding="utf-8").splitlines()
    assert (ar, fr) == (ARABIC, FRENCH)
    assert sorted(p.name for p in prefix.parent.iterdir()) == ["corpus.ar", "corpus.fr"]


@pytest.mark.parametrize("fmt, output", [("moses", "corpus"), ("tsv", "corpus.ar"),
                                          ("json", "./corpus.fr")])
def test_an_output_that_would_overwrite_an_input_is_refused(workdir, fmt, output):
    """``corpus.ar`` + ``corpus.fr`` is the usual Moses naming: ``-o corpus -f moses`` must not
    replace the originals with the output (nor may ``-o`` name an input in any format)."""
    for lang, text in (("ar", AR_TEXT), ("fr", FR_TEXT)):
        (workdir / f"corpus.{lang}").write_text(text, encoding="utf-8")
    result = run("align", "corpus.ar", "corpus.fr", "-f", fmt, "-o", output)
    assert result.exit_code == 2
    assert "would overwrite the input corpus." in one_line_error(result)
    assert "choose another -o" in result.stderr
    assert (workdir / "corpus.ar").read_text(encoding="utf-8") == AR_TEXT
    assert (workdir / "corpus.fr").read_text(encoding="utf-8") == FR_TEXT


def test_an_output_folder_instead_of_a_file_is_refused_in_the_tools_words(workdir):
    out = workdir.parent / "out"
    result = run("align", "ar.txt", "fr.txt", "-o", str(out))
    assert result.exit_code == 2
    assert one_line_error(result) == (
        f"aligner: {out}: is a folder; -o names the file to write; add a file name, "
        f"e.g. -o {out / 'out.json'}")
    assert list(out.iterdir()) == []


def test_output_file_gets_the_result_and_stderr_a_summary_unless_quiet(workdir):
    out = workdir.parent / "out" / "result.json"
    loud = run("align", "ar.txt", "fr.txt", "-o", str(out))
    assert loud.exit_code == 0 and loud.stdout == ""
    assert "5 ar / 5 fr sentences" in loud.stderr and str(out) in loud.stderr
    assert len(json.loads(out.read_text(encoding="utf-8"))["links"]) == 5
    quiet = run("align", "ar.txt", "fr.txt", "-o", str(out), "-q")
    assert quiet.exit_code == 0 and quiet.stderr == ""


@pytest.mark.parametrize("fmt", ["json", "tsv", "tmx", "vecalign"])
def test_same_input_gives_byte_identical_output(workdir, fmt):
    out = workdir.parent / "out"
    for name in ("one", "two"):
        result = run("align", "ar.txt", "fr.txt", "-f", fmt, "-o", str(out / name), "-q")
        assert result.exit_code == 0, result.stderr
    assert (out / "one").read_bytes() == (out / "two").read_bytes()


def test_presplit_keeps_each_line_one_sentence(workdir):
    """A line holding two sentences stays one sentence with --presplit, and is split without."""
    (workdir / "ar.txt").write_text(f"{ARABIC[0]} {ARABIC[1]}\n{ARABIC[2]}\n{ARABIC[3]}\n",
                                    encoding="utf-8")
    (workdir / "fr.txt").write_text(f"{FRENCH[0]} {FRENCH[1]}\n{FRENCH[2]}\n{FRENCH[3]}\n",
                                    encoding="utf-8")
    split = json.loads(run("align", "ar.txt", "fr.txt").stdout)
    assert [s["text"] for s in split["source"]["sentences"]] == ARABIC[:4]
    result = run("align", "ar.txt", "fr.txt", "--presplit")
    assert result.exit_code == 0, result.stderr
    kept = json.loads(result.stdout)
    assert [s["text"] for s in kept["source"]["sentences"]] == [
        f"{ARABIC[0]} {ARABIC[1]}", ARABIC[2], ARABIC[3]]
    assert [s["text"] for s in kept["target"]["sentences"]] == [
        f"{FRENCH[0]} {FRENCH[1]}", FRENCH[2], FRENCH[3]]
    assert links_of(result) == [([i], [i]) for i in range(3)]


@pytest.mark.parametrize("n", [1, 2])
def test_a_pair_of_one_or_two_sentences_aligns(workdir, n):
    """A short pair (a tweet, a caption) is aligned, not an internal error."""
    (workdir / "ar.txt").write_text(" ".join(ARABIC[:n]), encoding="utf-8")
    (workdir / "fr.txt").write_text(" ".join(FRENCH[:n]), encoding="utf-8")
    result = run("align", "ar.txt", "fr.txt")
    assert result.exit_code == 0, result.stderr
    assert links_of(result) == DIAGONAL[:n]


# ---- eval -----------------------------------------------------------------------------------

PRED = "[0]:[0]:0.9\n[1]:[1]:0.8\n[]:[2]:0.0\n[2]:[3]:0.7\n[3]:[]:0.0\n"
GOLD = "[0]:[0]\n[1]:[1, 2]\n[2]:[3]\n[3]:[]\n"
# Precision over the 5 predicted links: strict 3 ([0]:[0], [2]:[3], [3]:[]), lax 4 (+[1]:[1]).
# Recall over the 3 two-sided gold links: strict 2, lax 3.
STRICT = (3 / 5, 2 / 3, 2 * (3 / 5) * (2 / 3) / (3 / 5 + 2 / 3))
LAX = (4 / 5, 1.0, 2 * (4 / 5) / (4 / 5 + 1))


@pytest.fixture
def eval_files(tmp_path) -> tuple[str, str]:
    (tmp_path / "pred.txt").write_text(PRED, encoding="utf-8")
    (tmp_path / "gold.txt").write_text(GOLD, encoding="utf-8")
    return str(tmp_path / "pred.txt"), str(tmp_path / "gold.txt")


def test_eval_prints_strict_and_lax_table(eval_files):
    result = run("eval", *eval_files)
    assert result.exit_code == 0, result.stderr
    rows = {line.split()[0]: [float(x) for x in line.split()[1:]]
            for line in result.stdout.splitlines()[1:]}
    assert rows["strict"] == pytest.approx(STRICT, abs=5e-5)
    assert rows["lax"] == pytest.approx(LAX, abs=5e-5)
    assert result.stdout.split("\n")[0].split() == ["precision", "recall", "F1"]


def test_eval_json(eval_files):
    result = run("eval", *eval_files, "--json")
    assert result.exit_code == 0, result.stderr
    scores = json.loads(result.stdout)
    for name, expected in (("strict", STRICT), ("lax", LAX)):
        got = scores[name]
        assert (got["precision"], got["recall"], got["f1"]) == pytest.approx(expected)


def test_eval_malformed_gold_line_is_one_error_line(eval_files):
    pred, gold = eval_files
    Path(gold).write_text("[0]:[0]\n[1]->[1]\n", encoding="utf-8")
    result = run("eval", pred, gold)
    line = one_line_error(result)
    assert result.exit_code == 2
    assert gold in line and "line 2" in line


@pytest.mark.parametrize("args", [
    ["align", "folder", "fr.txt"],
    ["align", "ar.txt", "folder"],
    ["align", "ar.txt", "fr.txt", "--anchors", "folder"],
    ["eval", "folder", "fr.txt"],
    ["report", "folder"],
    ["convert", "folder", "-f", "tsv"],
])
def test_a_folder_given_as_an_input_file_is_refused_in_the_tools_words(workdir, args):
    """A folder where a file is wanted got click's "Invalid value for 'SRC': File 'in/' is a
    directory"; every other bad input says ``file: problem; fix``, and so does this one."""
    (workdir / "folder").mkdir()
    result = run(*args)
    line = one_line_error(result)
    assert result.exit_code == 2
    assert line.startswith("aligner: folder: is a folder, not a file; give "), line
    assert "Invalid value" not in line


# ---- help, version, internal errors ---------------------------------------------------------

ALIGN_OPTIONS = ["--src-lang", "--tgt-lang", "--mode", "--presplit", "--model", "-f", "--format",
                 "-o", "--output", "--encoding", "--tmx-langs", "-q", "--quiet", "-h", "--help"]


def test_help_lists_commands_and_every_option():
    top = run("--help")
    assert top.exit_code == 0
    assert all(word in top.stdout for word in ("align", "eval", "--version", "Exit codes"))
    help_text = run("align", "--help").stdout
    declared = [opt for param in align.params for opt in param.opts if opt.startswith("-")]
    for option in {*ALIGN_OPTIONS, *declared}:
        assert re.search(rf"(^|[\s,/]){re.escape(option)}\b", help_text), option
    assert all(fmt in help_text for fmt in ("json", "tsv", "tmx", "moses", "vecalign"))


def test_eval_and_align_help_show_how_to_call_them():
    """`eval --help` showed `FILES...` for what are PRED GOLD pairs, and `align --help`, the
    command people run first, had no example to copy."""
    usage = run("eval", "--help").stdout.splitlines()[0]
    assert usage == "Usage: aligner eval [OPTIONS] PRED GOLD [PRED GOLD ...]"
    help_text = run("align", "--help").stdout
    examples = help_text.split("Examples:")[1].splitlines()
    assert len([line for line in examples if line.strip().startswith("aligner align ")]) >= 3


def test_readme_tsv_example_is_what_align_prints(seed_path):
    """The README showed a one-sided line as TAB space TAB; the TSV writer leaves the empty
    side empty (TAB TAB). Each example line must be the real output (cut short with " …")."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    block = readme.split("-f tsv`, first lines; score, Arabic, French):\n\n```\n")[1]
    shown = block.split("```")[0].splitlines()
    real = run("align", str(seed_path), "-f", "tsv").stdout.replace("\u00a0", " ").splitlines()
    assert len(shown) >= 3
    for example, line in zip(shown, real, strict=False):
        columns, got = example.split("\t"), line.split("\t")
        assert len(columns) == len(got) == 3, example
        for mine, theirs in zip(columns, got, strict=True):
            if mine.endswith(" …"):
                assert theirs.startswith(mine[:-2]), (mine, theirs)
            else:
                assert mine == theirs, (mine, theirs)


def test_python_dash_m_version():
    done = subprocess.run([sys.executable, "-m", "aligner", "--version"], capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"aligner, version {aligner.__version__}"


def test_internal_error_exits_1_with_one_line(workdir, monkeypatch):
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("something broke")

    monkeypatch.setattr(aligner.api, "align_sentences", broken)
    result = run("align", "ar.txt", "fr.txt", "-o", str(workdir.parent / "out" / "r.json"))
    line = one_line_error(result)
    assert result.exit_code == 1
    assert "internal error" in line and "something broke" in line
    assert list((workdir.parent / "out").iterdir()) == []


def test_output_piped_into_head_ends_quietly(seed_path):
    """Regression (issue 2): `aligner align … | head` is not an internal error."""
    result = subprocess.run(
        f"'{sys.executable}' -m aligner align '{seed_path}' -f tsv | head -1; "
        "exit ${PIPESTATUS[0]}",
        shell=True, executable="/bin/bash", capture_output=True, text=True, timeout=120)
    assert result.returncode == 0
    assert result.stderr == ""
    assert result.stdout.count("\n") == 1
