"""Build tracker/data/common_words_en.txt (the English words a bare ticker could spell) and
tracker/data/unwritten_symbols_en.txt (the listed symbols no English text spells).

The words of two ASCII letters or more whose wordfreq Zipf frequency in English is at least
3.0 (about once in every million words), lower case, one a line, sorted. tracker reads the
file to tell a listed symbol that is also a word (WISH, TELL, BODY) from one that is not
(WKHS, CLNE, GSAT), and a listed name's first word that is a word (Clover, Purple) from one
that is not (Palantir, Zynga), docs/mentions.md.

The second file lists the US shares' and ETFs' symbols of 3-5 letters in
tracker/data/universe.csv and the curated securities.csv whose lower case wordfreq does not
know at any frequency (wkhs, clne,
uwmc, pltr; not bby, tbf or amt, chat words that are symbols too): tracker reads such a symbol
in lower case as a ticker without context. It follows the universe: rebuild it after
scripts/build_securities.py. wordfreq is a dev dependency: the shipped files are all that run
time needs.

The data is derived from wordfreq (Robyn Speer and contributors), whose word lists are
licensed CC BY-SA 4.0; the file's header says so, and so does docs/mentions.md.

    .venv/bin/python scripts/build_common_words.py            # rewrite the files
    .venv/bin/python scripts/build_common_words.py --check    # exit 1 if one is stale
"""

from __future__ import annotations

import argparse
import csv
import importlib.metadata
import sys
from pathlib import Path

from wordfreq import top_n_list, zipf_frequency

DATA = Path(__file__).resolve().parent.parent / "tracker" / "data"
OUT = DATA / "common_words_en.txt"
UNWRITTEN_OUT = DATA / "unwritten_symbols_en.txt"
UNIVERSE = DATA / "universe.csv"
CURATED = DATA / "securities.csv"
MIN_ZIPF = 3.0
# wordfreq's list is sorted by frequency; Zipf 3.0 lies well inside its first 100,000.
CANDIDATES = 100_000


def _header(first: str) -> list[str]:
    return [
        first,
        "# Derived from wordfreq (https://github.com/rspeer/wordfreq), Robyn Speer and",
        "# contributors; its data is licensed CC BY-SA 4.0, and so is this derived list.",
        "# Built by scripts/build_common_words.py; do not edit by hand.",
    ]


def build() -> str:
    words = sorted({w for w in top_n_list("en", CANDIDATES)
                    if w.isascii() and w.isalpha() and len(w) >= 2
                    and zipf_frequency(w, "en") >= MIN_ZIPF})
    version = importlib.metadata.version("wordfreq")
    header = _header(f"# English words of 2 letters or more with a Zipf frequency >= {MIN_ZIPF} "
                     f"in wordfreq {version}.")
    return "\n".join([*header, *words]) + "\n"


def build_unwritten(lists: tuple[Path, ...] = (UNIVERSE, CURATED)) -> str:
    symbols: set[str] = set()
    for path in lists:
        with path.open(encoding="utf-8", newline="") as f:
            # The curated list leaves an equity's kind empty.
            symbols.update(row["ticker"] for row in csv.DictReader(f)
                           if row["market"] == "US"
                           and (row["kind"] or "equity") in ("equity", "etf")
                           and row["ticker"].isascii() and row["ticker"].isalpha()
                           and 3 <= len(row["ticker"]) <= 5)
    unwritten = sorted(s for s in symbols if zipf_frequency(s.lower(), "en") == 0)
    version = importlib.metadata.version("wordfreq")
    header = _header(f"# US symbols of 3-5 letters in universe.csv and securities.csv whose "
                     f"lower case wordfreq "
                     f"{version} does not know.")
    return "\n".join([*header, *unwritten]) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is stale")
    args = parser.parse_args()
    outputs = ((OUT, build()), (UNWRITTEN_OUT, build_unwritten()))
    if args.check:
        stale = [path for path, text in outputs
                 if not path.exists() or path.read_text(encoding="utf-8") != text]
        for path, _ in outputs:
            print(f"{path} is {'stale' if path in stale else 'current'}")
        return 1 if stale else 0
    for path, text in outputs:
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}: {text.count(chr(10)) - 4} lines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
