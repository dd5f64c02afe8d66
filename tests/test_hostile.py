"""Hostile input: broken, huge, binary and booby-trapped files are ingested or reported,
never crash.

Every case lives in one folder next to good posts; through the library and through the CLI,
each bad part is reported with its file (and line, for records), the good posts around it
are stored, and the exit code is 1.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import cli
from tracker.config import Config, load_config
from tracker.extract.text.sentences import MAX_SENTENCE_CHARS
from tracker.ingest.pipeline import ingest
from tracker.store.database import Store, mentions, posts

MB = 1024 * 1024
GOOD = "$NVDA looks strong today, great quarter."


def _jsonl(*records: object) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n"
                   for r in records)


def build_corpus(root: Path) -> dict[str, tuple[int, str | None]]:
    """Write the hostile corpus under `root`.

    Returns, per file name, (posts that must be stored from it, substring of the failure
    message expected for it, or None when it must not fail).
    """
    root.mkdir()
    expect: dict[str, tuple[int, str | None]] = {}

    def put(name: str, data: bytes | str, stored: int, failure: str | None = None) -> None:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        expect[name] = (stored, failure)

    put("good.txt", GOOD, 1)
    put("empty.txt", b"", 0)
    put("blank.md", b"  \n\n \t\n", 0)
    put("binary.txt", bytes(range(256)) * 64, 0, "binary")
    put("truncated.txt", ("英伟达大涨 $NVDA 看多" * 20).encode("utf-8")[:-2], 1)
    put("gbk.txt", "台积电大涨，$TSM 看多，业绩超预期。".encode("gbk"), 1)
    put("huge.txt", b"The market is calm. " * (50 * MB // 20), 0, "max_post_chars")
    put("long-line.jsonl", _jsonl({"id": "a", "text": "$AAPL up. first"},
                                  {"id": "b", "text": "x" * (10 * MB)},
                                  {"id": "c", "text": "$AAPL up. third"}), 2, "max_post_chars")
    put("unclosed.txt", 'a <span class="security-tag" counter_id="ST/US/TSLA">$TSLA up '
        "<b><i><span>" * 500 + " and <div> never closed", 1)
    put("nested.html", "<div>" * 5000 + '<span class="security-tag" counter_id="ST/US/AMD">'
        "$AMD</span> rallies" + "</span></div>" * 7000, 1)
    put("dollar-at-end.txt", "Buy $NVDA and then $", 1)
    put("just-dollar.txt", "$", 1)
    put("broken.jsonl", _jsonl({"text": "$MSFT fine. one"}, '{"text": "cut off',
                               {"text": "$MSFT fine. three"}), 2, ":2: invalid JSON")
    put("deep.jsonl", _jsonl({"text": "$META ok"}, "[" * 100_000 + "]" * 100_000,
                             {"text": "$META ok too"}), 2, ":2: ")
    put("not-objects.json", "[1, \"two\", {\"text\": \"$AMZN good\"}]", 1, "expected an object")
    put("missing-cols.csv", "id,text,published\n1,$INTC up\n2\n3,$INTC down,2026-01-02\n",
        2, ":3: row has 1 cell, fewer than the header")
    put("extra-cols.csv", "id,text\n1,$AVGO up\n2,$AVGO down,surplus\n3,$AVGO flat\n", 2,
        ":3: row has more cells")
    put("no-text-col.csv", "id,title\n1,hello\n", 0, "no text column")
    put("bad-quote.csv", 'id,text\n1,"$MU up, quote never closed\n', 1)  # csv reads to the end
    put("weird-dates.jsonl", _jsonl(
        {"text": "$TSLA year one", "published": "0001-01-01T00:00:00+08:00"},
        {"text": "$TSLA year max", "published": "9999-12-31T23:59:59-08:00"},
        {"text": "$TSLA epoch", "published": 9999999999999},
        {"text": "$TSLA nonsense", "published": "yesterday-ish"}), 4)
    put("surrogates.jsonl", '{"text": "lone \\ud800 surrogate $TSLA up", "title": "\\udfff"}\n',
        1)
    put("injection.jsonl", _jsonl(
        {"text": "Robert'); DROP TABLE posts;-- $TSLA", "author": "x' OR '1'='1"}), 1)
    put("names/with spaces 🚀 émoji.txt", "$AAPL 🚀🚀 to the moon", 1)
    rows = "".join(f"<tr><td>$ASML</td><td>{i}</td><td>{'设备' * 3}</td></tr>"
                   for i in range(15_000))
    put("table.html", f"<html><body><table>{rows}</table></body></html>", 1)
    put("many-tags.txt", "$TSLA " * 20_000, 1)  # no punctuation: one run-on "sentence"
    put("many-headings.txt", "The first category is equipment\n$ASML\n" * 20_000, 1)
    put("crlf.txt", "line one $TSLA\r\nline two\rline three\u2028end", 1)
    put("unsupported.pdf", b"%PDF-1.4", 0)  # not a suffix we read: skipped when walking

    loop = root / "loop"
    loop.mkdir()
    (loop / "inner.txt").write_text("$GOOGL in the loop folder", "utf-8")
    expect["loop/inner.txt"] = (1, None)
    (loop / "self").symlink_to(loop, target_is_directory=True)
    (loop / "a.txt").symlink_to(loop / "b.txt")
    (loop / "b.txt").symlink_to(loop / "a.txt")
    expect["loop/a.txt"] = (0, "cannot read")
    expect["loop/b.txt"] = (0, "cannot read")
    bad_name = os.fsencode(root) + b"/bad-\xff-name.txt"
    with open(bad_name, "wb") as handle:
        handle.write(b"$AMD in a file whose name is not UTF-8")
    expect["bad-\ufffd-name.txt"] = (1, None)  # stored under a printable name
    return expect


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, tuple[int, str | None]]]:
    root = tmp_path_factory.mktemp("hostile") / "in"
    return root, build_corpus(root)


def _config(folder: Path) -> Config:
    path = folder / "config.toml"
    path.write_text('[dates]\ntimezone = "UTC"\n', "utf-8")
    return load_config(path)


def _check(root: Path, expect: dict[str, tuple[int, str | None]],
           failures: dict[str, list[str]], store: Store) -> None:
    """`failures`: the messages reported per file name (relative to `root`)."""
    for name, (_stored, failure) in expect.items():
        if failure is None:
            assert name not in failures, f"{name} failed: {failures.get(name)}"
        else:
            assert any(failure in msg for msg in failures.get(name, [])), (
                f"{name}: expected a failure with {failure!r}, got {failures.get(name)}")
    assert set(failures) <= set(expect), f"unexpected failures: {failures}"
    stored: dict[str, int] = {}
    for row in store.iter_rows(posts):
        name = os.path.relpath(row["source"], root)
        stored[name] = stored.get(name, 0) + 1
    for name, (count, _) in expect.items():
        assert stored.get(name, 0) == count, f"{name}: stored {stored.get(name, 0)}, want {count}"
    # Each mention stores its sentence: a run-on post must not make that quadratic.
    assert max(len(r["sentence"]) for r in store.iter_rows(mentions)) <= MAX_SENTENCE_CHARS


def _by_file(root: Path, lines: list[str]) -> dict[str, list[str]]:
    # "Error: <path>[:<line>]: <message>", one per failing record with -v.
    names = sorted((os.path.relpath(os.path.join(folder, f), root)
                    for folder, _dirs, files in os.walk(root) for f in files),
                   key=len, reverse=True)  # the longest first: a name may start another
    by_file: dict[str, list[str]] = {}
    for line in lines:
        path = line.removeprefix("Error: ")
        name = next(n for n in names if path.startswith(f"{root / n}:"))
        by_file.setdefault(name, []).append(line)
    return by_file


# One run through the CLI checks both what the library stores and reports (every failure
# with its file, -v: every record) and what the command prints and exits with; a separate
# library-only run of the same corpus repeated all of it and took minutes.
@pytest.mark.parametrize("workers", [1, 2], ids=["1-worker", "2-workers"])
@pytest.mark.slow
def test_ingest_stores_the_good_and_reports_each_bad_part(
    hostile: tuple[Path, dict[str, tuple[int, str | None]]], tmp_path: Path, workers: int,
) -> None:
    root, expect = hostile
    _config(tmp_path)
    result = CliRunner().invoke(
        cli, ["ingest", "-v", "--workers", str(workers), "--config",
              str(tmp_path / "config.toml"), str(root)], catch_exceptions=False)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    # Warnings (files without dates) may come too; every line names a file under root.
    assert lines and all(line.startswith((f"Error: {root}", f"Warning: {root}"))
                         for line in lines)
    assert f"Error: {root / 'broken.jsonl'}:2: invalid JSON" in result.stderr
    failures = _by_file(root, [line for line in lines if line.startswith("Error: ")])
    store = Store(f"sqlite:///{tmp_path / 'tracker.db'}")
    try:
        _check(root, expect, failures, store)
        assert store.counts()["posts"] == sum(n for n, _ in expect.values())
    finally:
        store.close()


def test_injection_looking_text_round_trips_unchanged(tmp_path: Path) -> None:
    nasty = ["Robert'); DROP TABLE posts;-- $TSLA", "x' OR '1'='1 $NVDA", '"; DELETE FROM mentions; $AMD',
             "$TSLA \\'; --", "%s %(text)s ? :name $AAPL"]
    src = tmp_path / "nasty.jsonl"
    src.write_text(_jsonl(*({"text": t, "author": t, "title": t} for t in nasty)), "utf-8")
    store = Store(f"sqlite:///{tmp_path / 't.db'}")
    result = ingest([src], _config(tmp_path), store)
    assert not result.failures and result.posts_added == len(nasty)
    rows = list(store.iter_rows(posts))
    assert sorted(r["text"] for r in rows) == sorted(nasty)
    assert sorted(r["author"] for r in rows) == sorted(nasty)
    assert store.counts()["mentions"] == len(nasty)
    for row in store.iter_rows(mentions):
        assert any(row["sentence"] in text for text in nasty)
