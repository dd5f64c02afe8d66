"""Incremental refresh: ingest only the source files that are new or changed, then reports.

A file is looked at again only when its size or modification time changed; then its hash
tells a real change from a touch. A JSON Lines file whose earlier content is unchanged has
only its new lines read (from the byte offset already read); one whose earlier content is
gone was rotated in place (its earlier posts are kept) unless its first post is still first
(an edit: the posts it no longer holds go, as for an edited file of another format).
Files are read through tracker.sources and analysed as ingest analyses, in chunks, in
`workers` processes if asked.
Every batch commits in one transaction together with the read positions of its files, so a
run killed at any point leaves a consistent database, and the next run carries on where the
last commit stopped. A file of another format commits whole, with its state, once read to
its end; its posts past a batch wait on disk until then (ingest/spool.py). A batch that
fails to store stops its files for this run: their read positions stay where the batch
began, and the next run reads them again.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from tracker.config import Config, within
from tracker.errors import EmptyPostWarning, SourceError, SourceWarning, StoreError
from tracker.extract.models import Post, RawPost, RunCounts
from tracker.ingest.analyze import Analyzer
from tracker.ingest.jobs import RefreshJob, load_job
from tracker.ingest.pipeline import analyze_stream, check_size, prepare_post
from tracker.ingest.problems import problem_sink
from tracker.ingest.spool import PostSpool
from tracker.sources import SUFFIXES, display_name, find_paths, read_text, text_limit
from tracker.sources.csvfile import csv_lines
from tracker.sources.datecheck import DateTally
from tracker.sources.decode import decode_file
from tracker.sources.files import open_regular, read_regular
from tracker.sources.jsonl import hash_prefix, hash_upto, is_utf16, read_lines
from tracker.sources.jsonlist import json_posts
from tracker.sources.records import UnreadableFile, read_csv_lines
from tracker.store.database import Store, server_unreachable
from tracker.store.filestate import FileState, FileUpdate
from tracker.store.pglocks import lock_waited
from tracker.store.upsert import PostRows

log = logging.getLogger(__name__)


def discover(job: RefreshJob) -> tuple[list[str], list[SourceError]]:
    """The job's source files (absolute, each once, in a stable order) and missing paths.

    Paths stay strings: an idle run over 10,000 files spent most of its time in pathlib.
    """
    found: dict[str, None] = {}
    errors: list[SourceError] = []
    # Roots made absolute once: what the walk yields under them is absolute already.
    for item in find_paths([os.path.abspath(p) for p in job.paths]):
        if isinstance(item, SourceError):
            errors.append(item)
        else:
            found.setdefault(item)
    for root, pattern in job.missing_glob_roots():
        # As a missing path: a mistyped or unmounted folder must not read as "no new posts"
        # run after run.
        errors.append(SourceError(root, f"no such folder, where [sources] globs pattern "
                                  f"{pattern} starts"))
    for hit in sorted(job.expand_globs()):
        if hit.is_file() and hit.suffix.lower() in SUFFIXES and not hit.name.startswith("."):
            found.setdefault(os.path.abspath(hit))
    # The reports this job writes are never its input: with [sources] paths = ["."] each
    # run read the last run's briefing as a post and counted its tickers again.
    reports = os.path.abspath(job.reports_folder)
    return [f for f in found if not within(f, reports)], errors


@dataclass(eq=False)
class _File:
    """One file being read: what it holds since its last commit, and whether it stopped."""

    path: Path
    key: str
    state: FileState | None
    jsonl: bool
    update: FileUpdate | None = None
    stopped: bool = False  # a batch of it failed to store, or it could not be read
    # A JSON Lines file whose earlier content is no longer its start: rotated in place
    # (copytruncate), or edited. Its first post tells which: an edit keeps it, so the posts
    # of the earlier version are replaced; after a rotation they are kept, until then too.
    rewritten: bool = False
    first: str | None = None  # the earlier version's first post
    # A file committed whole at its end (not JSON Lines): its posts past a batch wait here.
    spool: PostSpool | None = None


def _check_unchanged(handle: BinaryIO, st: os.stat_result, update: FileUpdate) -> None:
    """Raise SourceError (the file stops, storing nothing) when the bytes streamed from
    `handle` changed since they were hashed (`update`): read over a batch or more, a file
    rewritten meanwhile gave posts of both versions, stored under the first one's hash (the
    next run, finding it changed, replaced them). Read again next run. A file that only
    grew was read as hashed (the reading stops at the hashed size); told by hashing those
    bytes again, only when its size or time moved."""
    now = os.fstat(handle.fileno())
    if (now.st_size, now.st_mtime_ns) == (st.st_size, st.st_mtime_ns):
        return
    digest, read = hash_upto(handle, update.bytes_read)
    if read != update.bytes_read or digest.hexdigest() != update.sha256:
        raise SourceError(update.path, "changed while it was read; it will be read again "
                          "next run")


@dataclass
class _Tag:
    """Where one item of the read stream came from; `kind` is "post" for an item that goes
    through analysis, else "line" (a blank line), "end" (the file read to its end) or
    "abort" (`error` stops the file)."""

    kind: str
    file: _File
    end: int = 0  # the byte after the line; for "end", the file's size
    newlines: int = 0
    mtime_ns: int = 0  # for "end"
    sha256: str = ""
    error: SourceError | None = None


@dataclass
class _Run:
    """One refresh in progress: the open files' updates, and what is ready to commit."""

    cfg: Config
    store: Store
    run_id: int
    batch_size: int
    result: RunCounts
    fail: Callable[[SourceError], None]
    on_file: Callable[[Path, int], None] | None
    tags: deque[_Tag] = field(default_factory=deque)
    open: dict[str, _File] = field(default_factory=dict)
    ready: list[FileUpdate] = field(default_factory=list)
    ready_files: list[_File] = field(default_factory=list)
    pending_posts: int = 0

    # --- reading: raw posts for analysis; each one's origin goes to `tags` ----------

    def read(self, files: list[_File]) -> Iterator[RawPost | SourceError]:
        for f in files:
            try:
                yield from (self._jsonl(f) if f.jsonl else self._whole(f))
            except OSError as exc:
                self.tags.append(_Tag("abort", f, error=SourceError.unreadable(f.key, exc)))
            except SourceError as err:
                self.tags.append(_Tag("abort", f, error=err))
            except Exception as exc:  # the file's failure, whatever raised: it stays unread
                log.debug("reading %s failed", f.key, exc_info=True)
                self.tags.append(_Tag("abort", f, error=SourceError(
                    f.key, f"cannot read ({type(exc).__name__}: {str(exc)[:200]}); it will "
                    "be read again next run; please report it")))

    def _post(self, f: _File, item: RawPost | SourceError, tag: _Tag
              ) -> RawPost | SourceError:
        self.tags.append(tag)
        # The same guard as ingest: a runaway post is reported, never analysed.
        return check_size(item, self.cfg) if isinstance(item, RawPost) else item

    def _hashed(self, f: _File, handle: BinaryIO) -> tuple[os.stat_result, FileUpdate] | None:
        """`handle`'s file hashed in one pass, as far as it goes (if cut short), and recorded
        as `f.update`; None, its end recorded, when it is the version read before, touched
        and not changed (its new time is recorded)."""
        st = os.fstat(handle.fileno())
        digest, read = hash_upto(handle, st.st_size)
        update = f.update = FileUpdate(f.key, st.st_size, st.st_mtime_ns, digest.hexdigest(),
                                       read, 0)
        if (f.state is not None and update.sha256 == f.state.sha256
                and read == f.state.bytes_read):
            self.tags.append(_Tag("end", f))
            return None
        return st, update

    def _csv(self, f: _File) -> Iterator[RawPost | SourceError]:
        # As _whole, but streamed (sources/csvfile.py): hashed in one pass, read in another.
        with open_regular(f.path, f.key) as handle:
            if (hashed := self._hashed(f, handle)) is None:
                return
            st, update = hashed
            lines, note = csv_lines(handle, update.bytes_read, f.key)  # no text raises
            update.replace = f.state is not None
            self._count(f.state, appended=False)
            if note is not None:
                yield self._post(f, SourceWarning(f.key, note), _Tag("post", f))
            if lines is not None:
                for item in read_csv_lines(lines, f.key, self.cfg.input, st.st_mtime):
                    yield self._post(f, item, _Tag("post", f))
            _check_unchanged(handle, st, update)
            self.tags.append(_Tag("end", f))

    def _json(self, f: _File) -> Iterator[RawPost | SourceError]:
        # As _csv: hashed in one pass; a list then streamed (sources/jsonlist.py), any other
        # .json read whole as before.
        with open_regular(f.path, f.key) as handle:
            if (hashed := self._hashed(f, handle)) is None:
                return
            st, update = hashed
            update.replace = f.state is not None
            self._count(f.state, appended=False)
            for item in json_posts(handle, update.bytes_read, f.key, self.cfg.input,
                                   st.st_mtime):
                if isinstance(item, UnreadableFile):
                    # Cut short by a writer still writing it, or broken by an edit: its
                    # earlier posts are kept (they were all deleted, the new version holding
                    # none), and it is read again next run.
                    raise item
                yield self._post(f, item, _Tag("post", f))
            _check_unchanged(handle, st, update)
            self.tags.append(_Tag("end", f))

    def _whole(self, f: _File) -> Iterator[RawPost | SourceError]:
        if f.path.suffix.lower() == ".csv":
            yield from self._csv(f)
            return
        if f.path.suffix.lower() == ".json":
            yield from self._json(f)
            return
        data, st = read_regular(f.path, f.key, text_limit(f.path.suffix, self.cfg.input))
        digest = hashlib.sha256(data).hexdigest()
        f.update = FileUpdate(f.key, st.st_size, st.st_mtime_ns, digest, len(data), 0)
        if f.state is not None and digest == f.state.sha256 and len(data) == f.state.bytes_read:
            self.tags.append(_Tag("end", f))  # touched, not changed: record the new time
            return
        decoded = decode_file(data, f.key)
        f.update.replace = f.state is not None
        self._count(f.state, appended=False)
        if decoded.note is not None:
            yield self._post(f, SourceWarning(f.key, decoded.note), _Tag("post", f))
        for item in read_text(decoded.text, f.key, f.path.suffix, self.cfg.input, st.st_mtime):
            yield self._post(f, item, _Tag("post", f))
        self.tags.append(_Tag("end", f))

    def _jsonl(self, f: _File) -> Iterator[RawPost | SourceError]:
        with open_regular(f.path, f.key) as handle:
            if is_utf16(handle):
                # No b"\n" line ends to resume at: read whole, as ingest reads it.
                f.jsonl = False
                yield from self._whole(f)
                return
            st = os.fstat(handle.fileno())
            start, newlines, digest, replace = 0, 0, hashlib.sha256(), f.state is not None
            if f.state is not None:
                prefix = hash_prefix(handle, f.state.bytes_read)
                if prefix is not None and prefix.hexdigest() == f.state.sha256:
                    start, newlines, digest, replace = (f.state.bytes_read,
                                                        f.state.lines_read, prefix, False)
            if start == 0 or st.st_size > start:
                # Grown, also from empty (as a rotated feed is): its earlier content is kept.
                self._count(f.state, appended=not replace)
            if replace:
                # Replaced only once its first post shows an edit (take): a cron run
                # after logrotate's copytruncate deleted every post of the rotated feed.
                f.rewritten, f.first, replace = True, self.store.first_post(f.key), False
            sha = digest.hexdigest()
            f.update = FileUpdate(f.key, start, 0, sha, start, newlines, replace)
            dates = DateTally(f.key, self.cfg.input)
            end, lines = start, newlines
            for line in read_lines(handle, start, newlines, digest, f.key, self.cfg.input,
                                   st.st_mtime, dates):
                sha = digest.hexdigest()
                end, lines = line.end, line.newlines
                tag = _Tag("post" if line.item is not None else "line", f, line.end,
                           line.newlines, sha256=sha)
                if line.item is None:
                    last = self.tags[-1] if self.tags else None
                    if last is not None and last.kind == "line" and last.file is f:
                        # Blank lines in a row are one position to advance to: a tag each
                        # held 2 million blank lines in memory until the next post.
                        self.tags[-1] = tag
                    else:
                        self.tags.append(tag)
                else:
                    yield self._post(f, line.item, tag)
                for warning in line.warnings:
                    # After its post, at the same position: a batch committed between the
                    # two cannot move the file's read position past an unstored post.
                    yield self._post(f, warning, _Tag("post", f, end, lines, sha256=sha))
            for summary in dates.summaries():  # of the lines read this run
                yield self._post(f, summary, _Tag("post", f, end, lines, sha256=sha))
            self.tags.append(_Tag("end", f, st.st_size, sha256=sha, mtime_ns=st.st_mtime_ns))

    def _count(self, state: FileState | None, appended: bool) -> None:
        if state is None:
            self.result.files_new += 1
        elif appended:
            self.result.files_appended += 1
        else:
            self.result.files_changed += 1

    # --- storing: outcomes in read order, committed in batches ----------------------

    def take(self, outcome: Post | SourceError | None) -> None:
        """The outcome of the next "post" tag; the tags read before it are applied first."""
        while self.tags[0].kind != "post":
            self._mark(self.tags.popleft())
        tag = self.tags.popleft()
        f = tag.file
        item: PostRows | SourceError | None
        if isinstance(outcome, Post):
            if f.rewritten and f.update is not None:
                f.rewritten = False
                f.update.replace = outcome.id == f.first
            # Its rows made once, here, as ingest makes them: stored as they are.
            item = prepare_post(outcome)
        else:
            item = outcome
        if isinstance(item, EmptyPostWarning):
            self.result.empty_posts += 1
        if isinstance(item, SourceError):
            self.fail(item)
        elif item is None:
            self.result.empty_posts += 1
        else:
            self.result.posts_seen += 1
            self.result.count_date(item.post)
            if not f.stopped and f.update is not None:
                f.update.posts.append(item)
                self.pending_posts += 1
                if not f.jsonl and len(f.update.posts) >= self.batch_size:
                    self._spool(f, f.update)
        self._advance(tag)
        if self.pending_posts >= self.batch_size:
            self.flush()

    def _spool(self, f: _File, update: FileUpdate) -> None:
        # Still committed whole, with its read state, once read to its end (so a file that
        # fails half-way stores nothing and is read again); until then on disk, not in
        # memory: a 100,000-row CSV held 535 MB here.
        if f.spool is None:
            f.spool = update.spooled = PostSpool()
        refused = f.spool.refused
        if f.spool.add(update.posts):
            self.pending_posts -= len(update.posts)
            update.posts = []
        elif refused is None and f.spool.refused is not None:
            # Said once; its posts wait in memory, as they all did before.
            self.fail(SourceWarning(f.key, "cannot hold its posts in the temporary folder "
                                    f"until it is read to its end ({f.spool.refused}); "
                                    "they are held in memory"))

    def drain(self) -> None:
        """Apply the tags left after the last outcome, and commit what is pending."""
        while self.tags:
            self._mark(self.tags.popleft())
        self.flush()

    def _advance(self, tag: _Tag) -> None:
        f = tag.file
        if f.stopped or f.update is None:
            return
        self.open.setdefault(f.key, f)
        if f.jsonl:
            # Part-way, size = bytes read: the next run will not mistake it for done.
            f.update.size = f.update.bytes_read = tag.end
            f.update.lines_read = tag.newlines
            f.update.sha256 = tag.sha256

    def _mark(self, tag: _Tag) -> None:
        f = tag.file
        if tag.kind == "line":
            self._advance(tag)
        elif tag.kind == "abort":
            assert tag.error is not None
            self.fail(tag.error)
            self._stop(f)
        elif tag.kind == "end":
            if not f.stopped and f.update is not None:
                if f.jsonl:
                    f.update.size, f.update.mtime_ns = tag.end, tag.mtime_ns
                    f.update.sha256 = tag.sha256
                self.open.pop(f.key, None)
                self.ready.append(f.update)
                self.ready_files.append(f)
            if self.on_file is not None:
                self.on_file(f.path, self.result.posts_seen)

    def _stop(self, f: _File) -> None:
        if f.update is not None:
            self.pending_posts -= len(f.update.posts)
        if f.spool is not None:
            f.spool.close()
        f.stopped, f.update = True, None
        self.open.pop(f.key, None)

    def flush(self) -> None:
        """Commit the finished files and the open files' progress in one transaction."""
        growing = [f for f in self.open.values() if f.jsonl and f.update is not None]
        files = [*self.ready_files, *growing]
        updates = [*self.ready, *(f.update for f in growing if f.update is not None)]
        self.ready, self.ready_files = [], []
        if not updates:
            return
        try:
            added, mentioned, removed = self.store.apply_file_updates(updates, self.run_id)
        except (StoreError, OSError) as exc:
            if isinstance(exc, StoreError) and (server_unreachable(exc) or lock_waited(exc)):
                # A frozen or cut-off server, or a lock another session holds: each further
                # file waited a minute for it (a statement's silence, then a new
                # connection's; or the lock's wait), a cron run for hours.
                raise
            # Rolled back whole: these files keep the state of their last commit. Reading
            # them on would commit later lines past the lost ones, so they stop here and
            # the next run reads them again from that state. (OSError: a spool that could
            # not be read back.)
            for f in files:
                self.fail(SourceError(f.key, f"not stored, will retry next run: {exc}"))
                self._stop(f)
        else:
            self.result.posts_added += added
            self.result.mentions_added += mentioned
            self.result.posts_removed += removed
            for f in files:
                if f.spool is not None:
                    f.spool.close()
            for f in growing:
                u = f.update
                assert u is not None
                f.update = FileUpdate(u.path, u.bytes_read, 0, u.sha256, u.bytes_read,
                                      u.lines_read)
        self.pending_posts = sum(len(f.update.posts) for f in self.open.values()
                                 if f.update is not None)


