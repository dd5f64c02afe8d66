"""What a stored backfill piece had to say (its bad records and warnings, and how its posts
were dated), kept in its `backfill_parts` row so a task Dask runs again reports what its
first try did."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import Any, NamedTuple

from tracker.errors import EmptyPostWarning, SourceError, SourceWarning

# Messages kept whole per piece and kind: a piece with millions of bad lines must not bloat
# its row. The notes after them are kept grouped by message, their lines as runs
# (`first-last`): a file whose every record fails one way costs one group of one run.
NOTES_KEPT = 100
# The runs of lines kept for the notes after the first NOTES_KEPT of a piece; what is left
# beyond them is counted, and a retried piece says how many it cannot list.
RUNS_KEPT = 10_000

_KINDS: dict[str, type[SourceError]] = {
    "error": SourceError, "warning": SourceWarning, "empty": EmptyPostWarning}


class PieceNotes(NamedTuple):
    """A stored piece's notes, as `decode_notes` gives them back."""

    failures: list[SourceError]
    warnings: list[SourceWarning]
    warnings_counted: int
    empty_posts: int
    # Per file, where its posts' dates came from (RunCounts.dated), and the date tally of a
    # byte range (DateTally.state()), whose summary is said once for the whole file.
    dated: dict[str, Counter[str]]
    tally: list[Any] | None


def _kind(note: SourceError) -> str:
    if isinstance(note, EmptyPostWarning):
        return "empty"
    return "warning" if isinstance(note, SourceWarning) else "error"


def _grouped(notes: Sequence[SourceError], budget: list[int]) -> tuple[list[list[Any]], int]:
    """`notes` grouped by kind, file, message and hint in first-seen order, each group's
    lines as runs ([first, last], or None for a note of no line), spending `budget[0]`
    runs; and how many notes did not fit."""
    groups: dict[tuple[str, str, str, str | None], list[Any]] = {}
    cut = 0
    for note in notes:
        key = (_kind(note), note.path, note.message, note.hint)
        runs = groups.get(key)
        last = runs[-1] if runs else None
        if (note.line is not None and last is not None
                and last[1] + 1 == note.line):
            last[1] = note.line  # the run goes on: no budget spent
            continue
        if budget[0] <= 0:
            cut += 1
            continue
        budget[0] -= 1
        groups.setdefault(key, []).append(None if note.line is None else [note.line, note.line])
    return [[*key, runs] for key, runs in groups.items()], cut


def encode_notes(failures: Sequence[SourceError], warnings: Sequence[SourceWarning],
                 warnings_counted: int, empty_posts: int,
                 dated: dict[str, Counter[str]] | None = None,
                 tally: list[Any] | None = None) -> str | None:
    """The JSON text of a piece's notes; None when it has none (most pieces)."""
    if (not failures and not warnings and not warnings_counted and not empty_posts
            and not dated and tally is None):
        return None
    budget = [RUNS_KEPT]
    more_failures, cut_failures = _grouped(failures[NOTES_KEPT:], budget)
    more_warnings, cut_warnings = _grouped(warnings[NOTES_KEPT:], budget)
    data: dict[str, Any] = {
        "failures": len(failures), "warnings": warnings_counted, "empty_posts": empty_posts,
        "kept": [[_kind(n), n.path, n.line, n.message, n.hint]
                 for n in [*failures[:NOTES_KEPT], *warnings[:NOTES_KEPT]]]}
    if more_failures or more_warnings:
        data["more"] = more_failures + more_warnings
    if cut_failures or cut_warnings:
        data["cut"] = {"error": cut_failures, "warning": cut_warnings}
    if dated:
        data["dated"] = {source: dict(counts) for source, counts in dated.items()}
    if tally is not None:
        data["tally"] = tally
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _note(kind: str, path: str, line: int | None, message: str, hint: str | None,
          failures: list[SourceError], warnings: list[SourceWarning]) -> None:
    note = _KINDS.get(kind, SourceWarning)(path, message, line, hint)
    if isinstance(note, SourceWarning):
        warnings.append(note)
    else:
        failures.append(note)


def decode_notes(text: str | None) -> PieceNotes:
    """The notes `encode_notes` kept: every failure and warning with its file, line and
    message, unless a piece had more than RUNS_KEPT runs of them; then a warning says how
    many bad records (and warnings) its first try found that are not listed."""
    if not text:
        return PieceNotes([], [], 0, 0, {}, None)
    data = json.loads(text)
    failures: list[SourceError] = []
    warnings: list[SourceWarning] = []
    for kind, path, line, message, hint in data["kept"]:
        _note(kind, path, line, message, hint, failures, warnings)
    for kind, path, message, hint, runs in data.get("more", ()):
        for run in runs:
            lines = [None] if run is None else range(run[0], run[1] + 1)
            for line in lines:
                _note(kind, path, line, message, hint, failures, warnings)
    cut = data.get("cut")
    kept = f"{RUNS_KEPT:,} runs of lines of them"
    if cut is None and "more" not in data:
        # A row an earlier tracker wrote: it kept the first NOTES_KEPT of each kind and the
        # counts, and those past them went unsaid (the summary said 100 failed, not 250).
        cut = {"error": max(0, int(data["failures"]) - len(failures)),
               "warning": max(0, int(data["warnings"]) - len(warnings))}
        kept = f"the first {NOTES_KEPT:,} of each kind when an earlier tracker stored it"
    if cut and (cut["error"] or cut["warning"]):
        where = (failures or warnings)[-1].path
        warnings.append(SourceWarning(
            where, f"{cut['error']:,} more bad records and {cut['warning']:,} more warnings "
            "of this part of the file, said by the backfill's first try of it, are not "
            f"listed again: a retried part keeps {kept} (the summary's failed count leaves "
            "these out)"))
    dated = {source: Counter(counts) for source, counts in data.get("dated", {}).items()}
    return PieceNotes(failures, warnings, int(data["warnings"]), int(data["empty_posts"]),
                      dated, data.get("tally"))
