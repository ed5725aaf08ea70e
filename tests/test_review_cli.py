"""Issue 4: `aligner report` and `aligner convert` on saved and reviewed alignments (no model)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from aligner.cli import main
from aligner.types import Alignment, Link, Sentence, Side
from aligner.writers import write_alignment

AR = ["قال الرئيس إن الحكومة ستبني 12 مدرسة جديدة.", "ارتفعت أسعار القمح هذا الشهر.",
      "هطلت أمطار غزيرة على العاصمة.", "شكراً لمتابعتكم."]
FR = ["Le président a dit que le gouvernement construira 12 nouvelles écoles.",
      "Les prix du blé ont augmenté ce mois-ci.", "De fortes pluies sont tombées sur la capitale."]


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), prog_name="aligner", catch_exceptions=False)


@pytest.fixture
def reviewed(tmp_path: Path) -> Path:
    """A review: link 0 accepted, link 1 rejected, link 2 unreviewed, link 3 edited (1-0)."""
    src = Side("ar", "ar.txt", tuple(Sentence(t, 0, k + 1) for k, t in enumerate(AR)))
    tgt = Side("fr", "fr.txt", tuple(Sentence(t, 0, k + 1) for k, t in enumerate(FR)))
    links = (Link((0,), (0,), 0.81, status="accepted"), Link((1,), (1,), 0.44, status="rejected"),
             Link((2,), (2,), 0.7), Link((3,), (), None, status="edited"))
    path = tmp_path / "reviewed.json"
    write_alignment(Alignment(src, tgt, links, "use-m-v3", "ordered"), "json", str(path))
    return path


def test_convert_accepted_only_keeps_the_reviewers_links(reviewed, tmp_path):
    out = tmp_path / "kept.json"
    assert run("convert", str(reviewed), "-f", "json", "--accepted-only", "-o", str(out)
               ).exit_code == 0
    links = json.loads(out.read_text(encoding="utf-8"))["links"]
    assert [(lk["source"], lk["target"], lk["status"]) for lk in links] == [
        ([0], [0], "accepted"), ([3], [], "edited")]
    assert links[1]["flags"] == ["omission"]


def test_convert_writes_a_rejected_link_as_unlinked_sentences(reviewed):
    result = run("convert", str(reviewed), "-f", "vecalign")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "[0]:[0]:0.810000", "[1]:[]:0.000000", "[]:[1]:0.000000", "[2]:[2]:0.700000",
        "[3]:[]:0.000000"]
    tsv = run("convert", str(reviewed), "-f", "tsv")
    assert [line.split("\t")[1] for line in tsv.stdout.splitlines()] == [
        AR[0], AR[1], "", AR[2], AR[3]]


def test_convert_json_keeps_the_review_as_it_is(reviewed):
    links = json.loads(run("convert", str(reviewed), "-f", "json").stdout)["links"]
    assert [lk.get("status") for lk in links] == ["accepted", "rejected", None, "edited"]
    assert "low-confidence" in links[1]["flags"]  # flags are recomputed on reading


@pytest.mark.parametrize("command", [["convert", "-f", "tsv"], ["report"]])
def test_a_saved_review_is_never_overwritten_by_its_own_conversion(reviewed, command):
    """A reviewer's exported JSON may be hours of work: ``-o`` naming it is refused."""
    before = reviewed.read_bytes()
    result = run(command[0], str(reviewed), *command[1:], "-o", str(reviewed))
    assert result.exit_code == 2
    assert "would overwrite the input" in result.stderr
    assert reviewed.read_bytes() == before


