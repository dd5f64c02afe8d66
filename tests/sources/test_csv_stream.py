"""A CSV file is read row by row, as JSON Lines are: its memory stays flat however big it is,
and what comes out is what reading its whole text gives (rows, errors and line numbers)."""

from __future__ import annotations

import os
import tracemalloc
from pathlib import Path

import pytest

from tracker.config import Config
from tracker.errors import SourceError, SourceWarning
from tracker.extract.models import RawPost
from tracker.sources import read_file, read_text


def _rows(n: int, eol: str = "\n", words: int = 1) -> str:
    return "id,text,published" + eol + "".join(
        f'{i},"$NVDA post {i}, ' + "rallies hard after earnings, " * words
        + f'",2026-05-04 09:30{eol}' for i in range(n))


# Two files of 2.8 MB: 4,000 rows of 700 characters, and 40,000 of 70. tracemalloc costs
# each allocation, so the second takes 2 s of CPU against 0.2 s for the first: that one is
# the inner loop's guard that the file is not read whole; the second, which also catches
# memory kept per row, runs in the whole suite.
@pytest.mark.parametrize(("rows", "words"), [
    (4_000, 23), pytest.param(40_000, 1, marks=pytest.mark.slow)], ids=["long-rows", "short-rows"])
def test_a_big_csv_is_read_in_little_memory(tmp_path: Path, cfg: Config, rows: int,
                                            words: int) -> None:
    # It was read whole, then decoded whole: 400,000 rows in 55 MB took 337 MB to read.
    path = tmp_path / "big.csv"
    path.write_text(_rows(rows, words=words), "utf-8")
    size = path.stat().st_size
    assert size > 2_700_000
    tracemalloc.start()
    try:
        posts = 0
        for item in read_file(path, cfg.input):
            assert not isinstance(item, SourceError), item
            posts += isinstance(item, RawPost)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert posts == rows
    assert peak < size // 4  # the whole file's bytes alone were `size`, its text as much again


STREAMED = {
    # A stray quote swallows the rows after it into one cell: it is named, and they are read.
    "stray-quote": 'id,text\n1,"$NVDA up\n2,$TSLA down\n3,"$AAPL\nflat"\n4,$MSFT\n',
    "crlf-multiline-cell": 'id,text\r\n1,"two\r\nlines $NVDA"\r\n2,$TSLA\r\n',
    "lone-cr": "id,text\r1,$NVDA up\r2,$TSLA down\r",
    "bom-semicolons": "\ufeffid;text\n1;$NVDA, up\n2;\"a;b $TSLA\"\n",
    "short-and-long-rows": "id,text,author\n1\n2,$NVDA,me,extra\n\n3,$TSLA,you\n",
    "header-case": "ID,Text\n1,$NVDA\n",
    "no-text-column": "id,message\n1,$NVDA up\n",
    "blank": "\n \n\t\n",
    "header-only": "id,text\n",
    "no-newline-at-end": "id,text\n1,$NVDA\n2,\"$TSLA",
}


@pytest.mark.parametrize("text", STREAMED.values(), ids=STREAMED.keys())
def test_a_csv_file_reads_as_its_text_does(tmp_path: Path, cfg: Config, text: str) -> None:
    path = tmp_path / "posts.csv"
    path.write_bytes(text.encode("utf-8"))
    from_text = [repr(i) for i in read_text(text.removeprefix("\ufeff"), str(path), ".csv",
                                            cfg.input, path.stat().st_mtime)]
    assert [repr(i) for i in read_file(path, cfg.input)] == from_text


def test_rows_across_read_blocks_keep_their_lines(tmp_path: Path, cfg: Config) -> None:
    # CRLF line ends and cells of two lines fall on the boundaries of the blocks read.
    text = "id,text\r\n" + "".join(
        f'{i},"two\r\nlines $NVDA {i}"\r\n' if i % 7 == 0 else f"{i},$TSLA post {i} up\r\n"
        for i in range(7_000))
    path = tmp_path / "posts.csv"
    path.write_bytes(text.encode("utf-8"))
    items = list(read_file(path, cfg.input))
    assert [repr(i) for i in items] == [
        repr(i) for i in read_text(text, str(path), ".csv", cfg.input, path.stat().st_mtime)]
    posts = [i for i in items if isinstance(i, RawPost)]
    assert len(posts) == 7_000 and posts[-1].line == 1 + 7_000 + 1_000
    assert posts[-7].text == "two\r\nlines $NVDA 6993"


