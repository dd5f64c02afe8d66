"""rescore: the stored posts' tones recomputed, batch by batch."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import event

from tracker.config import load_config
from tracker.errors import StoreError
from tracker.ingest.rescore import rescore as rescore_store
from tracker.store.database import Store


def test_rescore_of_a_database_that_cannot_be_written_is_one_error(seeded: Path) -> None:
    # ingest said "the database is read-only" in one line; rescore ended in SQLAlchemy's
    # traceback. SQLite's query_only makes the file read-only to this process (a test's
    # chmod does not stop root).
    url = f"sqlite:///{seeded / 'tracker.db'}"
    store = Store(url, create=False)
    try:
        store.engine.dispose()
        event.listen(store.engine, "connect",
                     lambda conn, _record: conn.execute("PRAGMA query_only=ON"))
        with pytest.raises(StoreError) as caught:
            rescore_store(store, load_config(seeded / "config.toml", db_url=url))
    finally:
        store.close()
    assert str(caught.value).startswith(f"{url}: the database is read-only ")
