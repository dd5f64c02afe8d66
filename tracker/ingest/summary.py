"""What `tracker ingest` says when it is done: one line that adds up, and how each file's
posts were dated."""

from __future__ import annotations

from collections import Counter

from tracker.models import RunCounts

_DATED_FROM = (("field", "from a field"), ("text", "from the text"),
               ("file", "from the file's time"), ("none", "undated"))


def summary_line(result: RunCounts) -> str:
    """Posts read = new + already stored + empty + failed, in that order."""
    line = (f"{result.files_seen} files, {result.posts_read:,} posts read: "
            f"{result.posts_added:,} new posts, {result.posts_already:,} already stored, "
            f"{result.empty_posts:,} empty after cleaning, {result.posts_failed:,} failed; "
            f"{result.mentions_added:,} new mentions")
    if result.files_failed:
        line += f"; {result.files_failed} files could not be read"
    if result.warnings:
        line += f"; {result.warnings:,} warnings"
    return line


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
    if single_files:
        files = "1 file" if single_files == 1 else f"{single_files:,} files"
        lines.append(f"{files} of one post: dated {_dates(singles)}")
    return lines
