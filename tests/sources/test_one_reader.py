"""One reader, one behaviour: ingest and refresh read NUL bytes, UTF-16, lone CRs and an
unterminated last line alike, line by line with a message; CSV cells up to max_post_chars;
an unbalanced CSV quote is reported and the rows after it read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.refreshkit import make_job
from tracker.errors import SourceError
from tracker.ingest.pipeline import ingest
from tracker.ingest.refresh import refresh
from tracker.store.database import Store, posts


def _line(i: int) -> str:
    return json.dumps({"id": f"r{i}", "text": f"$AAPL post {i} looks strong",
                       "published": "2026-05-04T10:00:00Z"})


CASES: dict[str, tuple[bytes, set[str], list[int]]] = {
    # file bytes, ids stored, lines that fail (ingest and refresh alike)
    "nul.jsonl": ((_line(1) + "\n" + _line(2)[:-3] + "\x00" + _line(2)[-3:] + "\n"
                   + _line(3) + "\n").encode(), {"r1", "r3"}, [2]),
    "cr.jsonl": ((_line(1) + "\r" + _line(2) + "\r" + _line(3) + "\r").encode(),
                 {"r1", "r2", "r3"}, []),
    "crlf.jsonl": ((_line(1) + "\r\n" + _line(2) + "\r\n").encode(), {"r1", "r2"}, []),
    "utf16.jsonl": ("".join(_line(i) + "\n" for i in (1, 2, 3)).encode("utf-16"),
                    {"r1", "r2", "r3"}, []),
    "utf16le.jsonl": ("".join(_line(i) + "\n" for i in (1, 2)).encode("utf-16-le"),
                      {"r1", "r2"}, []),
    "nul.csv": (b"id,text\nr1,$AAPL up\x00 today\nr2,$AAPL again\n", {"r1", "r2"}, []),
    "long.csv": (("id,text\nr1,$AAPL " + "y" * 200_000 + "\nr2,$AAPL after\n").encode(),
                 {"r1", "r2"}, []),
    "quote.csv": (b'id,text\nr1,"$AAPL never closed\nr2,$AAPL two\nr3,$AAPL three\n',
                  {"r2", "r3"}, [2]),
    "quote2.csv": (b'id,text\nr1,"$AAPL x\nr2,$AAPL two\nr3,"$AAPL three\nr4,$AAPL four\n'
                   b'r5,"$AAPL multi\nline, fine"\n', {"r2", "r4", "r5"}, [2, 4]),
}


def _run(kind: str, tmp_path: Path) -> tuple[set[str], list[SourceError]]:
    cfg = make_job(tmp_path, f"sqlite:///{tmp_path / 't.db'}")
    store = Store(cfg.db_url)
    try:
        if kind == "ingest":
            counts = ingest([tmp_path / "in"], cfg, store)
        else:
            counts = refresh(cfg, store)
        with store.engine.connect() as conn:
            ids = {r.source_id for r in conn.execute(posts.select())}
    finally:
        store.close()
    return ids, counts.failures


@pytest.mark.parametrize("kind", ["ingest", "refresh"])
@pytest.mark.parametrize("name", list(CASES), ids=list(CASES))
def test_ingest_and_refresh_read_alike(tmp_path: Path, name: str, kind: str) -> None:
    data, stored, failing = CASES[name]
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / name).write_bytes(data)
    ids, failures = _run(kind, tmp_path)
    assert ids == stored
    assert [f.line for f in failures] == failing
    assert all(Path(f.path).name == name for f in failures)


def test_unterminated_last_line_is_reported_by_ingest_and_waited_for_by_refresh(
        tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    feed = tmp_path / "in" / "a.jsonl"
    feed.write_text(_line(1) + "\n" + _line(2)[:-5], "utf-8")
    cfg = make_job(tmp_path, f"sqlite:///{tmp_path / 'i.db'}")
    store = Store(cfg.db_url)
    try:
        counts = ingest([tmp_path / "in"], cfg, store)
    finally:
        store.close()
    assert [(f.line, "no newline" in f.message) for f in counts.failures] == [(2, True)]
    assert counts.posts_seen == 1
    warned: list[str] = []
    store = Store(f"sqlite:///{tmp_path / 'r.db'}")
    cfg = make_job(tmp_path, f"sqlite:///{tmp_path / 'r.db'}")
    try:
        first = refresh(cfg, store, on_warning=lambda w: warned.append(str(w)))
        assert (first.posts_added, first.failures) == (1, [])
        assert any("a.jsonl:2: last line has no newline" in w for w in warned)
        with open(feed, "a", encoding="utf-8") as handle:
            handle.write(_line(2)[-5:] + "\n")
        second = refresh(cfg, store)
        assert (second.posts_added, second.failures) == (1, [])
    finally:
        store.close()
