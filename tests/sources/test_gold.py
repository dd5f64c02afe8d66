"""Reading the real-post gold format: canonical keys, and errors that name file and line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tracker.errors import SourceError
from tracker.sources.gold import gold_files, labelled_format, read_gold

SYNTHETIC = Path(__file__).resolve().parents[1] / "data" / "gold_synthetic"


def _write(path: Path, *records: object) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    "utf-8")
    return path


def _post(**over: object) -> dict:
    rec = {"id": "x1", "source": "s", "lang": "en", "published": "2021-06-15",
           "text": "$TSLA up", "mentions": [{"key": "TSLA", "tone": "pos"}], "note": ""}
    rec.update(over)
    return rec


def test_reads_posts_with_canonical_keys() -> None:
    posts = read_gold(SYNTHETIC / "zh_synthetic.jsonl")
    assert [p.line for p in posts] == [1, 2, 3]
    # SH600519 as written by a labeller is the canonical 600519.SS.
    assert posts[0].keys == frozenset({"600519.SS"})
    assert posts[0].mentions[0].surface == "$贵州茅台(SH600519)$"
    assert posts[0].published is None and posts[0].lang == "zh"
    assert posts[0].file == "zh_synthetic.jsonl" and posts[0].source == "synthetic_xueqiu"


def test_a_post_without_mentions_is_kept(tmp_path: Path) -> None:
    posts = read_gold(_write(tmp_path / "g.jsonl", _post(mentions=[])))
    assert len(posts) == 1 and posts[0].keys == frozenset()


@pytest.mark.parametrize(("record", "message"), [
    (_post(mentions=None), "each line needs a list 'mentions'"),
    (_post(mentions=[{"key": "TSLA", "tone": "bullish"}]), "mentions[0].tone must be pos, "
                                                           "neg or neu, not 'bullish' (key TSLA)"),
    (_post(mentions=[{"tone": "pos"}]), "mentions[0].key must be a security key"),
    (_post(mentions=[{"key": "600519.SS", "tone": "pos"}, {"key": "SH600519", "tone": "neg"}]),
     "key 600519.SS is listed twice"),
    (_post(text=""), "'text' must be a non-empty string"),
    (_post(lang=None), "'lang' must be a non-empty string"),
], ids=["no-mentions", "bad-tone", "no-key", "key-twice", "empty-text", "no-lang"])
def test_errors_name_file_and_line(tmp_path: Path, record: dict, message: str) -> None:
    path = _write(tmp_path / "g.jsonl", _post(), record)
    with pytest.raises(SourceError) as err:
        read_gold(path)
    assert str(err.value).startswith(f"{path}:2: {message}")


def test_bad_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "g.jsonl"
    path.write_text(json.dumps(_post()) + "\n{not json\n", "utf-8")
    with pytest.raises(SourceError, match=r"g\.jsonl:2: invalid JSON"):
        read_gold(path)


def test_format_is_told_by_its_fields(tmp_path: Path) -> None:
    assert labelled_format(SYNTHETIC) == "gold"
    assert labelled_format(SYNTHETIC / "en_synthetic_reddit.jsonl") == "gold"
    labelled = _write(tmp_path / "l.jsonl", {"text": "up", "label": "pos"})
    assert labelled_format(labelled) == "labelled"
    posts = _write(tmp_path / "p.jsonl", {"text": "$TSLA up", "sentiment": "Bullish"})
    assert labelled_format(posts) == "posts"
    (tmp_path / "p.csv").write_text("text,sentiment\n$TSLA up,Bullish\n", "utf-8")
    assert labelled_format(tmp_path / "p.csv") == "posts"
    assert labelled_format(tmp_path) == "folder"


def test_an_empty_gold_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no gold files"):
        gold_files(tmp_path)