def test_a_thousand_stray_quotes_cost_their_lines(tmp_path: Path, cfg: Config) -> None:
    # Each stray quote started the rows after it again one level deeper: the 300th or so
    # was a RecursionError, and the file's remaining rows were lost.
    path = tmp_path / "posts.csv"
    path.write_text("id,text\n" + "".join(f'{i},"$NVDA {i}\n{i}b,$TSLA\n' for i in range(1_000)),
                    "utf-8")
    items = list(read_file(path, cfg.input))
    errors = [i for i in items if type(i) is SourceError]  # no warnings
    assert [e.line for e in errors] == list(range(2, 2_002, 2))
    assert all(e.message.startswith("unbalanced quote") for e in errors)
    assert len([i for i in items if isinstance(i, RawPost)]) == 1_000


def test_a_csv_that_is_not_utf8_throughout_is_still_read(tmp_path: Path, cfg: Config) -> None:
    # Telling its encoding takes the whole file: read whole, as before.
    path = tmp_path / "posts.csv"
    path.write_bytes(_rows(50).encode("utf-8") + "99,Café $NVDA,2026-05-04\n".encode("cp1252"))
    items = list(read_file(path, cfg.input))
    assert [i.text for i in items if isinstance(i, RawPost)][-1] == "Café $NVDA"
    assert not [i for i in items if type(i) is SourceError]


def test_a_csv_rewritten_while_read_is_said_to_have_changed(tmp_path: Path, cfg: Config) -> None:
    # Streamed over a long ingest, an export rewritten meanwhile is read part old, part new.
    path = tmp_path / "posts.csv"
    path.write_text(_rows(5), "utf-8")
    items = read_file(path, cfg.input)
    first = next(items)
    assert isinstance(first, RawPost)
    with path.open("a", encoding="utf-8") as handle:
        handle.write("9,$TSLA later,2026-05-05\n")
    os.utime(path, ns=(0, path.stat().st_mtime_ns + 10**9))
    said = [str(i) for i in items if isinstance(i, SourceWarning)]
    assert said[-1] == (f"{path}: changed while it was read (its size or time moved): the "
                        "rows read may mix two versions of it; read it again once it is written")


@pytest.mark.parametrize("cell", ["x" * (17 << 20), '"' + "y" * (17 << 20) + '"'],
                         ids=["bare", "quoted"])
def test_a_cell_over_the_limit_on_one_line_costs_its_row(tmp_path: Path, cfg: Config,
                                                         cell: str) -> None:
    # "malformed CSV: field larger than field limit" at the line before, and every row
    # after it lost.
    path = tmp_path / "posts.csv"
    path.write_text(f"id,text\n1,$NVDA up\n\n2,{cell}\n3,$TSLA down\n4,$AAPL flat\n", "utf-8")
    items = [i for i in read_file(path, cfg.input) if not isinstance(i, SourceWarning)]
    assert [(type(i).__name__, i.line) for i in items] == [
        ("RawPost", 2), ("SourceError", 4), ("RawPost", 5), ("RawPost", 6)]
    assert items[1].message == ("a cell is longer than 16,777,216 characters, the most a CSV "
                                "cell is read to; the row is skipped")


# The open cell over 17,000 lines of a kilobyte, or 9.4 million of two characters: each
# line is a step of the reader in Python (2 s of CPU and 600 MB for the short ones, in the
# whole suite).
@pytest.mark.parametrize("line", ["z" * 1023 + "\n", pytest.param("z\n", marks=pytest.mark.slow)],
                         ids=["long-lines", "short-lines"])
def test_a_cell_over_the_limit_across_lines_ends_the_file_saying_so(
        tmp_path: Path, cfg: Config, line: str) -> None:
    path = tmp_path / "posts.csv"
    cell = line * ((18 << 20) // len(line))  # past the 16 MiB limit
    path.write_text('id,text\n1,$NVDA up\n2,"' + cell + '"\n3,$TSLA\n', "utf-8")
    items = [i for i in read_file(path, cfg.input) if not isinstance(i, SourceWarning)]
    assert [(type(i).__name__, i.line) for i in items] == [("RawPost", 2), ("SourceError", 3)]
    assert items[1].message.endswith("the most a CSV cell is read to; the rest of the file "
                                     "was not read")
