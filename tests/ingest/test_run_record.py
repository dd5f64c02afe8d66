"""A run stopped at any moment from its row's start to its end is recorded as stopped."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.refreshkit import make_job, write_feed
from tracker.ingest.pipeline import ingest
from tracker.ingest.refresh import refresh
from tracker.store.database import Store, ingest_runs


def _runs(store: Store) -> list[tuple[Any, ...]]:
    return [(r["command"], r["stopped_by"], r["finished_at"] is not None)
            for r in store.iter_rows(ingest_runs)]


def test_a_stop_as_refresh_draws_its_bar_is_recorded(tmp_path: Path) -> None:
    # Between start_run and recording_stop (refresh drawing its bar): the row was left
    # without an end, `killed` in this host's status and `running` in another's.
    cfg = make_job(tmp_path, f"sqlite:///{tmp_path / 't.db'}")
    write_feed(tmp_path / "in" / "feed.jsonl", 0, 3)

    def ctrl_c(_files: int) -> None:
        raise KeyboardInterrupt

    with Store(cfg.db_url) as store:
        with pytest.raises(KeyboardInterrupt):
            refresh(cfg, store, on_start=ctrl_c)
        assert _runs(store) == [("refresh", "SIGINT", True)]


def test_a_stop_just_after_the_run_started_is_recorded(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The row committed, the stop came before the run's id was returned (or before the
    # block that records a stop was entered): the row was left without an end.
    cfg = make_job(tmp_path, f"sqlite:///{tmp_path / 't.db'}")
    write_feed(tmp_path / "in" / "feed.jsonl", 0, 3)
    with Store(cfg.db_url) as store:
        begin = store.engine.begin

        @contextmanager
        def stopped_after_commit() -> Iterator[Any]:
            with begin() as conn:
                yield conn
            monkeypatch.setattr(store.engine, "begin", begin)  # the stop's own write
            raise KeyboardInterrupt

        monkeypatch.setattr(store.engine, "begin", stopped_after_commit)
        with pytest.raises(KeyboardInterrupt):
            ingest([str(tmp_path / "in")], cfg, store)
        assert _runs(store) == [("ingest", "SIGINT", True)]
