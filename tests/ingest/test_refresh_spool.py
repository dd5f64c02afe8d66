"""A file refresh commits whole (not JSON Lines) keeps its posts past a batch on disk, not in
memory, and is still stored all at once with its read state, or not at all and read again."""

from __future__ import annotations

import errno
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.refreshkit import TICKERS, WORDS, make_job, snapshot
from tracker.config import Config
from tracker.ingest import refresh as refresh_module
from tracker.ingest.refresh import refresh
from tracker.store.database import Store
from tracker.store.upsert import PostRows


def _sheet(path: Path, rows: range, prefix: str = "row") -> None:
    """A CSV of `rows` posts, its first row given again at the end (one post, twice)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["id,text,published"]
    for i in rows:
        lines.append(f'{prefix}{i},"{prefix} {i}: ${TICKERS[i % 7]} is {WORDS[i % 7]}, '
                     f'${TICKERS[(i + 3) % 7]} {WORDS[(i + 1) % 7]}",2026-03-{1 + i % 27:02d}')
    path.write_text("\n".join([*lines, lines[1]]) + "\n", "utf-8")


def _run(cfg: Config, warnings: list[str] | None = None):  # type: ignore[no-untyped-def]
    store = Store(cfg.db_url)
    told = (lambda w: warnings.append(str(w))) if warnings is not None else None
    try:
        result = refresh(cfg, store, on_warning=told)
        assert cfg.path is not None
        return result, snapshot(store, cfg.path.parent)
    finally:
        store.close()


def _reference(folder: Path, rows: range) -> dict[str, list[tuple]]:
    """What one uninterrupted refresh of the sheet stores, in a folder of its own."""
    cfg = make_job(folder, f"sqlite:///{folder / 't.db'}", batch_size=500)
    _sheet(folder / "in" / "sheet.csv", rows)
    return _run(cfg)[1]


class _Watched(PostRows):
    """PostRows that can be watched for going (the dataclass has slots, so no weak refs)."""


def test_a_big_csv_holds_about_a_batch_of_posts_in_memory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # It held every analysed post of the file until its end: a 100,000-row CSV peaked at
    # 535 MB under refresh, 140 MB under ingest.
    cfg = make_job(tmp_path, f"sqlite:///{tmp_path / 't.db'}", batch_size=10)
    _sheet(tmp_path / "in" / "sheet.csv", range(120))
    real = refresh_module.prepare_post
    held = most = 0

    def gone() -> None:
        nonlocal held
        held -= 1

    def watched(post):  # type: ignore[no-untyped-def]
        nonlocal held, most
        made = real(post)
        if isinstance(made, PostRows):
            made = _Watched(made.post, made.row, made.mention_rows)
            weakref.finalize(made, gone)
            held += 1
        most = max(most, held)
        return made

    monkeypatch.setattr(refresh_module, "prepare_post", watched)
    result, snap = _run(cfg)
    assert (result.posts_added, result.failures) == (120, [])
    assert most <= 10  # was 120
    assert snap == _reference(tmp_path / "ref", range(120))


def _failing_after(n: int) -> object:
    real = refresh_module.read_csv_lines

    def reader(*args, **kwargs) -> Iterator[object]:  # type: ignore[no-untyped-def]
        for i, item in enumerate(real(*args, **kwargs)):
            if i == n:
                raise OSError(errno.EIO, "Input/output error")
            yield item

    return reader


@pytest.mark.parametrize("how", ["read-fails", "commit-dies"])
def test_a_big_csv_that_fails_half_way_stores_nothing_and_is_read_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    cfg = make_job(tmp_path, f"sqlite:///{tmp_path / 't.db'}", batch_size=10)
    _sheet(tmp_path / "in" / "sheet.csv", range(75))
    if how == "read-fails":  # after three batches went to the spool
        monkeypatch.setattr(refresh_module, "read_csv_lines", _failing_after(35))
        result, snap = _run(cfg)
        assert [f.message for f in result.failures] == ["cannot read: Input/output error"]
    else:  # the process dies as the file's one transaction commits
        def dying(self, updates, run_id=None):  # type: ignore[no-untyped-def]
            raise KeyboardInterrupt

        monkeypatch.setattr(Store, "apply_file_updates", dying)
        with pytest.raises(KeyboardInterrupt):
            _run(cfg)
        snap = snapshot(Store(cfg.db_url), tmp_path)
    assert (snap["posts"], snap["files"], snap["links"]) == ([], [], [])
    monkeypatch.undo()
    again, snap = _run(cfg)
    assert (again.files_new, again.posts_added, again.failures) == (1, 75, [])
    assert snap == _reference(tmp_path / "ref", range(75))


def test_an_edited_csv_that_fails_half_way_keeps_its_earlier_posts(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = make_job(tmp_path, f"sqlite:///{tmp_path / 't.db'}", batch_size=10)
    sheet = tmp_path / "in" / "sheet.csv"
    _sheet(sheet, range(40), prefix="old")
    _, before = _run(cfg)
    _sheet(sheet, range(75), prefix="new")
    monkeypatch.setattr(refresh_module, "read_csv_lines", _failing_after(35))
    failed, during = _run(cfg)
    assert len(failed.failures) == 1 and during == before  # the earlier version, whole
    monkeypatch.undo()
    edited, after = _run(cfg)
    assert (edited.files_changed, edited.posts_added, edited.posts_removed) == (1, 75, 40)
    assert {p[0] for p in after["posts"]}.isdisjoint({p[0] for p in before["posts"]})
    assert after["files"][0][5] == 75


def test_a_temporary_folder_that_refuses_the_posts_keeps_them_in_memory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = make_job(tmp_path, f"sqlite:///{tmp_path / 't.db'}", batch_size=10)
    _sheet(tmp_path / "in" / "sheet.csv", range(45))

    def full(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("tracker.ingest.spool.tempfile.TemporaryFile", full)
    warnings: list[str] = []
    result, snap = _run(cfg, warnings)
    assert (result.posts_added, result.failures) == (45, [])
    assert [w for w in warnings if "temporary folder" in w] == [
        f"{tmp_path / 'in' / 'sheet.csv'}: cannot hold its posts in the temporary folder "
        "until it is read to its end ([Errno 28] No space left on device); they are held "
        "in memory"]
    assert snap == _reference(tmp_path / "ref", range(45))
