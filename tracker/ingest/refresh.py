"""Incremental refresh: ingest only the source files that are new or changed, then reports.

A file is looked at again only when its size or modification time changed; then its hash
tells a real change from a touch. A JSON Lines file whose earlier content is unchanged has
only its new lines read (from the byte offset already read). Every batch commits in one
transaction together with the read positions of its files, so a run killed at any point
leaves a consistent database, and the next run carries on where the last commit stopped.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tracker.analyze import Analyzer
from tracker.config import Config
from tracker.errors import SourceError, StoreError
from tracker.ingest.jobs import RefreshJob, load_job
from tracker.ingest.pipeline import analyze_one, check_size
from tracker.models import Post, RawPost
from tracker.sources import SUFFIXES, find_files, read_text
from tracker.sources.decode import decode_bytes
from tracker.sources.growing import hash_prefix, read_lines
from tracker.store.database import RunCounts, Store
from tracker.store.filestate import FileState, FileUpdate

log = logging.getLogger(__name__)


@dataclass
class RefreshResult:
    """What one refresh looked at, added and removed, and the failures it went on past."""

    files_seen: int = 0
    files_new: int = 0
    files_changed: int = 0
    files_appended: int = 0
    files_missing: int = 0
    files_removed: int = 0
    posts_seen: int = 0
    posts_added: int = 0
    mentions_added: int = 0
    posts_removed: int = 0
    failures: list[SourceError] = field(default_factory=list)
    reports: list[Path] = field(default_factory=list)

    @property
    def files_failed(self) -> int:
        return len({f.path for f in self.failures})

    def counts(self) -> RunCounts:
        return RunCounts(
            files_seen=self.files_seen, files_failed=self.files_failed,
            posts_seen=self.posts_seen, posts_added=self.posts_added,
            mentions_added=self.mentions_added, failures=len(self.failures),
            files_new=self.files_new, files_changed=self.files_changed + self.files_appended,
            files_removed=self.files_removed, posts_removed=self.posts_removed,
        )

    def summary(self) -> str:
        return (f"{self.files_seen} files: {self.files_new} new, {self.files_changed} changed, "
                f"{self.files_appended} grown, {self.files_missing} missing, "
                f"{self.files_removed} pruned; {self.posts_added} posts and "
                f"{self.mentions_added} mentions added, {self.posts_removed} posts removed; "
                f"{len(self.failures)} failed; {len(self.reports)} reports written")


def discover(job: RefreshJob) -> tuple[list[Path], list[SourceError]]:
    """The job's source files (absolute, each once, in a stable order) and missing paths."""
    found: dict[str, Path] = {}
    errors: list[SourceError] = []
    for item in find_files(job.paths):
        if isinstance(item, SourceError):
            errors.append(item)
        else:
            found.setdefault(os.path.abspath(item), item)
    for hit in sorted(job.expand_globs()):
        if hit.is_file() and hit.suffix.lower() in SUFFIXES and not hit.name.startswith("."):
            found.setdefault(os.path.abspath(hit), hit)
    return [Path(p) for p in found], errors