def test_report_defaults_to_the_json_name_with_html(reviewed):
    result = run("report", str(reviewed))
    assert result.exit_code == 0, result.stderr
    page = reviewed.with_suffix(".html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '"status": "rejected"' in page
    assert "<script src" not in page and "http://" not in page.replace(
        "http://www.w3.org/2000/svg", "")


@pytest.mark.parametrize("content, message", [
    ('{"version": 1', "not valid JSON"),
    ('{"version": 7, "links": []}', "version 7 is not supported"),
    (None, "unknown status 'maybe'"),
])
def test_bad_alignment_file_is_one_line_exit_2_and_no_output(reviewed, tmp_path, content,
                                                             message):
    bad = tmp_path / "bad.json"
    if content is None:
        content = reviewed.read_text(encoding="utf-8").replace('"accepted"', '"maybe"')
    bad.write_text(content, encoding="utf-8")
    for args in (["report", str(bad), "-o", str(tmp_path / "r.html")],
                 ["convert", str(bad), "-f", "tmx", "-o", str(tmp_path / "r.tmx")]):
        result = run(*args)
        assert result.exit_code == 2
        assert result.stderr.count("\n") == 1 and message in result.stderr
        assert str(bad) in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json", "reviewed.json"]


@pytest.mark.parametrize("edit, message", [
    (lambda links: links.pop(2), "source sentence 2 is in no link"),
    (lambda links: links.append(links[1]), "source sentence 1 is in two links (links[1] and "
                                           "links[4])"),
    (lambda links: links[0]["target"].append(0), "target sentence 0 is twice in links[0]"),
    (lambda links: links[3]["source"].clear(), "source sentence 3 is in no link"),
])
def test_alignment_that_loses_or_repeats_a_sentence_is_refused(reviewed, tmp_path, edit,
                                                               message):
    """A hand-edited file with a link deleted used to drop its sentences from the TSV without
    a word, and a duplicated link wrote them twice: every sentence must be in exactly one
    link, so report and convert stop with one line naming the file and the sentence."""
    doc = json.loads(reviewed.read_text(encoding="utf-8"))
    edit(doc["links"])
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    commands = [["convert", str(bad), "-f", "tsv", "-o", str(tmp_path / "r.tsv")]]
    if "two links" not in message:  # the report shows those, flagged linked-twice (below)
        commands.append(["report", str(bad), "-o", str(tmp_path / "r.html")])
    for args in commands:
        result = run(*args)
        assert result.exit_code == 2, result.stderr
        assert result.stderr.count("\n") == 1
        assert result.stderr.startswith(f"aligner: {bad}: {message}"), result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json", "reviewed.json"]


def test_the_report_shows_a_sentence_linked_twice_for_the_reviewer_to_fix(reviewed, tmp_path):
    """A hand-edited file that links one sentence twice is what the ``linked-twice`` flag is
    for: the report opens it with both links flagged (convert, which writes a corpus, refuses
    it)."""
    doc = json.loads(reviewed.read_text(encoding="utf-8"))
    doc["links"].append({**doc["links"][1], "target": []})
    doc["links"][1]["status"] = None
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = run("report", str(edited), "-o", str(tmp_path / "edited.html"))
    assert result.exit_code == 0, result.stderr
    page = (tmp_path / "edited.html").read_text(encoding="utf-8")
    assert run("report", str(reviewed), "-o", str(tmp_path / "plain.html")).exit_code == 0
    plain = (tmp_path / "plain.html").read_text(encoding="utf-8")
    assert page.count('"linked-twice"') == plain.count('"linked-twice"') + 2  # both links


def test_convert_moses_needs_a_path(reviewed):
    result = run("convert", str(reviewed), "-f", "moses")
    assert result.exit_code == 2 and "needs a path" in result.stderr


def test_terminal_summary_counts_the_flagged_links(reviewed):
    """After `aligner align`, stderr says how many links to check and why."""
    from aligner.console import summary
    from aligner.review import read_alignment

    text = summary(read_alignment(str(reviewed)), ["out.json"])
    assert "4 links (3 1-1, 1 1-0)" in text
    assert "2 links flagged for review (1 low-confidence, 1 omission)" in text
    assert text.endswith("written: out.json")
