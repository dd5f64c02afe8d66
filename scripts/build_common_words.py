"""Build tracker/data/common_words_en.txt: the English words a bare ticker could spell.

The words of two ASCII letters or more whose wordfreq Zipf frequency in English is at least
3.0 (about once in every million words), lower case, one a line, sorted. tracker reads the
file to tell a listed symbol that is also a word (WISH, TELL, BODY) from one that is not
(WKHS, CLNE, GSAT), and a listed name's first word that is a word (Clover, Purple) from one
that is not (Palantir, Zynga), docs/mentions.md. wordfreq is a dev dependency: the shipped file is
all that run time needs.

The data is derived from wordfreq (Robyn Speer and contributors), whose word lists are
licensed CC BY-SA 4.0; the file's header says so, and so does docs/mentions.md.

    .venv/bin/python scripts/build_common_words.py            # rewrite the file
    .venv/bin/python scripts/build_common_words.py --check    # exit 1 if it is stale
"""

from __future__ import annotations

import argparse
import importlib.metadata
import sys
from pathlib import Path

from wordfreq import top_n_list, zipf_frequency

OUT = Path(__file__).resolve().parent.parent / "tracker" / "data" / "common_words_en.txt"
MIN_ZIPF = 3.0
# wordfreq's list is sorted by frequency; Zipf 3.0 lies well inside its first 100,000.
CANDIDATES = 100_000


def build() -> str:
    words = sorted({w for w in top_n_list("en", CANDIDATES)
                    if w.isascii() and w.isalpha() and len(w) >= 2
                    and zipf_frequency(w, "en") >= MIN_ZIPF})
    version = importlib.metadata.version("wordfreq")
    header = [
        f"# English words of 2 letters or more with a Zipf frequency >= {MIN_ZIPF} in wordfreq {version}.",
        "# Derived from wordfreq (https://github.com/rspeer/wordfreq), Robyn Speer and",
        "# contributors; its data is licensed CC BY-SA 4.0, and so is this derived list.",
        "# Built by scripts/build_common_words.py; do not edit by hand.",
    ]
    return "\n".join([*header, *words]) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is stale")
    args = parser.parse_args()
    text = build()
    if args.check:
        stale = not OUT.exists() or OUT.read_text(encoding="utf-8") != text
        print(f"{OUT} is {'stale' if stale else 'current'}")
        return 1 if stale else 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT}: {text.count(chr(10)) - 4} words")
    return 0


if __name__ == "__main__":
    sys.exit(main())