class _Reader:
    """Turns one changed file into FileUpdates of at most `batch_size` posts each."""

    def __init__(self, cfg: Config, analyzer: Analyzer, batch_size: int,
                 result: RefreshResult, fail: Callable[[SourceError], None]) -> None:
        self.cfg, self.analyzer, self.batch_size = cfg, analyzer, batch_size
        self.result, self.fail = result, fail

    def _post(self, item: RawPost | SourceError | None) -> Post | None:
        if item is None:
            return None
        # The same guards as ingest: a runaway post or a parser failure costs one post.
        checked = check_size(item, self.cfg) if isinstance(item, RawPost) else item
        outcome = (analyze_one(self.analyzer, checked) if isinstance(checked, RawPost)
                   else checked)
        if isinstance(outcome, SourceError):
            self.fail(outcome)
            return None
        if outcome is not None:
            self.result.posts_seen += 1
        return outcome

    def whole(self, path: Path, key: str, state: FileState | None) -> Iterator[FileUpdate]:
        st = path.stat()
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        update = FileUpdate(key, st.st_size, st.st_mtime_ns, digest, len(data), 0)
        if state is not None and digest == state.sha256 and len(data) == state.bytes_read:
            yield update  # touched, not changed: record the new time only
            return
        text = decode_bytes(data, key)
        for item in read_text(text, key, path.suffix, self.cfg.input, st.st_mtime):
            post = self._post(item)
            if post is not None:
                update.posts.append(post)
        update.replace = state is not None
        self._count(state, appended=False)
        yield update

    def jsonl(self, path: Path, key: str, state: FileState | None) -> Iterator[FileUpdate]:
        with open(path, "rb") as handle:
            st = os.fstat(handle.fileno())
            start, newlines, digest, replace = 0, 0, hashlib.sha256(), state is not None
            if state is not None:
                prefix = hash_prefix(handle, state.bytes_read)
                if prefix is not None and prefix.hexdigest() == state.sha256:
                    start, newlines, digest, replace = (state.bytes_read, state.lines_read,
                                                        prefix, False)
            if start == 0 or st.st_size > start:
                self._count(state, appended=start > 0)
            update = FileUpdate(key, start, 0, digest.hexdigest(), start, newlines, replace)
            for line in read_lines(handle, start, newlines, digest, key, self.cfg.input,
                                   st.st_mtime):
                post = self._post(line.item)
                if post is not None:
                    update.posts.append(post)
                # Part-way, size = bytes read: the next run will not mistake it for done.
                update.size = update.bytes_read = line.end
                update.lines_read = line.newlines
                if len(update.posts) >= self.batch_size:
                    update.sha256 = digest.hexdigest()
                    yield update
                    update = FileUpdate(key, line.end, 0, "", line.end, line.newlines)
            update.sha256 = digest.hexdigest()
            update.size, update.mtime_ns = st.st_size, st.st_mtime_ns
            yield update

    def _count(self, state: FileState | None, appended: bool) -> None:
        if state is None:
            self.result.files_new += 1
        elif appended:
            self.result.files_appended += 1
        else:
            self.result.files_changed += 1


def refresh(
    cfg: Config, store: Store, job: RefreshJob | None = None, *, prune: bool = False,
    on_failure: Callable[[SourceError], None] | None = None,
    on_start: Callable[[int], None] | None = None,
    on_file: Callable[[Path, int], None] | None = None,
) -> RefreshResult:
    """Ingest what changed in the job's sources; the caller holds the refresh lock.

    `on_start(n)` is told how many files need reading, `on_file(path, posts so far)` after
    each one (for a progress bar). Reports are written separately (tracker.reports.publish).
    """
    job = job or load_job(cfg)
    result = RefreshResult()

    def fail(err: SourceError) -> None:
        result.failures.append(err)
        log.warning("%s", err)
        if on_failure is not None:
            on_failure(err)

    files, missing_roots = discover(job)
    for err in missing_roots:
        fail(err)
    result.files_seen = len(files)
    states = store.file_states()
    todo = []
    for path in files:
        key = str(path)
        state = states.get(key)
        try:
            st = path.stat()
        except OSError as exc:
            fail(SourceError(key, f"cannot read: {exc.strerror or exc}"))
            continue
        if state is None or (st.st_size, st.st_mtime_ns) != (state.size, state.mtime_ns):
            todo.append((path, key, state))
    gone = [p for p in states if p not in {str(f) for f in files} and job.covers(p)]
    result.files_missing = len(gone)

    run_id = store.start_run("refresh")
    reader = _Reader(cfg, Analyzer(cfg), job.batch_size, result, fail)
    pending: list[FileUpdate] = []

    def flush() -> None:
        if not pending:
            return
        try:
            added, mentioned, removed = store.apply_file_updates(pending, run_id)
        except StoreError as exc:
            # Rolled back whole: these files keep their old state and are read next run.
            for path in dict.fromkeys(u.path for u in pending):
                fail(SourceError(path, f"not stored, will retry next run: {exc}"))
        else:
            result.posts_added += added
            result.mentions_added += mentioned
            result.posts_removed += removed
        pending.clear()

    if on_start is not None:
        on_start(len(todo))
    for path, key, state in todo:
        read = reader.jsonl if path.suffix.lower() == ".jsonl" else reader.whole
        try:
            for update in read(path, key, state):
                pending.append(update)
                if sum(len(u.posts) for u in pending) >= job.batch_size:
                    flush()
        except OSError as exc:
            fail(SourceError(key, f"cannot read: {exc.strerror or exc}"))
        except SourceError as err:
            fail(err)
        if on_file is not None:
            on_file(path, result.posts_seen)
    flush()
    if prune and gone:
        result.posts_removed += store.remove_files(gone)
        result.files_removed = len(gone)
    store.finish_run(run_id, result.counts())
    return result
