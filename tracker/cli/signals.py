"""SIGTERM and SIGINT stop a long command cleanly: one line, the committed batches kept."""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from types import FrameType

import click

_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class Stopped(KeyboardInterrupt):
    """The run was asked to stop by a signal; what was committed before it stays."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stop(signum: int, _frame: FrameType | None) -> None:
    # Once is enough: a second signal while the run winds down acts as it normally would.
    for sig in _SIGNALS:
        signal.signal(sig, signal.SIG_DFL if sig == signal.SIGTERM else signal.default_int_handler)
    raise Stopped(signum)


@dataclass
class StopNote:
    """What a stop's line says: the posts `what` ("this ingest") stored are kept, or `kept`
    when set. A block that goes through stages sets them as it goes."""

    what: str
    kept: str | None = None


@contextmanager
def stop_on_signals(what: str, kept: str | None = None) -> Iterator[StopNote]:
    """Run the block; on SIGTERM or SIGINT, stop it (each batch is a transaction, so a batch
    in flight is rolled back and the committed ones stay), print one `Error:` line and exit
    with 128 + the signal's number, as a shell reports a killed command.

    The line says what stays: `kept`, else the posts `what` ("this ingest") stored; the
    StopNote yielded holds both, for the block to change.
    """
    note = StopNote(what, kept)
    previous = {sig: signal.signal(sig, _stop) for sig in _SIGNALS}
    stopped = False
    try:
        yield note
    except Stopped as exc:
        stopped = True
        name = signal.Signals(exc.signum).name
        said = note.kept or f"the posts {note.what} stored before it are kept"
        click.echo(f"Error: stopped by {name}; {said}: run the same command again to go on",
                   err=True)
        sys.exit(128 + exc.signum)
    finally:
        for sig, handler in previous.items():
            # Nested in another such block, a stopped one leaves the defaults _stop set
            # while the run winds down: putting the outer block's handler back made a
            # second signal a second stop and a second line.
            if not (stopped and handler is _stop):
                signal.signal(sig, handler)


# What a stopped `show` or `eval` leaves: nothing, as they store and write nothing.
READ_ONLY = "it stores and writes nothing"


def stop_writing() -> AbstractContextManager[StopNote]:
    """For a command that writes files (report, chart, export): SIGTERM killed it before the
    temporary file beside its output could be removed, and each stop left one there (`timeout
    60 tracker export ...` under cron, once a run). Stopped, the temporary file goes."""
    return stop_on_signals("", kept="each file it writes is the old one or the whole new one, "
                                    "and no temporary file is left")
