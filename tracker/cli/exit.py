"""Leaving the process once a command is done, without the interpreter's teardown."""

from __future__ import annotations

import atexit
import os
import sys
import threading
from typing import NoReturn


def exit_now(code: str | int | None) -> NoReturn:
    """Exit with `code` (a `SystemExit` code) as `sys.exit` would, minus the teardown.

    Why: after a command has loaded the name matcher and the tone models, the interpreter's
    finalisation frees their millions of small objects one by one, 0.3-0.5 s of a one-post
    ingest's wall time (issue 23) for memory the system takes back at once anyway. The
    atexit handlers (logging, SQLAlchemy, multiprocessing) still run and the standard
    streams are flushed; only the freeing is skipped. With another thread still running,
    the ordinary exit runs instead, so that thread is joined as before.
    """
    if threading.active_count() > 1:
        sys.exit(code)
    status = _status(code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # pythonw on Windows has no standard streams
            continue
        try:
            stream.flush()
        except (OSError, ValueError):
            # Python's own exit says 120 when the standard streams cannot be flushed.
            status = status or 120
    os._exit(status)


def _status(code: str | int | None) -> int:
    """The exit status `sys.exit(code)` gives; a message is printed to stderr, as it does."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1
