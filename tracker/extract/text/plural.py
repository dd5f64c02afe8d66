"""Counts as a reader says them: a number and its noun in the right number ("1 post",
"2 posts", "1,000 mentions"), for every stage's messages and reports."""

from __future__ import annotations


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """`n` and its noun in the right number: "1 file", "2 files", "1,000 posts"; `plural` for
    a noun that does not take an s ("1 entry", "2 entries")."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"
