"""The installed command leaves without the interpreter's teardown, yet exits as `sys.exit`
would: the same status, the streams flushed, the atexit handlers run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tracker import __version__


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)


@pytest.mark.parametrize(
    ("code", "status", "stderr"),
    [("None", 0, ""), ("0", 0, ""), ("3", 3, ""), ("'Error: bad'", 1, "Error: bad\n")],
    ids=["none", "zero", "int", "message"],
)
def test_exit_now_gives_the_status_sys_exit_gives(code: str, status: int, stderr: str) -> None:
    done = _python(
        "import atexit, sys\n"
        "from tracker.cli.exit import exit_now\n"
        "atexit.register(lambda: print('handler ran'))\n"
        "print('x' * 100000, end='')\n"  # more than a buffer: flushed before leaving
        f"exit_now({code})\n"
    )
    assert done.returncode == status
    assert done.stdout == "x" * 100000 + "handler ran\n"
    assert done.stderr == stderr


def test_exit_now_with_another_thread_running_exits_as_usual() -> None:
    # The ordinary exit joins a non-daemon thread: its last line is printed.
    done = _python(
        "import threading, time\n"
        "from tracker.cli.exit import exit_now\n"
        "threading.Thread(target=lambda: (time.sleep(0.2), print('thread done'))).start()\n"
        "exit_now(4)\n"
    )
    assert (done.returncode, done.stdout) == (4, "thread done\n")


def test_the_command_exits_with_clicks_status_and_output() -> None:
    version = subprocess.run([sys.executable, "-m", "tracker", "--version"],
                             capture_output=True, text=True)
    assert (version.returncode, version.stdout) == (0, f"tracker, version {__version__}\n")
    usage = subprocess.run([sys.executable, "-m", "tracker", "no-such-command"],
                           capture_output=True, text=True)
    assert usage.returncode == 2
    assert usage.stderr.endswith("Error: No such command 'no-such-command'.\n")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_output_to_a_full_disk_is_one_error_line(seeded_once: Path) -> None:
    # `tracker report > file` on a full disk ended in a traceback from click.echo.
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "tracker", "export", "mentions", "--config",
             str(seeded_once / "config.toml")],
            stdout=full, stderr=subprocess.PIPE, text=True)
    assert done.returncode == 1
    assert done.stderr == ("Error: cannot write the output (No space left on device); check "
                           "the disk it goes to\n")
