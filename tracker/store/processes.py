"""Whether the process a run recorded (its pid, on this host) is still the one running it.

A pid is handed to another process once its own has gone, so a live pid alone read a killed
run as `running` when the number had been reused (by a browser, a later cron job). The
process now holding the pid is the run's only if it started before the run did; its start
time is read from /proc on Linux and from `ps -o etime=` (POSIX) elsewhere, such as macOS.
Where neither tells, a live pid is taken for the run's, as before.

Both starts are read against the wall clock, so a clock set forward while a run ran (a
board without a real-time clock syncing after boot) made its own process seem to have
started after it: `killed`. On Linux a run now records its process's identity, the boot's
id and the start in clock ticks after boot (`process_identity`), which no clock setting
moves; the pid's process is the run's exactly when its identity is the recorded one. macOS
keeps the start from `ps`: its kernel stamps a process's start on the wall clock and `ps`
counts the age from that stamp, so a clock set forward should move it as it moves the run's.
"""

from __future__ import annotations

import os
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

# A run's row is written just after its process starts, so its process started before the
# row's time. The margin covers the clocks' rounding (whole seconds for `ps` and /proc/stat's
# boot time) and a boot time that drifts by a few seconds as the clock is corrected; a pid
# reused within it would need the run's process to die and the pids to wrap round first.
_MARGIN = timedelta(seconds=60)


def process_alive(pid: int) -> bool:
    """Whether process `pid` exists on this machine (signal 0 checks, sends nothing)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError, OverflowError):
        return True  # another user's process, or a value this system cannot check
    return True


def process_started(pid: int) -> datetime | None:
    """When process `pid` started, as naive UTC; None when this system does not say."""
    seconds = _linux_start(pid)
    if seconds is None:
        seconds = _ps_start(pid)
    return None if seconds is None else datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None)


def process_identity(pid: int) -> str | None:
    """Process `pid`'s boot id and start in clock ticks after that boot, as one string; the
    same for the same process whenever read, another for any other. None without /proc."""
    fields = _proc_fields(pid)
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
        return None if fields is None else f"{boot} {int(fields[19])}"
    except (OSError, ValueError, IndexError):
        return None


def runs_process(pid: int, run_started: datetime | None, identity: str | None = None) -> bool:
    """Whether process `pid` lives and is the one that started a run at `run_started` (naive
    UTC), whose process recorded `identity` (`process_identity`) if it could: a process of
    another identity, or without one that started after the run did, holds a reused pid."""
    if not process_alive(pid) or _linux_zombie(pid):
        return False
    if identity is not None:
        now = process_identity(pid)
        if now is not None:
            return now == identity
    if run_started is None:
        return True
    started = process_started(pid)
    return started is None or started <= run_started + _MARGIN


def _proc_fields(pid: int) -> list[str] | None:
    """The fields of /proc/`pid`/stat from the third on (state, parent, ...): the second,
    the command in brackets, may hold spaces. None where /proc does not tell."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    end = stat.rfind(")")
    return stat[end + 1:].split() if end >= 0 else None


def _linux_start(pid: int) -> float | None:
    fields = _proc_fields(pid)
    if fields is None:
        return None
    try:
        boot = next(line for line in Path("/proc/stat").read_text().splitlines()
                    if line.startswith("btime "))
        # Field 22, the start in clock ticks after boot.
        return int(boot.split()[1]) + int(fields[19]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration):
        return None


def _linux_zombie(pid: int) -> bool:
    """Whether process `pid` has exited and waits for its parent to collect it (state Z, or
    X as it goes): signal 0 finds such a pid, and a run killed under a parent that had not
    waited read `running`. False where /proc does not tell."""
    fields = _proc_fields(pid)
    return fields is not None and fields[:1] in (["Z"], ["X"])


def _ps_start(pid: int) -> float | None:
    try:
        done = subprocess.run(["ps", "-o", "etime=", "-p", str(pid)], capture_output=True,
                              text=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    elapsed = _elapsed(done.stdout.strip())
    return None if elapsed is None else time.time() - elapsed


def _elapsed(etime: str) -> int | None:
    """Seconds of `ps`'s etime, `[[DD-]HH:]MM:SS`; None for anything else."""
    days, _, clock = etime.rpartition("-")
    parts = clock.split(":")
    if not 2 <= len(parts) <= 3 or not all(p.isdigit() for p in parts) or (
            days and not days.isdigit()):
        return None
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + int(part)
    return seconds + int(days or 0) * 86_400
