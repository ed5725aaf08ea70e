"""Issue 4: `aligner align SRC TGT --anchors reviewed.json` keeps the reviewer's links and
re-aligns only the stretches between them.

The documents are 24 FLORES dev sentences per side, one per line (``--presplit``), so the gold
pairing is sentence k with sentence k.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import aligner.api
from aligner import align_files
from aligner.api import Options
from aligner.cli import main
from aligner.types import Alignment, Link, Sentence, Side
from aligner.writers import write_alignment

DATA = Path(__file__).parent / "data"
N = 24
PRESPLIT = Options(presplit=True)


@pytest.fixture(autouse=True)
def shared_encoder(monkeypatch, encoder):
    monkeypatch.setattr(aligner.api, "load_encoder", lambda name="use-m": encoder)


@pytest.fixture
def files(tmp_path) -> tuple[Path, Path]:
    paths = []
    for name in ("arb_Arab", "fra_Latn"):
        lines = (DATA / f"flores_dev_excerpt.{name}").read_text(encoding="utf-8").splitlines()
        path = tmp_path / f"doc.{name[:2]}.txt"
        path.write_text("\n".join(lines[:N]) + "\n", encoding="utf-8")
        paths.append(path)
    return paths[0], paths[1]


def review(files, tmp_path, links: list[Link]) -> Path:
    """A review of ``files`` holding exactly ``links`` (as an export from the report would)."""
    base = align_files(str(files[0]), str(files[1]), options=PRESPLIT)
    path = tmp_path / "reviewed.json"
    write_alignment(Alignment(base.source, base.target, tuple(links), base.model, "ordered"),
                    "json", str(path))
    return path


def pairs(alignment: Alignment) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(link.source, link.target) for link in alignment.links]


def test_wrong_links_between_accepted_ones_are_re_decided(files, tmp_path, encoder):
    """Links 8-15 are shifted by one (the aligner's mistake, say); the reviewer accepts links
    7 and 16 only. Re-aligning the stretch between them puts every sentence back with its
    translation, and the accepted links keep their status."""
    links = [Link((k,), (k,), 0.8) for k in range(8)]
    links += [Link((k,), (k + 1,), 0.3) for k in range(8, 15)] + [Link((15,), (8,), 0.2)]
    links += [Link((k,), (k,), 0.8) for k in range(16, N)]
    links[7] = Link((7,), (7,), 0.8, status="accepted")
    links[16] = Link((16,), (16,), 0.8, status="accepted")
    reviewed = review(files, tmp_path, links)
    result = align_files(str(files[0]), str(files[1]), options=PRESPLIT, encoder=encoder,
                         anchors=str(reviewed))
    assert pairs(result) == [((k,), (k,)) for k in range(N)]
    assert [k for k, link in enumerate(result.links) if link.status] == [7, 16]
    assert result.settings["anchors"] == 2


def test_edited_links_are_kept_as_the_reviewer_made_them(files, tmp_path, encoder):
    """An edited merge (sentences 4 → 4+5) and a sentence declared untranslated (10 → nothing)
    stay; everything else is aligned around them, each sentence once."""
    links = [Link((k,), (k,), 0.8) for k in range(N)]
    links[4] = Link((4,), (4, 5), None, status="edited")
    links[5] = Link((5,), (), None)
    links[10] = Link((10,), (), None, status="edited")
    links.insert(11, Link((), (10,), None))
    reviewed = review(files, tmp_path, links)
    result = align_files(str(files[0]), str(files[1]), options=PRESPLIT, encoder=encoder,
                         anchors=str(reviewed))
    found = pairs(result)
    assert ((4,), (4, 5)) in found and ((10,), ()) in found
    assert sorted(i for s, _ in found for i in s) == list(range(N))
    assert sorted(j for _, t in found for j in t) == list(range(N))
    assert [p for p in found if p[0] and p[0][0] > 11] == [((k,), (k,)) for k in range(12, N)]


def run(*args: str):
    return CliRunner().invoke(main, list(args), prog_name="aligner", catch_exceptions=False)


def test_cli_anchors_errors_are_one_line_exit_2(files, tmp_path):
    crossing = review(files, tmp_path, [Link((2,), (5,), 0.5, status="accepted"),
                                        Link((4,), (1,), 0.5, status="accepted")])
    out = tmp_path / "out.json"
    result = run("align", str(files[0]), str(files[1]), "--presplit", "--anchors", str(crossing),
                 "-o", str(out))
    assert result.exit_code == 2 and "fixed links cross" in result.stderr
    assert str(crossing) in result.stderr and not out.exists()
    # A review of other text: the same files without --presplit are split differently...
    other = tmp_path / "other.json"
    src = Side("ar", None, (Sentence("نص آخر.", 0),))
    write_alignment(Alignment(src, src, (Link((0,), (0,), 0.9),), "m", "ordered"), "json",
                    str(other))
    result = run("align", str(files[0]), str(files[1]), "--presplit", "--anchors", str(other))
    assert result.exit_code == 2 and "other text" in result.stderr
    result = run("align", str(files[0]), str(files[1]), "--mode", "free", "--anchors",
                 str(crossing))
    assert result.exit_code == 2 and "--mode free" in result.stderr


def test_cli_anchors_writes_the_review_statuses(files, tmp_path):
    reviewed = review(files, tmp_path, [Link((k,), (k,), 0.8, status="accepted" if k == 3
                                             else None) for k in range(N)])
    result = run("align", str(files[0]), str(files[1]), "--presplit", "--anchors",
                 str(reviewed), "-f", "json")
    assert result.exit_code == 0, result.stderr
    links = json.loads(result.stdout)["links"]
    assert [link.get("status") for link in links].count("accepted") == 1
    assert links[3]["status"] == "accepted"
