"""The test run's own set-up in tests/conftest.py: the garbage collector's threshold and
frozen generation, the property tests' example counts in make test-fast, and hypothesis's
UTF-8 table."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir, storage_directory
from hypothesis.internal.charmap import intervals_from_codec

from tests import conftest
from tests.conftest import (
    FAST_EXAMPLES,
    UTF8_TABLE,
    cap_examples,
    leaves_out_slow,
    write_utf8_table,
)
from tracker.cli.collector import GC_THRESHOLD


def test_the_tests_collect_garbage_as_the_command_does() -> None:
    assert gc.get_threshold()[0] == GC_THRESHOLD


def test_what_collection_made_is_out_of_the_collectors_reach() -> None:
    assert gc.get_freeze_count() > 10_000


def test_a_capped_property_test_draws_at_most_fast_examples() -> None:
    drawn: list[int] = []

    @settings(max_examples=3 * FAST_EXAMPLES, deadline=None, database=None)
    @given(st.integers())
    def many(n: int) -> None:
        drawn.append(n)

    @settings(max_examples=FAST_EXAMPLES // 4, database=None)
    @given(st.integers())
    def few(n: int) -> None:
        pass

    for test in (many, few, test_the_tests_collect_garbage_as_the_command_does):
        cap_examples(SimpleNamespace(obj=test))  # type: ignore[arg-type]
    own = many._hypothesis_internal_use_settings  # type: ignore[attr-defined]
    assert (own.max_examples, own.deadline) == (FAST_EXAMPLES, None)
    assert few._hypothesis_internal_use_settings.max_examples == FAST_EXAMPLES // 4  # type: ignore[attr-defined]
    many()
    assert FAST_EXAMPLES // 2 <= len(drawn) <= FAST_EXAMPLES


@pytest.mark.parametrize(("ci", "markexpr", "fast"), [
    ("", "not slow", True), ("true", "not slow", False), ("", "", False), ("", "slow", False)])
def test_only_make_test_fast_outside_ci_is_capped(monkeypatch: pytest.MonkeyPatch, ci: str,
                                                  markexpr: str, fast: bool) -> None:
    monkeypatch.setenv("CI", ci)
    config = SimpleNamespace(getoption=lambda name: {"markexpr": markexpr}[name])
    assert leaves_out_slow(config) is fast  # type: ignore[arg-type]


SURROGATES = range(0xD800, 0xE000)


def test_the_utf8_table_holds_what_the_codec_encodes_and_decodes_alike() -> None:
    # UTF-8 encodes each character alone, so a string of all the others encoding and decoding
    # back whole shows each of them does; each surrogate alone fails.
    (first, before), (after, last) = UTF8_TABLE[0]
    assert (first, before + 1, after - 1, last) == (0, SURROGATES[0], SURROGATES[-1],
                                                    sys.maxunicode)
    assert UTF8_TABLE[1] == []
    others = "".join(map(chr, (*range(first, before + 1), *range(after, last + 1))))
    assert others.encode("utf-8").decode("utf-8") == others
    for code in SURROGATES:
        with pytest.raises(UnicodeEncodeError):
            chr(code).encode("utf-8")


@pytest.fixture
def own_home(tmp_path: Path) -> Iterator[Path]:
    """Hypothesis's storage in tmp_path for one test, the run's folder afterwards."""
    run_home = storage_directory(intent_to_write=False).path
    set_hypothesis_home_dir(tmp_path)
    try:
        yield tmp_path
    finally:
        set_hypothesis_home_dir(run_home)


def test_hypothesis_reads_the_utf8_table_the_run_writes(own_home: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # A table no loop over the codec would give: read back, so hypothesis did not build one.
    monkeypatch.setattr(conftest, "UTF8_TABLE", ([[97, 99]], [[98, 98]]))
    assert write_utf8_table().is_relative_to(own_home)
    encodable, lossy = intervals_from_codec.__wrapped__("utf-8")
    assert (encodable.intervals, lossy.intervals) == (((97, 99),), ((98, 98),))


@pytest.mark.slow
def test_the_utf8_table_is_the_one_hypothesis_builds(own_home: Path) -> None:
    encodable, lossy = intervals_from_codec.__wrapped__("utf-8")  # its loop: an empty home
    assert [list(pair) for pair in encodable.intervals] == UTF8_TABLE[0]
    assert [list(pair) for pair in lossy.intervals] == UTF8_TABLE[1]
