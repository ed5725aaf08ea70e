"""Output formats: what each file holds, that it is valid for the tools that read it, and that
it appears whole or not at all."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from aligner import __version__
from aligner.errors import FormatError, InputError, OutputError
from aligner.types import Alignment, Link, Sentence, Side, Skipped
from aligner.writers import FORMATS, json_format, moses, tmx, tsv, vecalign, write_alignment

DATA = Path(__file__).parent / "data"
TMX_DTD = etree.DTD(str(DATA / "tmx14.dtd"))


def make_alignment(**changes: object) -> Alignment:
    """Arabic–French, with a 1-2 link, one-sided links, a tab, a line break and a control char."""
    source = Side(
        "ar",
        "a.txt",
        (
            Sentence("ذهبت إلى السوق.", 0, 1),
            Sentence("اشتريت\tخبزًا\nوحليبًا.", 0, 2),
            Sentence("جملة بلا ترجمة.", 1, 4),
        ),
    )
    target = Side(
        "fr",
        "b.txt",
        (
            Sentence("Je suis allé au marché.", 0, 1),
            Sentence("J'ai acheté du pain", 0, 2),
            Sentence("et du lait.", 0, 3),
            Sentence("Ajout <&> \x07 du traducteur.", 1, None),
        ),
    )
    fields: dict[str, object] = {
        "source": source,
        "target": target,
        "links": (
            Link((0,), (0,), 0.91234),
            Link((1,), (1, 2), 0.77, flags=("merge",)),
            Link((2,), (), None),
            Link((), (3,), None, status="accepted"),
        ),
        "model": "use-m-v3",
        "mode": "ordered",
        "skipped": (Skipped("@handle", 3, "neither language"),),
        "settings": {"margin": True, "band": 8},
    }
    fields.update(changes)
    return Alignment(**fields)  # type: ignore[arg-type]


def written(fmt: str, alignment: Alignment | None = None, **kwargs: object) -> str:
    out = io.StringIO()
    write_alignment(alignment or make_alignment(), fmt, None, stdout=out, **kwargs)  # type: ignore[arg-type]
    return out.getvalue()


# ---- JSON ----------------------------------------------------------------------------------


def test_json_follows_the_contract() -> None:
    doc = json.loads(written("json"))
    assert list(doc) == [
        "version", "source", "target", "skipped", "model", "mode", "aligner", "links",
    ]  # fmt: skip
    assert doc["version"] == 1
    assert doc["source"]["lang"] == "ar" and doc["source"]["path"] == "a.txt"
    assert doc["source"]["sentences"][1] == {
        "text": "اشتريت\tخبزًا\nوحليبًا.",
        "paragraph": 0,
        "line": 2,
    }
    assert "line" not in doc["target"]["sentences"][3]  # unknown line: key left out
    assert doc["skipped"] == [{"text": "@handle", "line": 3, "reason": "neither language"}]
    assert (doc["model"], doc["mode"]) == ("use-m-v3", "ordered")
    assert doc["aligner"] == {"version": __version__, "settings": {"band": 8, "margin": True}}
    assert doc["links"] == [
        {"source": [0], "target": [0], "score": 0.9123},
        {"source": [1], "target": [1, 2], "score": 0.77, "flags": ["merge"]},
        {"source": [2], "target": [], "score": None},
        {"source": [], "target": [3], "score": None, "status": "accepted"},
    ]


def test_json_leaves_out_skipped_when_nothing_was_skipped() -> None:
    assert "skipped" not in json.loads(written("json", make_alignment(skipped=())))


def test_json_keeps_arabic_readable_and_one_link_per_line() -> None:
    text = written("json")
    assert "ذهبت إلى السوق." in text  # not \\u escapes
    assert '  {"source": [1], "target": [1, 2], "score": 0.77, "flags": ["merge"]},\n' in text


def test_json_is_byte_identical_across_runs() -> None:
    assert written("json") == written("json", make_alignment())


def test_json_round_trips() -> None:
    alignment = make_alignment(links=(Link((0, 1, 2), (0, 1, 2, 3), 0.5, ("a", "b"), "edited"),))
    assert json_format.read(io.StringIO(written("json", alignment)), "x.json") == alignment


def test_json_with_no_sentences_is_valid() -> None:
    empty = make_alignment(
        source=Side("ar", None, ()), target=Side("fr", None, ()), links=(), skipped=()
    )
    assert json_format.read(io.StringIO(written("json", empty)), "x.json") == empty


_texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)


@st.composite
def alignments(draw: st.DrawFn) -> Alignment:
    """Any alignment the writers may meet: spans, one-sided links, odd text, optional fields."""

    def side(lang: str) -> Side:
        n = draw(st.integers(0, 5))
        lines = st.none() | st.integers(1, 99)
        rows = [Sentence(draw(_texts), draw(st.integers(0, 3)), draw(lines)) for _ in range(n)]
        return Side(lang, draw(st.none() | _texts), tuple(rows))

    source, target = side("ar"), side("fr")

    def span(size: int) -> tuple[int, ...]:
        if not size:
            return ()
        return tuple(sorted(draw(st.sets(st.integers(0, size - 1), max_size=3))))

    links = []
    for _ in range(draw(st.integers(0, 6))):
        score = draw(st.none() | st.integers(0, 10_000).map(lambda i: i / 10_000))
        flags = tuple(draw(st.lists(_texts, max_size=2)))
        status = draw(st.none() | st.sampled_from(["accepted", "rejected"]))
        confidence = draw(st.none() | st.integers(0, 1000).map(lambda i: i / 1000))
        links.append(Link(span(len(source.sentences)), span(len(target.sentences)), score,
                          flags, status, confidence))
    skipped = tuple(
        Skipped(draw(_texts), draw(st.integers(1, 99)), "other")
        for _ in range(draw(st.integers(0, 2)))
    )
    settings_ = draw(
        st.dictionaries(st.text(max_size=5), st.integers() | st.booleans(), max_size=3)
    )
    return Alignment(source, target, tuple(links), draw(_texts), "ordered", skipped, settings_)


@settings(max_examples=150, deadline=None)
@given(alignments())
def test_json_round_trip_property(alignment: Alignment) -> None:
    text = written("json", alignment)
    assert json_format.read(io.StringIO(text), "x.json") == alignment


@settings(max_examples=100, deadline=None)
@given(alignments())
def test_line_formats_keep_one_line_per_link_property(alignment: Alignment) -> None:
    links = [(link.source, link.target) for link in alignment.links]
    assert vecalign.read(io.StringIO(written("vecalign", alignment)), "x") == links
    rows = written("tsv", alignment).splitlines()
    assert len(rows) == len(links) and all(row.count("\t") == 2 for row in rows)


@settings(max_examples=100, deadline=None)
@given(alignments())
def test_tmx_is_valid_for_any_text_property(alignment: Alignment) -> None:
    root = etree.fromstring(tmx_bytes(alignment))
    assert TMX_DTD.validate(root), TMX_DTD.error_log.filter_from_errors()
    assert len(root.findall("body/tu")) == sum(bool(x.source and x.target) for x in alignment.links)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"version": 1,\n "source": [', "not valid JSON: Expecting value (line 2, column 13)"),
        ("[]", "top level: expected an object, got a list"),
        ('{"version": 2}', "version 2 is not supported (expected 1)"),
        ('{"version": 1}', "top level: missing key 'source'"),
    ],
)
def test_json_read_rejects_what_is_not_an_alignment(text: str, message: str) -> None:
    with pytest.raises(FormatError) as caught:
        json_format.read(io.StringIO(text), "review.json")
    assert caught.value.path == "review.json"
    assert message in caught.value.one_line()
    assert "\n" not in caught.value.one_line()


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["links"][1]["target"].append(9), "links[1].target[2]: index 9 is outside"),
        (lambda d: d["links"][0].update(source=[-1]), "links[0].source[0]: index -1 is outside"),
        (lambda d: d["links"][0].pop("score"), "links[0]: missing key 'score'"),
        (lambda d: d["links"][0].update(score="high"), "links[0].score: expected a number"),
        (lambda d: d["source"]["sentences"][0].pop("text"), "source.sentences[0]: missing key"),
        (lambda d: d["target"].update(lang=None), "target.lang: expected a string, got null"),
        (lambda d: d["links"][1].update(flags="merge"), "links[1].flags: expected a list of str"),
        (lambda d: d["skipped"][0].update(line=True), "skipped[0].line: expected an integer"),
    ],
)
def test_json_read_names_the_bad_place(edit: Callable[[dict], object], message: str) -> None:
    doc = json.loads(written("json"))
    edit(doc)
    with pytest.raises(FormatError) as caught:
        json_format.read(io.StringIO(json.dumps(doc)), "review.json")
    assert caught.value.one_line().startswith(f"review.json: {message}")


# ---- TSV, Moses, Vecalign -----------------------------------------------------------------


def test_tsv_has_one_line_and_three_columns_per_link() -> None:
    assert written("tsv") == (
        "0.9123\tذهبت إلى السوق.\tJe suis allé au marché.\n"
        "0.7700\tاشتريت خبزًا وحليبًا.\tJ'ai acheté du pain et du lait.\n"
        "\tجملة بلا ترجمة.\t\n"
        "\t\tAjout <&> \x07 du traducteur.\n"
    )


def test_tsv_flattens_every_kind_of_line_break() -> None:
    breaks = "a\r\nb\u2028c\x85d\te"
    alignment = make_alignment(
        source=Side("ar", None, (Sentence(breaks, 0),)), links=(Link((0,), (0,), 0.5),)
    )
    assert written("tsv", alignment).splitlines() == ["0.5000\ta  b c d e\tJe suis allé au marché."]


def test_moses_pairs_only_two_sided_links() -> None:
    src, tgt = io.StringIO(), io.StringIO()
    moses.write_pair(make_alignment(), src, tgt)
    assert src.getvalue() == "ذهبت إلى السوق.\nاشتريت خبزًا وحليبًا.\n"
    assert tgt.getvalue() == "Je suis allé au marché.\nJ'ai acheté du pain et du lait.\n"


def test_vecalign_output_matches_vecalign_byte_for_byte() -> None:
    # Vecalign's dp_utils.print_alignments prints '%s:%s:%.6f' % (list, list, cost), and 0.0
    # for insertions and deletions (thompsonb/vecalign README, "[6]:[6, 7, 8]:0.507506").
    assert written("vecalign") == (
        "[0]:[0]:0.912340\n[1]:[1, 2]:0.770000\n[2]:[]:0.000000\n[]:[3]:0.000000\n"
    )


def test_vecalign_reads_back_what_it_writes_and_gold_files() -> None:
    links = vecalign.read(io.StringIO(written("vecalign")), "out.txt")
    assert links == [((0,), (0,)), ((1,), (1, 2)), ((2,), ()), ((), (3,))]
    gold = "[8, 9]:[10, 11, 12]\n[]:[16]\n\n[1,2]:[3]:0.77\r\n"
    assert vecalign.read(io.StringIO(gold), "g") == [
        ((8, 9), (10, 11, 12)),
        ((), (16,)),
        ((1, 2), (3,)),
    ]


@pytest.mark.parametrize(
    "bad",
    ["[0]-[1]", "[0]:[1", "[a]:[1]", "[0]:[1]:high", "[-1]:[0]", "[1,,2]:[3]", "[٣]:[1]", "0:1"],
)
def test_vecalign_bad_line_names_file_and_line(bad: str) -> None:
    with pytest.raises(FormatError) as caught:
        vecalign.read(io.StringIO(f"[0]:[0]\n{bad}\n"), "pred.txt")
    assert caught.value.one_line().startswith("pred.txt: line 2: ")


# ---- TMX -----------------------------------------------------------------------------------


def tmx_bytes(alignment: Alignment | None = None, **kwargs: object) -> bytes:
    out = io.BytesIO()
    tmx.write(alignment or make_alignment(), out, **kwargs)  # type: ignore[arg-type]
    return out.getvalue()


def test_tmx_is_valid_against_the_tmx14_dtd() -> None:
    tree = etree.fromstring(tmx_bytes(), etree.XMLParser(resolve_entities=False))
    assert TMX_DTD.validate(tree), TMX_DTD.error_log.filter_from_errors()


def test_tmx_header_records_languages_tool_and_model() -> None:
    header = etree.fromstring(tmx_bytes()).find("header")
    assert dict(header.attrib) == {
        "creationtool": "aligner",
        "creationtoolversion": __version__,
        "datatype": "plaintext",
        "segtype": "sentence",
        "adminlang": "en",
        "srclang": "ar",
        "o-tmf": "aligner",
    }
    assert [(p.get("type"), p.text) for p in header] == [
        ("x-model", "use-m-v3"),
        ("x-mode", "ordered"),
    ]


def test_tmx_parses_with_translate_toolkit_into_the_two_sided_links() -> None:
    ttk_tmx = pytest.importorskip("translate.storage.tmx", reason="pip install translate-toolkit")
    store = ttk_tmx.tmxfile.parsestring(tmx_bytes())
    assert [(unit.source, unit.target) for unit in store.units] == [
        ("ذهبت إلى السوق.", "Je suis allé au marché."),
        ("اشتريت خبزًا وحليبًا.", "J'ai acheté du pain et du lait."),
    ]
    assert store.sourcelanguage == "ar"


def test_tmx_unit_carries_score_and_language_codes() -> None:
    root = etree.fromstring(tmx_bytes(langs=("ar-SA", "fr-FR")))
    units = root.findall("body/tu")
    assert [u.findtext("prop[@type='x-score']") for u in units] == ["0.9123", "0.7700"]
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert [tuv.get(lang) for tuv in units[0].findall("tuv")] == ["ar-SA", "fr-FR"]
    assert root.find("header").get("srclang") == "ar-SA"


def test_tmx_drops_characters_xml_cannot_hold() -> None:
    text = "a\x00b\x07c\x1fd\ufffee\uffff\ud800f\tg ok"
    alignment = make_alignment(
        source=Side("ar", None, (Sentence(text, 0),)), links=(Link((0,), (3,), 0.5),)
    )
    seg = etree.fromstring(tmx_bytes(alignment)).findtext("body/tu/tuv/seg")
    assert seg == "abcdef g ok"
    target = etree.fromstring(tmx_bytes(alignment)).findall("body/tu/tuv/seg")[1].text
    assert target == "Ajout <&>  du traducteur."


def test_tmx_is_byte_identical_across_runs() -> None:
    assert tmx_bytes() == tmx_bytes(make_alignment())


def test_tmx_rejects_a_language_code_that_is_not_one() -> None:
    with pytest.raises(InputError, match="not a language code"):
        tmx_bytes(langs=("ar", "fr FR"))


def test_tmx_to_a_text_stream_without_buffer() -> None:
    assert written("tmx", tmx_langs=("ar", "fr")).encode("utf-8") == tmx_bytes()


# ---- write_alignment and atomic files ------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "tsv", "tmx", "vecalign"])
def test_file_output_equals_stdout_output(fmt: str, tmp_path: Path) -> None:
    path = tmp_path / f"out.{fmt}"
    assert write_alignment(make_alignment(), fmt, str(path)) == [str(path)]
    assert path.read_bytes() == written(fmt).encode("utf-8")
    assert os.listdir(tmp_path) == [path.name]  # no temporary file left


def test_stdout_binary_buffer_gets_tmx(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    write_alignment(make_alignment(), "tmx", None)
    assert capsysbinary.readouterr().out == tmx_bytes()


def test_moses_writes_prefix_dot_lang_pair(tmp_path: Path) -> None:
    prefix = str(tmp_path / "out")
    assert write_alignment(make_alignment(), "moses", prefix) == [f"{prefix}.ar", f"{prefix}.fr"]
    assert (tmp_path / "out.ar").read_text("utf-8").count("\n") == 2
    assert (tmp_path / "out.fr").read_text("utf-8").splitlines()[1] == (
        "J'ai acheté du pain et du lait."
    )


def test_moses_refuses_two_sides_with_the_same_language(tmp_path: Path) -> None:
    alignment = make_alignment(target=Side("ar", None, make_alignment().target.sentences))
    with pytest.raises(InputError, match="would collide"):
        write_alignment(alignment, "moses", str(tmp_path / "out"))


def test_moses_needs_a_path() -> None:
    with pytest.raises(InputError) as caught:
        write_alignment(make_alignment(), "moses", None, stdout=io.StringIO())
    assert caught.value.hint == "add -o PATH"


def test_unknown_format_lists_the_known_ones() -> None:
    with pytest.raises(InputError) as caught:
        write_alignment(make_alignment(), "xlsx", "out.xlsx")
    assert caught.value.hint == f"choose one of {', '.join(FORMATS)}"


def test_missing_folder_is_an_output_error_naming_the_path(tmp_path: Path) -> None:
    path = str(tmp_path / "no" / "such" / "out.json")
    with pytest.raises(OutputError) as caught:
        write_alignment(make_alignment(), "json", path)
    assert caught.value.path == path
    assert "no such file or directory" in caught.value.message
    assert "writable" in (caught.value.hint or "")


def test_a_folder_as_output_is_an_output_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="is a folder"):
        write_alignment(make_alignment(), "tsv", str(tmp_path))


def test_failed_write_keeps_the_old_file_and_leaves_no_temp(tmp_path: Path) -> None:
    path = tmp_path / "out.json"
    path.write_text("old", "utf-8")
    broken = make_alignment(links=(Link((0,), (0,), float("nan")),))  # JSON has no NaN
    with pytest.raises(ValueError):
        write_alignment(broken, "json", str(path))
    assert path.read_text("utf-8") == "old"
    assert os.listdir(tmp_path) == ["out.json"]


def test_moses_leaves_neither_file_when_the_second_rename_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = os.replace
    calls: list[str] = []

    def replace_once(src: str, dst: str) -> None:
        calls.append(dst)
        if len(calls) == 2:
            raise PermissionError(13, "Permission denied")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace_once)
    with pytest.raises(OutputError, match="permission denied"):
        write_alignment(make_alignment(), "moses", str(tmp_path / "out"))
    assert os.listdir(tmp_path) == []


def test_new_files_get_the_usual_permissions(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        path = tmp_path / "out.tsv"
        write_alignment(make_alignment(), "tsv", str(path))
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o644


def test_every_format_module_has_a_writer() -> None:
    for name, module in FORMATS.items():
        assert callable(getattr(module, "write_pair" if name == "moses" else "write")), name
    assert tsv.one_line("a\tb\nc ") == "a b c"
