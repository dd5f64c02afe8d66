"""tests/data/floors.toml, where every quality floor is written once: each table is a table
of shares that tests/floors.py accepts (a floor of 95 or "0.95" would gate nothing)."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest

from tests.floors import FLOORS_FILE, floors


def _tables(table: dict[str, Any], path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """The paths of the tables whose values are figures, not tables."""
    inner = [k for k, v in table.items() if isinstance(v, dict)]
    own = [path] if len(inner) < len(table) else []
    return own + [p for k in inner for p in _tables(table[k], (*path, k))]


TABLES = _tables(tomllib.loads(FLOORS_FILE.read_text("utf-8")))


def test_the_file_has_the_gates_of_tone_and_mentions() -> None:
    assert {t[0] for t in TABLES} >= {"tone", "mentions", "languages"}


@pytest.mark.parametrize("table", TABLES, ids=[".".join(t) for t in TABLES])
def test_every_table_is_shares(table: tuple[str, ...]) -> None:
    assert floors(*table)
