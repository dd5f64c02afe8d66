"""The command's thresholds for the cyclic garbage collector (tracker.cli.collector): its
own, not the importing program's; a start with no collection; after the first collection,
what survived it out of the collector's reach and the running threshold."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest


def _python(code: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    # Each in a process of its own: the collector's thresholds and frozen objects are the
    # process's.
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=cwd)


def test_the_command_starts_at_the_start_threshold_and_keeps_the_others() -> None:
    done = _python(
        "import gc\n"
        "import tracker.cli as c\n"
        "from tracker.cli.collector import START_THRESHOLD\n"
        "before = gc.get_threshold()\n"
        "c.cli = lambda: print(before[0], gc.get_threshold() == (START_THRESHOLD, *before[1:]))\n"
        "c.main()\n"
    )
    assert (done.returncode, done.stdout) == (0, "700 True\n")


def test_the_first_collection_freezes_what_survived_and_sets_the_running_threshold() -> None:
    done = _python(
        "import gc, json\n"
        "from tracker.cli.collector import GC_THRESHOLD, START_THRESHOLD, collect_as_the_command\n"
        "gc.set_threshold(700, 12, 13)\n"
        "collect_as_the_command()\n"
        "collect_as_the_command()\n"  # a second call adds no second callback
        "out = {'start': gc.get_threshold() == (START_THRESHOLD, 12, 13)}\n"
        "kept = [[i] for i in range(1000)]\n"
        "gc.collect(0)\n"
        "out['running'] = gc.get_threshold() == (GC_THRESHOLD, 12, 13)\n"
        "frozen = gc.get_freeze_count()\n"
        "out['frozen'] = frozen > 1000\n"
        "later = [[i] for i in range(1000)]\n"
        "gc.collect()\n"  # a later collection freezes nothing more
        "out['once'] = gc.get_freeze_count() == frozen\n"
        "out['callbacks'] = len(gc.callbacks)\n"
        "print(json.dumps(out))\n"
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "start": True, "running": True, "frozen": True, "once": True, "callbacks": 1}


def test_a_threshold_the_program_set_since_is_left_alone() -> None:
    # Once the threshold is no longer START_THRESHOLD, whoever set it decides: nothing is
    # frozen and the threshold stays.
    done = _python(
        "import gc\n"
        "from tracker.cli.collector import collect_as_the_command\n"
        "collect_as_the_command()\n"
        "gc.set_threshold(500)\n"
        "gc.collect()\n"
        "print(gc.get_threshold()[0], gc.get_freeze_count())\n"
    )
    assert (done.returncode, done.stdout) == (0, "500 0\n")


@pytest.mark.slow
def test_a_one_post_ingest_makes_no_collection(tmp_path: Path) -> None:
    # What START_THRESHOLD is for: a one-post English ingest, its cache entries read (the
    # first run builds any that are missing), allocates a third of it and collects nothing.
    post = tmp_path / "one.jsonl"
    post.write_text(json.dumps({"id": "1", "text": "$NVDA beats, great quarter",
                                "published": "2024-05-23T12:00:00Z"}) + "\n")
    counted = []
    for run in ("warm", "counted"):
        done = _python(
            "import atexit, gc, sys\n"
            "import tracker.cli as c\n"
            "seen = []\n"
            "gc.callbacks.append(lambda phase, info: seen.append(phase))\n"
            "atexit.register(lambda: print(seen.count('stop'), gc.get_count()[0]))\n"
            f"sys.argv = ['tracker', 'ingest', '-q', '--db', 'sqlite:///{run}.db', 'one.jsonl']\n"
            "c.main()\n",
            cwd=tmp_path,
        )
        assert done.returncode == 0, done.stderr
        counted = [int(n) for n in done.stdout.split()]
    collections, allocated = counted
    assert collections == 0, f"{collections} collections, {allocated} allocations"
