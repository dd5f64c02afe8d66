"""Cutting a backfill into pieces: byte ranges of JSON Lines read exactly what ingest reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tracker.config import Config
from tracker.errors import SourceError
from tracker.ingest.partitions import (
    Piece,
    group_pieces,
    merge_tallies,
    plan_pieces,
    read_piece,
)
from tracker.sources import read_file
from tracker.sources.datecheck import DateTally


def _raws(items: object) -> list[tuple]:
    out = []
    for item in items:  # type: ignore[attr-defined]
        if isinstance(item, SourceError):
            out.append(("error", item.path, item.line, item.message))
        else:
            out.append(("post", item.source, item.line, item.text, item.source_id))
    return out


def _feed(path: Path, lines: int, tail: str = "\n") -> None:
    rows = []
    for i in range(lines):
        if i % 17 == 5:
            rows.append("")  # a blank line: no post, but a line number
        elif i % 23 == 7:
            rows.append("{not json")
        else:
            rows.append(json.dumps({"id": f"p{i}", "text": f"$NVDA post {i} " + "x" * (i % 40)}))
    path.write_text("\n".join(rows) + tail, "utf-8")


@pytest.mark.parametrize("tail", ["\n", "", "\r\n"], ids=["newline", "no-final-newline", "crlf"])
@pytest.mark.parametrize("part_bytes", [64, 700, 5000], ids=["tiny", "small", "large"])
def test_pieces_of_a_jsonl_file_read_what_ingest_reads(tmp_path: Path, cfg: Config,
                                                       tail: str, part_bytes: int) -> None:
    path = tmp_path / "feed.jsonl"
    _feed(path, 300, tail)
    pieces, errors = plan_pieces([path], part_bytes)
    assert errors == []
    assert len(pieces) > 1 and all(p.split for p in pieces)
    # Contiguous, cut after a newline, covering the file.
    data = path.read_bytes()
    assert pieces[0].start == 0 and pieces[-1].stop == len(data)
    for before, after in zip(pieces, pieces[1:], strict=False):
        assert before.stop == after.start and data[after.start - 1:after.start] == b"\n"
        assert after.newlines == data[:after.start].count(b"\n")
    tallies = [DateTally(str(path), cfg.input) for _ in pieces]
    got = [item for piece, tally in zip(pieces, tallies, strict=True)
           for item in read_piece(piece, cfg, tally)]
    [merged] = merge_tallies(tallies)
    summaries = merged.summaries()
    assert len(summaries) == 1  # the feed has no dates: said once, for the whole file
    assert _raws([*got, *summaries]) == _raws(read_file(path, cfg.input))


def test_small_files_are_grouped_and_a_small_jsonl_is_whole(tmp_path: Path) -> None:
    for i in range(5):
        (tmp_path / f"page{i}.txt").write_text(f"$TSLA page {i}", "utf-8")
    _feed(tmp_path / "small.jsonl", 3)
    pieces, errors = plan_pieces([tmp_path, tmp_path / "missing"], 1 << 20)
    assert [p.split for p in pieces] == [False] * 6
    assert [Path(p.path).name for p in pieces] == ["page0.txt", "page1.txt", "page2.txt",
                                                   "page3.txt", "page4.txt", "small.jsonl"]
    assert [e.message for e in errors] == ["no such file or folder"]
    parts = group_pieces(pieces, 30)
    assert [len(p.pieces) for p in parts] == [3, 3]  # 14+14+14 bytes reach 30 at the third
    assert [p.index for p in parts] == [0, 1]


def test_a_file_changed_after_the_plan_is_an_error_not_misread(tmp_path: Path,
                                                               cfg: Config) -> None:
    path = tmp_path / "feed.jsonl"
    _feed(path, 50)
    piece = plan_pieces([path], 200)[0][1]
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "late", "text": "$AMD appended"}) + "\n")
    [err] = list(read_piece(piece, cfg))
    assert isinstance(err, SourceError) and "changed while the backfill ran" in err.message


def test_standard_input_cannot_be_spread() -> None:
    pieces, [err] = plan_pieces(["-"])
    assert pieces == [] and err.path == "-"
    assert "save it to a file first" in err.message


def test_a_piece_knows_its_key() -> None:
    piece = Piece("a.jsonl", 10, 20, 1, 30, 5, True)
    assert piece.key == ("a.jsonl", 10, 20)
