"""What `tracker ingest` and `tracker refresh` say when they are done: one line that adds up,
and how each file's posts were dated; counts with their nouns in the right number."""

from __future__ import annotations

from collections import Counter

from tracker.extract.models import RunCounts
from tracker.extract.text.plural import counted

_DATED_FROM = (("field", "from a field"), ("text", "from the text"),
               ("file", "from the file's time"), ("none", "undated"))


def summary_line(result: RunCounts) -> str:
    """Posts read = new + already stored + empty + failed, in that order."""
    line = (f"{counted(result.files_seen, 'file')}, {counted(result.posts_read, 'post')} read: "
            f"{counted(result.posts_added, 'new post')}, {result.posts_already:,} already "
            f"stored, {result.empty_posts:,} empty after cleaning, {result.posts_failed:,} "
            f"failed; {counted(result.mentions_added, 'new mention')}")
    if result.files_failed:
        line += (f"; {counted(result.files_failed, 'file')} could not be read")
    if result.warnings:
        line += f"; {counted(result.warnings, 'warning')}"
    return line


def refresh_line(result: RunCounts) -> str:
    """A refresh's one line, for its log and `refresh -v`."""
    return (f"{counted(result.files_seen, 'file')}: {result.files_new:,} new, "
            f"{result.files_changed:,} changed, {result.files_appended:,} grown, "
            f"{result.files_missing:,} missing, {result.files_removed:,} pruned; "
            f"{counted(result.posts_added, 'post')} and "
            f"{counted(result.mentions_added, 'mention')} added, "
            f"{counted(result.posts_removed, 'post')} removed; "
            f"{len(result.failures):,} failed; {counted(len(result.reports), 'report')} written"
            + (f"; {counted(result.warnings, 'warning')}" if result.warnings else ""))


def _dates(counts: Counter[str]) -> str:
    return ", ".join(f"{counts[key]:,} {words}" for key, words in _DATED_FROM if counts[key])


def date_lines(result: RunCounts) -> list[str]:
    """One line per file of several posts; files of one post each are summed in one line,
    so a folder of pages does not print a line per page."""
    lines = []
    singles: Counter[str] = Counter()
    single_files = 0
    for source, counts in result.dated.items():
        if sum(counts.values()) == 1:
            singles.update(counts)
            single_files += 1
        else:
            lines.append(f"{source}: {sum(counts.values()):,} posts, dated {_dates(counts)}")
    if single_files == 1:
        (key,) = singles
        words = dict(_DATED_FROM)[key]
        lines.append("1 file of one post, " + (words if key == "none" else f"dated {words}"))
    elif single_files:
        lines.append(f"{single_files:,} files of one post each: dated {_dates(singles)}")
    return lines
