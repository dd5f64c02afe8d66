"""The test run's own set-up in tests/conftest.py: the garbage collector's threshold and the
property tests' example counts in make test-fast."""

from __future__ import annotations

import gc
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import FAST_EXAMPLES, cap_examples, leaves_out_slow
from tracker.cli import GC_THRESHOLD


def test_the_tests_collect_garbage_as_the_command_does() -> None:
    assert gc.get_threshold()[0] == GC_THRESHOLD


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
