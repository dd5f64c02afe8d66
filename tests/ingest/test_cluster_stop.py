"""A cluster backfill stopped by SIGTERM or Ctrl-C is recorded as a plain ingest's stop is:
its `ingest_runs` row gets an end, the signal and what was stored (`stopped` in `status`)."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tracker.cli.signals import Stopped
from tracker.config import load_config
from tracker.ingest.cluster import BackfillPlan, backfill
from tracker.store.database import Store
from tracker.store.schema import ingest_runs


class _Submitted:
    """A client that takes the tasks and runs none (the stop comes before any finishes)."""

    def scatter(self, data: Any, **_: Any) -> Any:
        return data

    def submit(self, func: Any, *args: Any, key: str, **kwargs: Any) -> Any:
        return type("Future", (), {"key": key})()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["term", "int"])
def test_a_stopped_backfill_is_recorded_stopped(tmp_path: Path, pg_url: str,
                                                signum: int) -> None:
    if not os.environ.get("CI"):
        pytest.importorskip("distributed")  # in CI the dev extra installs it: a failure
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.jsonl").write_text(
        json.dumps({"id": "1", "text": "$TSLA is up", "created_at": "2026-11-02"}) + "\n",
        "utf-8")
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "{pg_url}"\n[dates]\ntimezone = "UTC"\n', "utf-8")

    def stop(plan: BackfillPlan, client: Any, futures: list[Any]) -> None:
        raise Stopped(signum)  # as the CLI's handler raises it, once the tasks are out

    with pytest.raises(Stopped):
        backfill([str(tmp_path / "in")], load_config(config), _Submitted(), on_plan=stop)
    store = Store(pg_url)
    try:
        with store.engine.connect() as conn:
            [row] = conn.execute(select(ingest_runs)).mappings().all()
    finally:
        store.close()
    # Was left without an end: `running`, then `killed` once the client's process was gone.
    assert (row["command"], row["stopped_by"], row["files_seen"]) == (
        "backfill", signal.Signals(signum).name, 1)
    assert row["finished_at"] is not None
