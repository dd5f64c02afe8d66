"""A PostgreSQL server that stops answering while a statement runs: noticed, and given up.

A server frozen mid-run (its processes stopped, a virtual machine paused, a network cut
without a reset) was waited for without end: the statement has no time limit, the
server's own `statement_timeout` cannot fire in a frozen server, and TCP keepalives are
answered by the server machine's kernel whether the server runs or not. So a statement
that hears nothing from its server for ANSWER_WAIT_S tries a new connection to it: a
server that answers that is busy (a long query, a lock) and is waited for; one that does
not is given up, the connection closed, and the statement fails with ServerSilent (its
transaction is never committed, so what it wrote is not stored). Over psycopg 3 alone, the
driver whose waits can be watched (`Connection.wait`).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Generator
from typing import Any

import psycopg

# How long a statement may hear nothing from its server before the server is asked, on a
# new connection, whether it is there.
ANSWER_WAIT_S = 30.0
# libpq's words for an error the server itself sent while a connection was being made
# ("...failed: FATAL:  sorry, too many clients already"): its severity, a colon, two
# spaces. psycopg gives no SQLSTATE for a failed connection, so the message is all there is.
_SERVER_SENT = re.compile(r"failed: [^:\n]+:  ")


class ServerSilent(psycopg.OperationalError):
    """The server stopped answering while a statement ran, and a new connection got no
    answer either."""


class WatchedConnection(psycopg.Connection[Any]):
    """A psycopg connection whose waits for the server end when the server is silent."""

    probe: Callable[[], None] | None = None

    def wait(self, gen: Any, interval: float = 0.1, timeout: float | None = None) -> Any:
        if self.probe is None:
            return super().wait(gen, interval, timeout)
        return super().wait(self._watched(gen, self.probe), interval, timeout)

    def _watched(self, gen: Generator[Any, Any, Any], probe: Callable[[], None]
                 ) -> Generator[Any, Any, Any]:
        """`gen`, psycopg's steps of one statement, passed through; each time the wait
        wakes with nothing read or written (every `interval`) the silence is timed."""
        heard = time.monotonic()
        try:
            state = next(gen)
            while True:
                ready = yield state
                if ready:
                    heard = time.monotonic()
                elif time.monotonic() - heard >= ANSWER_WAIT_S:
                    self._ask(probe, heard)
                    heard = time.monotonic()
                state = gen.send(ready)
        except StopIteration as done:
            return done.value

    def _ask(self, probe: Callable[[], None], heard: float) -> None:
        """Whether the server answers a new connection; if not, this one is closed and
        ServerSilent raised."""
        try:
            probe()
        except psycopg.OperationalError as exc:
            if _SERVER_SENT.search(str(exc)):
                # It answered, refusing (at its connection limit, say): busy, not silent.
                return
            waited = time.monotonic() - heard
            self.pgconn.finish()
            raise ServerSilent(
                f"the server stopped answering (nothing for {waited:.0f} s while a statement "
                f"ran, and a new connection failed: {_first_line(exc)})") from exc


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().split("\n", 1)[0][:200]


def connect_watched(cargs: tuple[Any, ...], cparams: dict[str, Any]) -> WatchedConnection:
    """A connection made as psycopg.connect(*cargs, **cparams) makes one, which probes its
    server with a connection made alike when it stops answering."""

    def probe() -> None:
        psycopg.connect(*cargs, **cparams).close()

    conn = WatchedConnection.connect(*cargs, **cparams)
    conn.probe = probe
    return conn
