"""The issue-2 figures through the command line, exactly as a user would get them.

    python bench/cli_eval.py

Writes each gold document as one-sentence-per-line files, runs ``aligner align --presplit -f
vecalign`` on each, then ``aligner eval`` over all of them (pooled, as Vecalign's score.py):
FLORES-200 devtest documents with ~15 % of consecutive French sentences merged, and the
Text+Berg German–French test set.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from datasets import GoldDoc, flores_merged_fr, textberg


def run(name: str, docs: list[GoldDoc], src_lang: str, tgt_lang: str, tmp: Path) -> None:
    pairs: list[str] = []
    for doc in docs:
        src, tgt = tmp / f"{doc.name}.{src_lang}", tmp / f"{doc.name}.{tgt_lang}"
        pred, gold = tmp / f"{doc.name}.pred", tmp / f"{doc.name}.gold"
        src.write_text("\n".join(doc.src) + "\n", encoding="utf-8")
        tgt.write_text("\n".join(doc.tgt) + "\n", encoding="utf-8")
        gold.write_text("".join(f"{list(s)}:{list(t)}\n" for s, t in doc.gold), encoding="utf-8")
        subprocess.run(["aligner", "align", str(src), str(tgt), "--presplit", "-q",
                        "--src-lang", src_lang, "--tgt-lang", tgt_lang,
                        "-f", "vecalign", "-o", str(pred)], check=True)
        pairs += [str(pred), str(gold)]
    print(f"== {name}: aligner eval over {len(docs)} documents")
    subprocess.run(["aligner", "eval", *pairs], check=True)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        run("FLORES-200 devtest, ~15 % French merges", flores_merged_fr("devtest"), "ar", "fr",
            Path(tmp))
        run("Text+Berg test (de-fr)", textberg("test"), "de", "fr", Path(tmp))


if __name__ == "__main__":
    main()
