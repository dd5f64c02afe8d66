"""The test run's own set-up in tests/conftest.py: the garbage collector's threshold."""

from __future__ import annotations

import gc

from tracker.cli import GC_THRESHOLD


def test_the_tests_collect_garbage_as_the_command_does() -> None:
    assert gc.get_threshold()[0] == GC_THRESHOLD
