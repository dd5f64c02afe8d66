"""What a stored backfill piece had to say (its bad records and warnings), kept in its
`backfill_parts` row so a task Dask runs again reports what its first try did."""

from __future__ import annotations

import json
from collections.abc import Sequence

from tracker.errors import EmptyPostWarning, SourceError, SourceWarning

# Messages kept per piece and kind: a piece with millions of bad lines must not bloat its
# row. The full counts are kept; a retried piece reports only its first NOTES_KEPT of each.
NOTES_KEPT = 100

_KINDS: dict[str, type[SourceError]] = {
    "error": SourceError, "warning": SourceWarning, "empty": EmptyPostWarning}


def _kind(note: SourceError) -> str:
    if isinstance(note, EmptyPostWarning):
        return "empty"
    return "warning" if isinstance(note, SourceWarning) else "error"


def encode_notes(failures: Sequence[SourceError], warnings: Sequence[SourceWarning],
                 warnings_counted: int, empty_posts: int) -> str | None:
    """The JSON text of a piece's notes; None when it has none (most pieces)."""
    if not failures and not warnings and not warnings_counted and not empty_posts:
        return None
    return json.dumps({
        "failures": len(failures), "warnings": warnings_counted, "empty_posts": empty_posts,
        "kept": [[_kind(n), n.path, n.line, n.message, n.hint]
                 for n in [*failures[:NOTES_KEPT], *warnings[:NOTES_KEPT]]]},
        ensure_ascii=False, separators=(",", ":"))


def decode_notes(text: str | None) -> tuple[list[SourceError], list[SourceWarning], int, int]:
    """(failures kept, warnings kept, warnings counted, empty posts) from `encode_notes`."""
    if not text:
        return [], [], 0, 0
    data = json.loads(text)
    failures: list[SourceError] = []
    warnings: list[SourceWarning] = []
    for kind, path, line, message, hint in data["kept"]:
        note = _KINDS.get(kind, SourceWarning)(path, message, line, hint)
        if isinstance(note, SourceWarning):
            warnings.append(note)
        else:
            failures.append(note)
    return failures, warnings, int(data["warnings"]), int(data["empty_posts"])
