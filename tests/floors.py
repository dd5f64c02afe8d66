"""The quality floors of tests/data/floors.toml, the one file where each is written."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

FLOORS_FILE = Path(__file__).resolve().parent / "data" / "floors.toml"


@cache
def _all() -> dict[str, Any]:
    return tomllib.loads(FLOORS_FILE.read_text("utf-8"))


def floors(*section: str) -> dict[str, float]:
    """The figures of one table, `floors("tone", "in_source")` for [tone.in_source].

    A missing table, or a value that is not a share from 0 to 1, fails naming the file, so
    a slip in the one place the floors live cannot pass as a lower gate.
    """
    table: Any = _all()
    for i, name in enumerate(section):
        if not isinstance(table, dict) or name not in table:
            raise KeyError(f"{FLOORS_FILE}: no table [{'.'.join(section[:i + 1])}]")
        table = table[name]
    label = ".".join(section)
    if not isinstance(table, dict) or not table:
        raise ValueError(f"{FLOORS_FILE}: [{label}] must be a table of figures")
    for key, value in table.items():
        if isinstance(value, bool) or not isinstance(value, int | float) \
                or not 0 < value <= 1:
            raise ValueError(f"{FLOORS_FILE}: [{label}] {key} must be a share from 0 to 1, "
                             f"not {value!r}")
    return dict(table)
