"""Property tests of the per-record boundary: any JSON value, number, date, offset, string
(lone surrogates and control characters included) in any input field, and any file name,
gives a stored post or that record's error naming its file and line; never an exception.

Each example goes through the library's per-record path (read the line, bound its size,
analyse, check its rows, store), not the CLI, so that 500 examples per field stay quick;
test_poison.py runs the CLI over a file of such records.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.cli import cli
from tracker.config import Config, load_config
from tracker.errors import SourceError
from tracker.extract.models import Post, RawPost
from tracker.ingest.analyze import Analyzer
from tracker.ingest.pipeline import analyze_chunk, check_size, prepare_post
from tracker.sources import display_name, read_file
from tracker.sources.jsonl import read_jsonl
from tracker.store.database import Store, posts

# At least 500 examples per field in CI (CI set); fewer on a developer's machine.
EXAMPLES = 500 if os.environ.get("CI") else 60
many = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

FIELDS = ["text", "id", "published", "url", "author", "title", "sentiment"]
SOURCE = "feed.jsonl"

nasty_text = st.text(alphabet=st.characters(codec=None, categories=None), max_size=60)
surrogates = st.lists(st.one_of(st.sampled_from(["\ud800", "\udfff", "\x00", "\x1b", "\r",
                                                 "\u2028", "\u200b", "\ufeff", "$TSLA",
                                                 " up ", "\t"]), nasty_text),
                      max_size=8).map("".join)
offsets = st.builds(lambda h, m, sign: f"2026-05-04T10:00:00{sign}{h:02d}:{m:02d}",
                    st.integers(0, 99), st.integers(0, 99), st.sampled_from("+-"))
rss = st.builds(lambda n: f"Tue, 05 May 2026 09:30:00 {n}",
                st.one_of(st.integers(-99999, 99999).map(lambda v: f"{v:+05d}"), nasty_text))
dates = st.one_of(st.datetimes().map(lambda d: d.isoformat()), offsets, rss,
                  st.from_regex(r"\A\d{1,20}(\.\d{0,8})?\Z"))
numbers = st.one_of(st.integers(), st.floats(), st.integers(1, 30).map(lambda n: "9" * (n * 300)))
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), surrogates, dates),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=8)
values = st.one_of(json_values, numbers, dates, surrogates)


def _literal(value: Any) -> str:
    """`value` as JSON text; a digit string stands for a number too long for Python's int."""
    if isinstance(value, str) and value.isdigit() and len(value) > 300:
        return value
    return json.dumps(value)


def record_line(field: str, value: Any) -> str:
    base = {"id": "p1", "text": "$NVDA rallies today, a great quarter.",
            "published": "2026-05-04T10:00:00Z", "url": "https://example.com/p",
            "author": "ann", "title": "NVDA", "sentiment": "Bullish"}
    parts = [f"{json.dumps(k)}: {_literal(value) if k == field else json.dumps(v)}"
             for k, v in base.items()]
    return "{" + ", ".join(parts) + "}"


@pytest.fixture(scope="module")
def job(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Config, Analyzer, Store]]:
    folder = tmp_path_factory.mktemp("poison")
    path = folder / "config.toml"
    # In memory: no file sync per example.
    path.write_text('[database]\nurl = "sqlite://"\n'
                    '[dates]\ntimezone = "UTC"\n[input]\ntag_field = "sentiment"\n', "utf-8")
    cfg = load_config(path)
    store = Store(cfg.db_url)
    yield cfg, Analyzer(cfg), store
    store.close()


