"""``aligner build``: pairing, outputs, filters, failures, resume after kill -9, processes.

Documents are FLORES dev articles (tests/data excerpt), written as txt, docx and html. In-process
runs reuse the session encoder; the subprocess, process-pool and Dask runs load the real model
in their own processes.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

import aligner.api
from aligner.cli import main
from aligner.corpus import worker
from aligner.corpus.filters import CorpusFilter, FilterSettings, normal_key
from aligner.corpus.journal import JOURNAL
from aligner.corpus.progress import BuildProgress
from tests.corpus_fixtures import flores_documents, write_pairs
from tests.formats_fixtures import write_docx

REPO = Path(__file__).resolve().parents[1]
OUTPUTS = ("corpus.tmx", "corpus.ar", "corpus.fr", "corpus.tsv", "corpus.jsonl", "stats.json",
           "errors.tsv", "dropped.tsv", "pairing.tsv")


@pytest.fixture(autouse=True)
def shared_encoder(monkeypatch, encoder):
    """In-process builds reuse the session encoder (the worker's per-process cache included)."""
    monkeypatch.setattr(aligner.api, "load_encoder", lambda name="use-m": encoder)
    monkeypatch.setattr(worker, "_ENCODERS", {})


def build(*args: str):
    return CliRunner().invoke(main, ["build", *args], catch_exceptions=False)


def outputs(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in OUTPUTS if (folder / name).exists()}


def stats_of(folder: Path) -> dict:
    return json.loads((folder / "stats.json").read_text(encoding="utf-8"))


# ---- pairing and outputs -----------------------------------------------------------------------

def test_build_pairs_by_name_across_formats_and_writes_every_output(tmp_path):
    src = tmp_path / "in"
    ids = write_pairs(src, 3)
    (ar, fr), = flores_documents(4)[3:]
    write_docx(src / "report.ar.docx", [" ".join(ar)], rtl=True)
    (src / "report.fr.html").write_text(
        "<html><body><article>" + "".join(f"<p>{s}</p>" for s in fr) + "</article></body></html>",
        encoding="utf-8")
    (src / "README.md").write_text("# not a document pair\n")
    out = tmp_path / "out"
    result = build(str(src), "-o", str(out), "-q")
    assert result.exit_code == 0, result.stderr
    assert set(outputs(out)) == set(OUTPUTS)
    stats = stats_of(out)
    assert stats["documents"] == {"pairs": 4, "aligned": 4, "failed": 0, "unpaired_files": 0,
                                  "ignored_files": 1, "order_doubtful": 0}
    links = stats["links"]
    assert links["total"] == links["kept"] + sum(links["dropped"].values())
    assert links["total"] == sum(links["by_type"].values())
    kept_rows = (out / "corpus.tsv").read_text(encoding="utf-8").splitlines()
    dropped_rows = (out / "dropped.tsv").read_text(encoding="utf-8").splitlines()[1:]
    assert len(kept_rows) == links["kept"] and len(dropped_rows) == sum(links["dropped"].values())
    assert {row.split("\t")[0] for row in kept_rows} == {*ids, "report"}
    # Moses sides line up, TMX has one unit per kept two-sided link with its doc and score.
    moses = [(out / f"corpus.{lang}").read_text(encoding="utf-8").splitlines()
             for lang in ("ar", "fr")]
    assert len(moses[0]) == len(moses[1]) == links["kept"]
    units = etree.parse(str(out / "corpus.tmx")).findall(".//tu")
    assert len(units) == links["kept"]
    props = {p.get("type"): p.text for p in units[0].findall("prop")}
    assert props["x-doc"] == "doc000" and 0.0 < float(props["x-score"]) <= 1.0
    from translate.storage.tmx import tmxfile  # what CAT-tool pipelines read TMX with

    store = tmxfile.parsestring((out / "corpus.tmx").read_bytes())
    assert [(u.source, u.target) for u in store.units] == list(zip(*moses, strict=True))
    first = json.loads((out / "corpus.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert set(first) == {"doc", "source", "target", "src", "tgt", "score", "flags"}
    # The docx + html pair aligned its real sentences one to one.
    report = [row.split("\t") for row in kept_rows if row.startswith("report\t")]
    assert [r[3] for r in report] == fr[: len(report)] and len(report) >= len(fr) - 1


def test_mean_confidence_in_stats_and_table_is_the_links_confidence_not_their_cosine(tmp_path):
    """The table said "mean confidence per document" over the mean cosine: users read it as
    the chance the links are right. Now it is that chance; the cosine keeps its own name."""
    import io

    from rich.console import Console

    from aligner.corpus.stats import table

    write_pairs(tmp_path / "in", 2)
    out = tmp_path / "out"
    assert build(str(tmp_path / "in"), "-o", str(out), "-q").exit_code == 0
    stats = stats_of(out)
    for doc in stats["per_document"]:
        record = json.loads(next(p for p in (out / JOURNAL / "docs").rglob("*.json")
                                 if json.loads(p.read_text("utf-8"))["id"] == doc["id"])
                            .read_text("utf-8"))
        confidences = [link["confidence"] for link in record["links"]]
        assert doc["mean_confidence"] == pytest.approx(sum(confidences) / len(confidences),
                                                       abs=1e-3)
        assert doc["mean_score"] is not None  # kept for compatibility
    stream = io.StringIO()
    Console(file=stream, width=200).print(table(stats))
    rows = {line.split("  ")[0].strip(): line for line in stream.getvalue().splitlines()}
    means = sorted(doc["mean_confidence"] for doc in stats["per_document"])
    assert f"max {means[-1]:.2f}" in rows["mean confidence per document"]
    scores = sorted(doc["mean_score"] for doc in stats["per_document"])
    assert f"max {scores[-1]:.2f}" in rows["mean score (cosine) per document"]


def test_a_file_given_as_the_output_folder_is_refused_and_left_alone(tmp_path):
    write_pairs(tmp_path / "in", 1)
    taken = tmp_path / "corpus.tmx"
    taken.write_text("mine", encoding="utf-8")
    result = build(str(tmp_path / "in"), "-o", str(taken))
    assert result.exit_code == 2
    assert "is a file; build writes a folder of corpus files" in result.stderr
    assert result.stderr.count("\n") == 1 and taken.read_text(encoding="utf-8") == "mine"


def test_a_document_whose_pieces_moved_is_counted_and_marked_in_stats(tmp_path):
    """``align`` prints a note when the two sides do not follow one order; a build of
    thousands cannot, so stats.json counts those documents and marks each one, and the
    table names the fix."""
    import io

    from rich.console import Console

    from aligner.corpus.stats import table

    write_pairs(tmp_path / "in", 2)
    articles = flores_documents(8)[2:]
    ar = [s for article, _ in articles for s in article]
    fr = [s for _, article in reversed(articles) for s in article]  # articles in reverse order
    (tmp_path / "in" / "moved.ar.txt").write_text("\n\n".join(ar) + "\n", encoding="utf-8")
    (tmp_path / "in" / "moved.fr.txt").write_text("\n\n".join(fr) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert build(str(tmp_path / "in"), "-o", str(out), "-q").exit_code == 0
    stats = stats_of(out)
    assert stats["documents"]["order_doubtful"] == 1
    assert [d["id"] for d in stats["per_document"] if d.get("order_doubtful")] == ["moved"]
    stream = io.StringIO()
    Console(file=stream, width=200).print(table(stats))
    assert "not in one order (try --mode auto)" in stream.getvalue()


def test_ar_and_fr_subfolders_and_a_manifest(tmp_path):
    write_pairs(tmp_path / "flat", 2)
    for lang in ("ar", "fr"):
        (tmp_path / "tree" / lang / "news").mkdir(parents=True)
        for k in range(2):
            text = (tmp_path / "flat" / f"doc{k:03d}.{lang}.txt").read_text(encoding="utf-8")
            (tmp_path / "tree" / lang / "news" / f"story{k}.txt").write_text(text, "utf-8")
    assert build(str(tmp_path / "tree"), "-o", str(tmp_path / "o1"), "-q").exit_code == 0
    pairing = (tmp_path / "o1" / "pairing.tsv").read_text(encoding="utf-8").splitlines()
    assert [row.split("\t")[0] for row in pairing[1:]] == ["tree/news/story0",
                                                           "tree/news/story1"]
    manifest = tmp_path / "pairs.tsv"
    manifest.write_text("id\tar\tfr\nA\tflat/doc001.ar.txt\tflat/doc001.fr.txt\n", "utf-8")
    assert build(str(manifest), "-o", str(tmp_path / "o2"), "-q").exit_code == 0
    assert stats_of(tmp_path / "o2")["documents"]["aligned"] == 1


def test_pair_by_content_finds_translations_under_unrelated_names(tmp_path, monkeypatch,
                                                                 encoder):
    write_pairs(tmp_path / "flat", 4)
    shuffled = tmp_path / "in"
    for lang in ("ar", "fr"):
        (shuffled / lang).mkdir(parents=True)
    for k in range(4):
        (shuffled / "ar" / f"a{k}.txt").write_bytes(
            (tmp_path / "flat" / f"doc{k:03d}.ar.txt").read_bytes())
        (shuffled / "fr" / f"f{(k * 3 + 1) % 4}.txt").write_bytes(
            (tmp_path / "flat" / f"doc{k:03d}.fr.txt").read_bytes())
    out = tmp_path / "out"
    by_name = build(str(shuffled), "-o", str(tmp_path / "by-name"), "-q")
    assert by_name.exit_code == 3  # nothing pairs by name: 8 files reported
    result = build(str(shuffled), "-o", str(out), "--pair-by", "content", "-q")
    assert result.exit_code == 0, result.stderr
    rows = [r.split("\t") for r in (out / "pairing.tsv").read_text("utf-8").splitlines()[1:]]
    found = {Path(r[1]).name: Path(r[2]).name for r in rows}
    assert found == {f"a{k}.txt": f"f{(k * 3 + 1) % 4}.txt" for k in range(4)}
    assert all(r[3] == "content" and float(r[4]) >= 0.5 for r in rows)
    # A re-run takes the document vectors from the journal: nothing is read or encoded again.
    from aligner.corpus import runner

    monkeypatch.setattr(runner, "_doc_vector", lambda *args: pytest.fail("vector recomputed"))
    again = build(str(shuffled), "-o", str(out), "--pair-by", "content", "-q")
    assert again.exit_code == 0
    assert (out / "pairing.tsv").read_text("utf-8").count("\tcontent\t") == 4
    monkeypatch.undo()
    # No language in names or folders either: each file's language is identified first.
    flat = tmp_path / "flat-unnamed"
    flat.mkdir()
    for k in range(3):
        (flat / f"n{k}.txt").write_bytes((tmp_path / "flat" / f"doc{k:03d}.ar.txt").read_bytes())
        (flat / f"m{2 - k}.txt").write_bytes((tmp_path / "flat" / f"doc{k:03d}.fr.txt")
                                             .read_bytes())
    monkeypatch.setattr(aligner.api, "load_encoder", lambda name="use-m": encoder)
    result = build(str(flat), "-o", str(tmp_path / "out2"), "--pair-by", "content", "-q")
    assert result.exit_code == 0, result.stderr
    rows = [r.split("\t") for r in (tmp_path / "out2" / "pairing.tsv").read_text("utf-8")
            .splitlines()[1:]]
    assert {Path(r[1]).name: Path(r[2]).name for r in rows} == {"n0.txt": "m2.txt",
                                                                 "n1.txt": "m1.txt",
                                                                 "n2.txt": "m0.txt"}


# ---- filters -------------------------------------------------------------------------------

def _link(src: str, tgt: str, score: float | None = 0.8, langs=("ar", "fr")) -> dict:
    return {"src": src, "tgt": tgt, "score": score, "langs": list(langs), "source": [0],
            "target": [0], "flags": []}


def test_every_filter_reason_counts_its_link():
    corpus_filter = CorpusFilter(FilterSettings(min_score=0.5, min_ratio=0.5, max_ratio=3.0),
                                 "ar", "fr")
    ar, fr = "ارتفعت أسعار القمح بشكل كبير هذا الشهر.", "Les prix du blé ont fortement augmenté."
    cases = [
        (_link(ar, "", None), "one-sided"),
        (_link(ar, fr, 0.3), "low score"),
        (_link(ar, fr + " " + fr * 4), "length ratio"),
        (_link(ar, "The price of wheat rose sharply", langs=("ar", "en")), "wrong language"),
        (_link(ar, fr), None),
        (_link(ar, fr), "duplicate"),
        (_link(ar.replace("الشهر.", "الشهرَ!"), fr.upper()), "near duplicate"),
        (_link("٢٠٢٠", "2020", langs=(None, None)), None),
    ]
    assert [corpus_filter.reason(link) for link, _ in cases] == [r for _, r in cases]
    assert sum(corpus_filter.dropped.values()) == 6
    assert normal_key("Les  PRIX, du blé 2020 !") == "les prix du blé"


def test_keep_one_sided_goes_to_tsv_not_to_tmx(tmp_path):
    write_pairs(tmp_path / "in", 2)
    with (tmp_path / "in" / "doc000.fr.txt").open("a", encoding="utf-8") as stream:
        stream.write("\nCe paragraphe n'a pas été traduit en arabe, il reste seul ici.\n")
    result = build(str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--keep-one-sided",
                   "--formats", "tmx,tsv", "-q")
    assert result.exit_code == 0, result.stderr
    rows = (tmp_path / "out" / "corpus.tsv").read_text("utf-8").splitlines()
    one_sided = [r for r in rows if r.split("\t")[2] == ""]
    assert one_sided and "reste seul" in one_sided[0]
    units = etree.parse(str(tmp_path / "out" / "corpus.tmx")).findall(".//tu")
    assert len(units) == len(rows) - len(one_sided)
    assert not (tmp_path / "out" / "corpus.ar").exists()


# ---- failures --------------------------------------------------------------------------------

def test_failing_documents_are_listed_and_the_rest_is_built(tmp_path):
    src = tmp_path / "in"
    write_pairs(src, 2)
    (src / "cp.ar.txt").write_bytes("ارتفعت أسعار القمح بشكل كبير".encode("cp1256"))
    (src / "cp.fr.txt").write_text("Les prix du blé ont augmenté.", encoding="utf-8")
    (src / "enc.ar.pdf").write_bytes(b"%PDF-1.4\nnot really")
    (src / "enc.fr.pdf").write_bytes(b"%PDF-1.4\nnot really")
    (src / "same.ar.txt").write_text("Le texte est en français des deux côtés.\n", "utf-8")
    (src / "same.fr.txt").write_text("Le texte est en français des deux côtés.\n", "utf-8")
    (src / "orphan.fr.txt").write_text("Sans partenaire.\n", "utf-8")
    out = tmp_path / "out"
    result = build(str(src), "-o", str(out), "-q")
    assert result.exit_code == 3
    assert result.stderr.count("\n") == 1 and "errors.tsv" in result.stderr
    rows = [r.split("\t") for r in (out / "errors.tsv").read_text("utf-8").splitlines()[1:]]
    reasons = {r[0] or Path(r[1] or r[2]).name: r[3] for r in rows}
    assert "Windows-1256" in reasons["cp"] and "PDF" in reasons["enc"]
    assert "Arabic" in reasons["same"] or "ar" in reasons["same"]
    assert "no ar counterpart" in reasons["orphan.fr.txt"]
    stats = stats_of(out)
    assert stats["documents"]["aligned"] == 2 and stats["documents"]["failed"] == 3


def test_unpaired_files_in_both_languages_suggest_pair_by_content(tmp_path):
    """Scraped files rarely share names: when both languages have files left without a
    partner, the closing line says that --pair-by content can pair them; an orphan on one
    side only gets no such advice."""
    src = tmp_path / "in"
    write_pairs(src, 1)
    (src / "article_7.ar.txt").write_text("ارتفعت أسعار القمح بشكل كبير هذا الشهر.\n", "utf-8")
    result = build(str(src), "-o", str(tmp_path / "one"), "-q")
    assert result.exit_code == 3 and "--pair-by" not in result.stderr
    (src / "page_x.fr.txt").write_text("Les prix du blé ont fortement augmenté ce mois-ci.\n",
                                       "utf-8")
    result = build(str(src), "-o", str(tmp_path / "both"), "-q")
    assert result.exit_code == 3 and result.stderr.count("\n") == 1
    assert "2 file(s) had no partner" in result.stderr
    assert result.stderr.rstrip().endswith("add --pair-by content")


def test_no_documents_and_bad_options_are_one_line_errors(tmp_path):
    (tmp_path / "empty").mkdir()
    for args in (["build", str(tmp_path / "empty"), "-o", str(tmp_path / "o")],
                 ["build", str(tmp_path / "empty"), "-o", str(tmp_path / "o"),
                  "--formats", "tmx,docx"],
                 ["build", str(tmp_path / "nowhere"), "-o", str(tmp_path / "o")]):
        result = CliRunner().invoke(main, args, catch_exceptions=False)
        assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.stderr


def test_a_build_with_nothing_to_build_leaves_no_output_folder(tmp_path):
    """`aligner build emptydir -o out` exited 2 but left an empty out/ behind; a folder the
    user already had is kept as it was."""
    (tmp_path / "empty").mkdir()
    (tmp_path / "a.txt").write_text("not a folder\n", encoding="utf-8")
    for inputs in ("empty", "a.txt", "nowhere"):
        result = build(str(tmp_path / inputs), "-o", str(tmp_path / "new" / "out"), "-q")
        assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.stderr
        assert not (tmp_path / "new").exists(), inputs
    (tmp_path / "mine").mkdir()
    assert build(str(tmp_path / "empty"), "-o", str(tmp_path / "mine"), "-q").exit_code == 2
    assert (tmp_path / "mine").is_dir() and not list((tmp_path / "mine").iterdir())


@pytest.mark.parametrize("option, value, says", [
    ("--length-ratio", "3,0.5", "MIN above MAX"),
    ("--length-ratio", "2,2", "MIN equal to MAX"),
    ("--length-ratio", "-1,2", "negative MIN"),
    ("--length-ratio", "nan,3", "not a number"),
    ("--min-score", "nan", "not a number"),
    ("--min-score", "-0.1", "range"),
    ("--jobs", "0", "range"),
])
def test_nonsense_filter_values_are_refused_before_any_work(tmp_path, option, value, says):
    """--length-ratio 3,0.5 used to be accepted and silently drop every link as "length
    ratio": a value no corpus can want is exit 2, one line naming the option and the fix."""
    write_pairs(tmp_path / "in", 1)
    result = build(str(tmp_path / "in"), "-o", str(tmp_path / "out"), option, value, "-q")
    assert result.exit_code == 2, result.stderr
    assert result.stderr.count("\n") == 1 and option in result.stderr and says in result.stderr
    assert not (tmp_path / "out").exists()


# ---- journal and resume -------------------------------------------------------------------------

def test_rerun_aligns_nothing_and_other_filters_reuse_the_journal(tmp_path, monkeypatch):
    write_pairs(tmp_path / "in", 3)
    out = tmp_path / "out"
    assert build(str(tmp_path / "in"), "-o", str(out), "-q").exit_code == 0
    first = outputs(out)
    calls = Counter()
    original = worker.process_chunk
    monkeypatch.setattr("aligner.corpus.executors.process_chunk",
                        lambda pairs, wanted, options: calls.update(wanted)
                        or original(pairs, wanted, options))
    assert build(str(tmp_path / "in"), "-o", str(out), "-q").exit_code == 0
    assert outputs(out) == first and not calls
    assert build(str(tmp_path / "in"), "-o", str(out), "--min-score", "0.7", "-q").exit_code == 0
    assert not calls and stats_of(out)["links"]["kept"] < json.loads(first["stats.json"])[
        "links"]["kept"]
    (tmp_path / "in" / "doc001.fr.txt").write_text("Un autre texte, tout à fait différent.\n")
    build(str(tmp_path / "in"), "-o", str(out), "-q")
    assert calls == Counter(["doc001"])  # only the changed document is aligned again
    refused = build(str(tmp_path / "in"), "-o", str(out), "--mode", "free", "-q")
    assert refused.exit_code == 2 and "--fresh" in refused.stderr


def test_resume_says_once_how_many_documents_were_already_done(tmp_path):
    """On resume the progress counted only the documents left ("0/178 documents") without a
    word on the 192 already done: the user took it for a restart from scratch."""
    write_pairs(tmp_path / "in", 3)
    out = tmp_path / "out"
    first = build(str(tmp_path / "in"), "-o", str(out))
    assert first.exit_code == 0 and "already done" not in first.stderr
    next((out / JOURNAL / "docs").rglob("*.json")).unlink()  # as if killed before the last one
    resumed = build(str(tmp_path / "in"), "-o", str(out))
    assert resumed.exit_code == 0, resumed.stderr
    assert resumed.stderr.count("already done") == 1
    assert "build: 2 of 3 documents already done (resumed from " in resumed.stderr
    assert "1 to align" in resumed.stderr
    assert build(str(tmp_path / "in"), "-o", str(out), "-q").stderr == ""


def test_kill_9_mid_run_then_resume_gives_the_uninterrupted_output(tmp_path):
    src = tmp_path / "in"
    write_pairs(src, 32)
    reference = tmp_path / "reference"
    assert build(str(src), "-o", str(reference), "-q").exit_code == 0
    out = tmp_path / "out"
    command = [sys.executable, "-m", "aligner", "build", str(src), "-o", str(out), "-q"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    docs = out / JOURNAL / "docs"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if docs.is_dir() and len(list(docs.rglob("*.json"))) >= 3:
            break
        time.sleep(0.02)
    assert process.poll() is None, "the build ended before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    done_before = len(list(docs.rglob("*.json")))
    assert 3 <= done_before < 32
    assert not any((out / name).exists() for name in OUTPUTS)  # nothing half-written
    (out / ".corpus.tsv.0bad.tmp").write_text("what a run killed while writing leaves")
    resumed = subprocess.run(command, env=env, capture_output=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert outputs(out) == outputs(reference)
    assert len(list(docs.rglob("*.json"))) == 32
    assert not list(out.glob(".*.tmp"))


# ---- parallel and distributed ----------------------------------------------------------------

@pytest.fixture(scope="module")
def reference_build(tmp_path_factory, encoder):
    """Eight pairs built in this process: what every parallel run must reproduce."""
    base = tmp_path_factory.mktemp("parallel")
    write_pairs(base / "in", 8)
    import aligner.api as api

    saved = api.load_encoder
    api.load_encoder = lambda name="use-m": encoder
    try:
        result = CliRunner().invoke(main, ["build", str(base / "in"), "-o",
                                           str(base / "serial"), "-q"], catch_exceptions=False)
    finally:
        api.load_encoder = saved
    assert result.exit_code == 0
    return base


def test_jobs_2_gives_the_single_process_result(reference_build):
    out = reference_build / "jobs2"
    result = build(str(reference_build / "in"), "-o", str(out), "--jobs", "2", "-q")
    assert result.exit_code == 0, result.stderr
    assert outputs(out) == outputs(reference_build / "serial")


def test_dask_cluster_with_two_worker_processes_gives_the_same_result(reference_build,
                                                                      monkeypatch):
    from distributed import Client, LocalCluster

    monkeypatch.setenv("PYTHONPATH", str(REPO))  # the spawned workers import this tree
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None, host="127.0.0.1") as cluster, \
            Client(cluster, set_as_default=False) as client:  # build must not need a default
        out = reference_build / "dask"
        result = build(str(reference_build / "in"), "-o", str(out), "--scheduler",
                       cluster.scheduler_address, "-q")
        assert result.exit_code == 0, result.stderr
        pids = client.run(os.getpid)
        loaded = client.run(lambda: sorted(__import__("aligner.corpus.worker",
                                                      fromlist=["_ENCODERS"])._ENCODERS))
    assert len(set(pids.values())) == 2 and all(v == ["use-m"] for v in loaded.values())
    assert outputs(out) == outputs(reference_build / "serial")


def test_unreachable_scheduler_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setattr("aligner.corpus.executors.CONNECT_TIMEOUT", "1s")
    write_pairs(tmp_path / "in", 1)
    result = build(str(tmp_path / "in"), "-o", str(tmp_path / "o"), "--scheduler",
                   "tcp://127.0.0.1:9", "-q")
    assert result.exit_code == 2 and "cannot reach the Dask scheduler" in result.stderr


# ---- progress --------------------------------------------------------------------------------

def test_progress_off_a_terminal_is_one_line_per_interval(capsys):
    from rich.console import Console

    console = Console(stderr=True, force_terminal=False)
    progress = BuildProgress(console, total=3, every=0.0)
    progress.advance(10)
    progress.advance(5)
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2 and lines[1].startswith("build: aligning 2/3 documents, ")
    assert "sentences/s" in lines[1] and "left" in lines[1]
    quiet = BuildProgress(console, total=3, every=3600.0)
    quiet.advance(1)
    assert capsys.readouterr().err == ""


def test_progress_on_a_terminal_is_a_bar_with_documents_rate_and_eta():
    import io

    from rich.console import Console

    from aligner.corpus.progress import build_progress

    stream = io.StringIO()
    console = Console(file=stream, force_terminal=True, width=120)
    with build_progress(console, total=4) as progress:
        progress.advance(12)
        progress.bar.refresh()
        shown = stream.getvalue()
    assert "1/4" in shown and "documents" in shown and "sentences/s" in shown
    assert "ETA" in shown
