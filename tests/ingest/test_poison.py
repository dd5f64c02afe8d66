"""A poison record costs that record: whatever raises while one record is read, analysed or
stored, the run goes on, every good post is stored, and the next refresh does not die at the
same line. Failures outside any record (a bad lexicon) stop the run before anything is read.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from dateutil.tz import tzoffset

from tests.refreshkit import make_job, record
from tracker.cli import cli
from tracker.config import load_config
from tracker.errors import ConfigError, SourceError
from tracker.extract.models import Post
from tracker.ingest import refresh as refresh_module
from tracker.ingest.pipeline import ingest, prepare_post
from tracker.ingest.refresh import refresh
from tracker.store.database import Store, posts, source_files


def _feed(path: Path, poison_at: int, poison: str, count: int = 40) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        for i in range(count):
            handle.write(poison + "\n" if i == poison_at else record(i))


def _stored(store: Store) -> int:
    with store.engine.connect() as conn:
        return len(conn.execute(posts.select()).all())


def _files(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        return [r.path for r in conn.execute(source_files.select())]


POISONS = {
    # More digits than Python turns into an int: json.loads raised ValueError.
    "huge-int-id": '{"id": ' + "9" * 5000 + ', "text": "$NVDA rallies on a huge id"}',
    "huge-int-text": '{"id": "h", "text": ' + "7" * 5000 + "}",
    # dateutil and fromisoformat read these; Python cannot use an offset of 24 h or more.
    "offset-25h": json.dumps({"id": "o", "text": "$AAPL up", "published":
                              "2026-05-04T10:00:00+25:00"}),
    "rss-9999": json.dumps({"id": "r", "text": "$AAPL up", "published":
                            "Tue, 05 May 2026 09:30:00 +9999"}),
}


@pytest.mark.parametrize("poison", list(POISONS.values()), ids=list(POISONS))
def test_poison_line_costs_at_most_itself_in_ingest_and_refresh(tmp_path: Path,
                                                               poison: str) -> None:
    cfg = make_job(tmp_path, f"sqlite:///{tmp_path / 'r.db'}")
    _feed(tmp_path / "in" / "a.jsonl", 20, poison)
    store = Store(cfg.db_url)
    try:
        result = refresh(cfg, store)
        assert _stored(store) >= 39  # the 39 good posts, and the poison one if it is a post
        assert result.posts_seen + len(result.failures) == 40
        again = refresh(cfg, store)  # nothing left to read, nothing dies
        assert again.failures == []
    finally:
        store.close()
    other = Store(f"sqlite:///{tmp_path / 'i.db'}")
    try:
        counts = ingest([tmp_path / "in"], cfg, other)
        assert counts.posts_seen + len(counts.failures) == 40
        assert _stored(other) >= 39
    finally:
        other.close()


def test_post_whose_date_cannot_be_put_in_utc_fails_alone() -> None:
    stamp = datetime(2026, 5, 4, 10, tzinfo=tzoffset(None, 25 * 3600))
    bad = Post(id="x", source="a.jsonl", text="t", line=7, published=stamp)
    outcome = prepare_post(bad)
    assert isinstance(outcome, SourceError)
    assert (outcome.path, outcome.line) == ("a.jsonl", 7)
    assert "cannot store this post" in outcome.message
    good = Post(id="y", source="a.jsonl", text="t", line=8)
    made = prepare_post(good)
    assert not isinstance(made, SourceError) and made.post is good


@pytest.mark.skipif(os.uname().sysname == "Darwin", reason="macOS refuses non-UTF-8 names")
def test_file_name_that_is_not_utf8_is_read_by_refresh(tmp_path: Path) -> None:
    cfg = make_job(tmp_path, f"sqlite:///{tmp_path / 'r.db'}")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("$TSLA is strong today", "utf-8")
    bad = os.path.join(os.fsencode(folder), b"bad\xff.txt")
    with open(bad, "wb") as handle:
        handle.write(b"x $NVDA up\n")
    store = Store(cfg.db_url)
    try:
        result = refresh(cfg, store)
        assert result.failures == []
        assert _stored(store) == 2
        assert any(p.endswith("bad\ufffd.txt") for p in _files(store))
        assert refresh(cfg, store).files_new == 0  # recorded under its printable name
    finally:
        store.close()


@pytest.mark.parametrize("content", [None, "rally\tnotanumber\n"], ids=["missing", "bad-line"])
def test_bad_user_lexicon_is_a_config_error_at_start(tmp_path: Path, content: str | None
                                                    ) -> None:
    if content is not None:
        (tmp_path / "lex.tsv").write_text(content, "utf-8")
    make_job(tmp_path, f"sqlite:///{tmp_path / 'r.db'}")
    config = tmp_path / "config.toml"
    config.write_text(config.read_text("utf-8") + '[sentiment]\nen_lexicon = "lex.tsv"\n',
                      "utf-8")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("$TSLA is strong today", "utf-8")
    with pytest.raises(ConfigError, match="lex.tsv"):
        load_config(config)
    for command in (["refresh"], ["ingest", str(tmp_path / "in")]):
        out = CliRunner().invoke(cli, [*command, "--config", str(config)])
        assert out.exit_code == 2, out.output
        assert "lex.tsv" in out.output
        assert "Traceback" not in out.output
    assert not (tmp_path / "r.db").exists()  # refused before the database was opened


def cfg_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'r.db'}"


def test_config_error_during_analysis_stops_refresh_and_leaves_files_unread(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = make_job(tmp_path, cfg_url(tmp_path))
    _feed(tmp_path / "in" / "a.jsonl", -1, "")

    def broken(self: object, raws: object) -> object:
        raise ConfigError("lexicon.tsv:1: gone bad")

    store = Store(cfg.db_url)
    try:
        with monkeypatch.context() as patch:
            patch.setattr("tracker.ingest.analyze.Analyzer.analyze_many", broken)
            with pytest.raises(ConfigError):
                refresh(cfg, store)
        assert _files(store) == [] and _stored(store) == 0
        result = refresh(cfg, store)  # the config fixed: every post is read
        assert result.failures == [] and _stored(store) == 40
    finally:
        store.close()


def test_reader_crash_outside_a_record_leaves_the_file_unread(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = make_job(tmp_path, cfg_url(tmp_path))
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("$TSLA is strong today", "utf-8")
    (tmp_path / "in" / "b.txt").write_text("$NVDA is strong today", "utf-8")

    def crash(text: str, source: str, *args: object) -> object:
        if source.endswith("a.txt"):
            raise RuntimeError("reader bug")
        return real(text, source, *args)

    real = refresh_module.read_text
    store = Store(cfg.db_url)
    try:
        with monkeypatch.context() as patch:
            patch.setattr(refresh_module, "read_text", crash)
            result = refresh(cfg, store)
        assert [(Path(f.path).name, "reader bug" in f.message) for f in result.failures] == [
            ("a.txt", True)]
        assert [Path(p).name for p in _files(store)] == ["b.txt"]
        again = refresh(cfg, store)
        assert again.failures == [] and _stored(store) == 2
    finally:
        store.close()