def per_record(line: str, cfg: Config, analyzer: Analyzer, store: Store
               ) -> Post | SourceError | None:
    """One line through what ingest and refresh do to each record; what they would count."""
    # On line 3, after two blank lines; a warning about the record's date may follow it.
    item = next(iter(read_jsonl("\n\n" + line + "\n", SOURCE, cfg.input, None)))
    if not isinstance(item, RawPost):
        return item
    sized = check_size(item, cfg)
    if isinstance(sized, SourceError):
        return sized
    [outcome] = analyze_chunk(analyzer, [sized])
    if outcome is None or isinstance(outcome, SourceError):
        return outcome
    checked = prepare_post(outcome)
    if not isinstance(checked, SourceError):
        refused: list[SourceError] = []
        store.add_posts([checked], on_reject=refused.append)
        if refused:
            return refused[0]
        with store.engine.connect() as conn:
            assert conn.execute(posts.select().where(posts.c.id == checked.post.id)).first()
        return checked.post
    return checked


@pytest.mark.slow
@pytest.mark.parametrize("field", FIELDS)
def test_any_value_in_any_field_costs_at_most_its_record(
        job: tuple[Config, Analyzer, Store], field: str) -> None:
    cfg, analyzer, store = job

    @many
    @given(values)
    def check(value: Any) -> None:
        outcome = per_record(record_line(field, value), cfg, analyzer, store)
        if isinstance(outcome, SourceError):
            assert (outcome.path, outcome.line) == (SOURCE, 3)
            assert outcome.message
        else:
            assert outcome is None or isinstance(outcome, Post)

    check()


names = st.binary(min_size=1, max_size=40).filter(
    lambda b: b"/" not in b and b"\x00" not in b and b not in (b".", b".."))


@pytest.mark.slow
@pytest.mark.skipif(os.uname().sysname == "Darwin", reason="macOS refuses non-UTF-8 names")
def test_any_file_name_is_read_and_stored(job: tuple[Config, Analyzer, Store],
                                          tmp_path: Path) -> None:
    cfg, analyzer, store = job
    folder = os.fsencode(tmp_path)

    @many
    @given(names, st.sampled_from([b".txt", b".jsonl", b".csv"]))
    def check(name: bytes, suffix: bytes) -> None:
        path = os.path.join(folder, b"f" + name + suffix)
        body = {b".txt": b"$TSLA is strong today", b".csv": b"text\n$TSLA is strong\n",
                b".jsonl": b'{"text": "$TSLA is strong"}\n'}[suffix]
        with open(path, "wb") as handle:
            handle.write(body)
        try:
            items = list(read_file(Path(os.fsdecode(path)), cfg.input))
        finally:
            os.unlink(path)
        raws = [i for i in items if isinstance(i, RawPost)]
        assert len(raws) == 1, items
        assert raws[0].source == display_name(os.fsdecode(path))
        raws[0].source.encode("utf-8")  # printable and storable
        [post] = analyze_chunk(analyzer, raws)
        assert isinstance(post, Post)
        assert not isinstance(prepare_post(post), SourceError)
        store.add_posts([post])

    check()


BAD_LINES = [
    '{"id": ' + "9" * 5000 + ', "text": ' + "8" * 5000 + "}",
    '{"id": "x", "text": "\\ud800\\u0000 $TSLA", "published": "2026-05-04T10:00:00+25:00"}',
    '{"text": ["not", "text"]}',
    "[1, 2]",
    '{"text": "\\u0000"}',
    "{not json",
]


def test_cli_over_poison_lines_stores_every_good_record(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    lines = []
    for i in range(30):
        lines.append(json.dumps({"id": f"g{i}", "text": f"Post {i}: $NVDA rallies."}))
        if i % 5 == 0:
            lines.append(BAD_LINES[i // 5])
    (folder / "a.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "r.db"}"\n'
                      '[dates]\ntimezone = "UTC"\n[sources]\npaths = ["in"]\n', "utf-8")
    for command in (["refresh"], ["ingest", str(folder)]):
        out = CliRunner().invoke(cli, [*command, "--config", str(config)])
        assert out.exit_code == 1, out.output
        assert "Traceback" not in out.output
        assert "a.jsonl:" in out.output
        store = Store(f"sqlite:///{tmp_path / 'r.db'}")
        try:
            with store.engine.connect() as conn:
                ids = {r.source_id for r in conn.execute(posts.select())}
        finally:
            store.close()
        assert {f"g{i}" for i in range(30)} <= ids