def _prunable(gone: list[str], blind: list[str], fail: Callable[[SourceError], None]
              ) -> list[str]:
    """The files of `gone` that --prune may forget: not those under a source path that is
    missing or cannot be read (`blind`), whose files look gone while a share is unmounted
    or a folder's permissions are wrong; each such path's kept files are said once."""
    kept: dict[str, int] = {}
    prunable = []
    for path in gone:
        root = next((b for b in blind if within(path, b)), None)
        if root is None:
            prunable.append(path)
        else:
            kept[root] = kept.get(root, 0) + 1
    for root, count in kept.items():
        fail(SourceWarning(root, f"not pruned: this source path is missing or cannot be read, "
                           f"so the posts of its {count:,} stored file"
                           f"{'' if count == 1 else 's'} are kept; prune again once it is "
                           "back (an empty folder in its place lets them go)"))
    return prunable


def refresh(
    cfg: Config, store: Store, job: RefreshJob | None = None, *, prune: bool = False,
    workers: int = 1,
    on_failure: Callable[[SourceError], None] | None = None,
    on_warning: Callable[[SourceWarning], None] | None = None,
    on_start: Callable[[int], None] | None = None,
    on_file: Callable[[Path, int], None] | None = None,
) -> RunCounts:
    """Ingest what changed in the job's sources; the caller holds the refresh lock.

    `workers` > 1 parses and scores in that many processes, as `tracker ingest` does.
    `on_start(n)` is told how many files need reading, `on_file(path, posts so far)` after
    each one (for a progress bar). Reports are written separately (tracker.reports.publish).
    """
    job = job or load_job(cfg)
    result = RunCounts()

    fail = problem_sink(result, on_failure, on_warning)

    files, missing_roots = discover(job)
    for err in missing_roots:
        fail(err)
    result.files_seen = len(files)
    states = store.file_states()
    todo: list[_File] = []
    keys: set[str] = set()
    for name in files:
        # A file name that is not UTF-8 holds surrogate escapes, which no database stores:
        # the key (and the name in messages) is its printable form.
        key = display_name(name)
        keys.add(key)
        state = states.get(key)
        try:
            st = os.stat(name)
        except OSError as exc:
            fail(SourceError.unreadable(key, exc))
            continue
        if state is None or (st.st_size, st.st_mtime_ns) != (state.size, state.mtime_ns):
            todo.append(_File(Path(name), key, state, key.lower().endswith(".jsonl")))
    current = keys
    gone = [p for p in states if p not in current and job.covers(p)]
    result.files_missing = len(gone)
    if prune:
        gone = _prunable(gone, [err.path for err in missing_roots], fail)

    with store.recorded_run("refresh", result) as run_id:
        if on_start is not None:
            on_start(len(todo))
        if todo:
            run = _Run(cfg, store, run_id, job.batch_size, result, fail, on_file)
            for outcome in analyze_stream(run.read(todo), cfg, lambda: Analyzer(cfg), workers):
                run.take(outcome)
            run.drain()
        if prune and gone:
            result.posts_removed += store.remove_files(gone)
            result.files_removed = len(gone)
    return result
