"""Progress bars for long work (ingest, refresh, rescore) on stderr, shown only to a person.

A bar appears only when stderr is a terminal: never under cron, in a pipe or a log file, and
never with -q. Redrawing it is throttled, so a per-post callback costs next to nothing.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from typing import Any

import click

# Redraw at most this often (seconds): a terminal needs no more, and each redraw costs.
_REDRAW = 0.2


def wanted(quiet: bool = False) -> bool:
    """Whether to show a bar: a person is watching stderr and did not ask for quiet."""
    return not quiet and sys.stderr.isatty()


class FileProgress:
    """Files done (weighted by size, so one big file counts for what it is), posts so far,
    posts per second and the time left, for ingest and refresh."""

    def __init__(self, label: str, enabled: bool = True) -> None:
        self.label = label
        self.enabled = enabled
        self.bar: Any = None
        self.sizes: list[int] = []
        self.files = self.posts = 0
        self.started = time.monotonic()
        self._drawn = 0.0

    def start(self, paths: Sequence[str | os.PathLike[str]] | int) -> None:
        """Begin a bar over `paths` (or over that many files of unknown size)."""
        if not self.enabled:
            return
        if isinstance(paths, int):
            self.sizes = [1] * paths
        else:
            self.sizes = [_size(p) for p in paths]
        if not self.sizes:
            return
        self.started = time.monotonic()
        self.bar = click.progressbar(
            length=max(1, sum(self.sizes)), label=self.label, file=sys.stderr,
            show_eta=True, show_percent=True, item_show_func=self._describe)
        self.bar.__enter__()

    def _describe(self, _item: object) -> str:
        from tracker.extract.text.plural import counted

        rate = self.posts / max(time.monotonic() - self.started, 1e-6)
        return (f"{min(self.files, len(self.sizes))}/{counted(len(self.sizes), 'file')}, "
                f"{counted(self.posts, 'post')}, {rate:,.0f} posts/s")

    def update(self, files_started: int, posts: int) -> None:
        """`files_started` files opened so far (the last one still being read), `posts` read."""
        if self.bar is None:
            return
        self.posts = posts
        done = max(files_started - 1, 0)
        now = time.monotonic()
        if done == self.files and now - self._drawn < _REDRAW:
            return
        self._drawn = now
        self._advance_to(done)

    def file_done(self, _path: object, posts: int) -> None:
        """One more file read (refresh's callback)."""
        if self.bar is None:
            return
        self.posts = posts
        self._advance_to(self.files + 1)

    def _advance_to(self, files: int) -> None:
        moved = sum(self.sizes[self.files:files]) if files > self.files else 0
        self.files = max(self.files, files)
        if moved:
            self.bar.update(moved)
        else:
            self.bar.render_progress()

    def close(self, finished: bool = True) -> None:
        """End the bar's line and show the cursor again; full only when the run `finished`
        (a failed or stopped one stays where it got to)."""
        if self.bar is not None:
            if finished:
                self._advance_to(len(self.sizes))
            self.bar.__exit__(None, None, None)
            self.bar = None


class CountProgress:
    """A bar over a known number of items (rescore's stored posts)."""

    def __init__(self, label: str, total: int, enabled: bool = True) -> None:
        self.bar: Any = None
        if enabled and total:
            self.bar = click.progressbar(length=total, label=label, file=sys.stderr,
                                         show_pos=True, show_eta=True)
            self.bar.__enter__()

    def advance(self, n: int) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _size(path: str | os.PathLike[str]) -> int:
    # A file's size weighs its share of the bar; stdin and vanished files weigh one byte.
    try:
        return max(os.path.getsize(path), 1)
    except OSError:
        return 1
