"""Mentions inserted through sqlite3's executemany are stored as SQLAlchemy's insert stores
them: the same values, of the same SQLite types (upsert.insert_mentions)."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from tests.conftest import copy_seeds
from tracker.config import Config
from tracker.extract.models import Mention, Post
from tracker.ingest.analyze import Analyzer
from tracker.ingest.pipeline import read_paths
from tracker.store.database import Store, mentions, posts
from tracker.store.upsert import insert_mentions, post_rows

# Every value kind a mention row holds: None in each nullable column, an empty and a
# ";"-joined groups, a name cut at NAME_MAX, a NUL dropped, both repeat flags.
_ODD = (
    Mention(ticker="TSLA", market=None, name=None, kind="bare_ticker", start=0, end=4,
            sentence="TSLA", confidence=0.35, tone=None, label=None, passage=None),
    Mention(ticker="0700", market="HK", name="腾讯控股" * 80, kind="name", start=5, end=9,
            sentence="腾讯\x00控股", groups=("g1", "g2"), tone=-0.0, label="neutral",
            passage="0123456789abcdef", instrument="equity"),
    Mention(ticker="NVDA", market="US", name="NVIDIA", kind="cashtag", start=10, end=15,
            sentence="$NVDA up", tone=0.9999, label="positive", passage="fedcba9876543210",
            instrument="equity"),
)


def _rows(analyzer: Analyzer, tmp_path: Path, cfg: Config) -> tuple[list[Any], list[Any]]:
    found = [analyzer.analyze(raw) for raw in read_paths([copy_seeds(tmp_path)], cfg)]
    made = [post_rows(p) for p in found if isinstance(p, Post)]
    made.append(post_rows(Post(id="odd", source="odd.jsonl", text="TSLA 腾讯 $NVDA up",
                               mentions=_ODD)))
    stamp = datetime(2026, 1, 2, 3, 4, 5)
    post_table = [dict(m.row, ingested_at=stamp, run_id=None) for m in made]
    mention_table = [dict(row, is_repeat=i % 3 == 0)
                     for i, row in enumerate(r for m in made for r in m.mention_rows)]
    return post_table, mention_table


def _typed(path: Path) -> list[tuple[Any, ...]]:
    columns = [c.name for c in mentions.columns]
    picked = ", ".join(f"{c}, typeof({c})" for c in columns)
    with sqlite3.connect(path) as conn:
        return conn.execute(f"SELECT {picked} FROM mentions ORDER BY id").fetchall()


def _stored_both_ways(tmp_path: Path, post_table: list[dict[str, Any]],
                      mention_table: list[dict[str, Any]]) -> list[list[tuple[Any, ...]]]:
    """The mentions table, typed, after `mention_table` went in through SQLAlchemy's insert
    and through insert_mentions, each into a store of its own."""
    stored = []
    for name in ("sqlalchemy", "driver"):
        path = tmp_path / f"{name}.db"
        store = Store(f"sqlite:///{path}")
        try:
            with store.engine.begin() as conn:
                conn.execute(insert(posts), post_table)
                if name == "driver":
                    insert_mentions(conn, mention_table)
                else:
                    conn.execute(insert(mentions), mention_table)
        finally:
            store.close()
        stored.append(_typed(path))
    return stored


def test_the_driver_stores_what_sqlalchemy_stores(tmp_path: Path, analyzer: Analyzer,
                                                   cfg: Config) -> None:
    post_table, mention_table = _rows(analyzer, tmp_path, cfg)
    assert len(mention_table) > 70
    stored = _stored_both_ways(tmp_path, post_table, mention_table)
    assert stored[0] == stored[1]
    assert len(stored[1]) == len(mention_table)
    # Both kinds of flag, the Nones and the cut name are among what was compared.
    assert {row[2 * 13] for row in stored[1]} == {0, 1}
    assert any(row[2 * 4 + 1] == "null" for row in stored[1])


def test_rows_without_the_defaulted_columns_take_their_defaults(tmp_path: Path,
                                                               analyzer: Analyzer,
                                                               cfg: Config) -> None:
    # SQLAlchemy's insert fills the columns with a default (confidence, groups, is_repeat)
    # that a row leaves out; the driver's path raised KeyError: 'confidence' for such rows.
    post_table, mention_table = _rows(analyzer, tmp_path, cfg)
    defaulted = {"confidence", "groups", "is_repeat"}
    short = [{k: v for k, v in row.items() if k not in defaulted} for row in mention_table]
    stored = _stored_both_ways(tmp_path, post_table, short)
    assert stored[0] == stored[1]
    assert {(row[2 * 9], row[2 * 10], row[2 * 13]) for row in stored[1]} == {(1.0, "", 0)}
