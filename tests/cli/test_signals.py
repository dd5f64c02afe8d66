"""tracker.cli.signals: a stopped block says so once, and a second signal acts as it would."""

from __future__ import annotations

import os
import signal
import time

import pytest

from tracker.cli.signals import Stopped, stop_on_signals


def _deliver(sig: signal.Signals) -> None:
    """Send this process `sig` and give its handler the moment to run."""
    os.kill(os.getpid(), sig)
    time.sleep(0.01)


def test_a_second_signal_while_a_nested_stop_winds_down_acts_as_it_normally_would(
        capsys: pytest.CaptureFixture[str]) -> None:
    # refresh runs its steps' handlers inside one for the whole run: the inner block put
    # the outer one's handler back as it exited, so a second Ctrl-C while the run wound
    # down (the lock released, the store closed) was a second stop and a second line.
    with pytest.raises(KeyboardInterrupt) as second:
        with stop_on_signals("this run"):
            try:
                with stop_on_signals("", kept="the step's own"):
                    _deliver(signal.SIGINT)
            finally:
                _deliver(signal.SIGINT)
    assert not isinstance(second.value, Stopped)
    assert capsys.readouterr().err == ("Error: stopped by SIGINT; the step's own: run the "
                                       "same command again to go on\n")


def test_an_inner_block_that_ends_gives_the_signals_back_to_the_outer_one(
        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        with stop_on_signals("this run"):
            with stop_on_signals("", kept="the step's own"):
                pass
            _deliver(signal.SIGINT)
    assert stopped.value.code == 128 + signal.SIGINT
    assert capsys.readouterr().err == ("Error: stopped by SIGINT; the posts this run stored "
                                       "before it are kept: run the same command again to go "
                                       "on\n")
