"""The command's thresholds for Python's cyclic garbage collector.

Set by the command (`tracker.cli.main`), not the library: a program that imports tracker
keeps its own. Ingest's workers are forked from the command and inherit them.
"""

from __future__ import annotations

import gc

# The first threshold once the command has started: a collection after every 10,000
# container objects allocated net of those freed, not Python's 700. Why: a command loads
# the universe, the name matcher's index and the tone models, millions of objects that are
# no garbage, and at 700 the collector scanned them all again and again (docs/performance.md,
# issue 23's tenth pass). Per post, an ingest's cycles are collected at this pace.
GC_THRESHOLD = 10_000

# The first threshold while the command starts, until its first collection. Why: at 10,000
# a one-post English ingest, which allocates 270,000-290,000 objects and frees next to none
# of them, spent 70-80 ms of its 0.8 s of CPU in 58 collections that found 355 objects of
# garbage. At 500,000 a short run makes no collection at all. A longer one makes its first
# when its start and its posts have come to 500,000 objects net, then moves what survives
# out of the collector's reach for good (`gc.freeze`), so that no later full collection
# scans the models again, and goes on at GC_THRESHOLD. What cycles a run leaves before
# then wait for that first collection: a post leaves next to none (at GC_THRESHOLD, the
# 雪球 file's ingest collected 780 objects in all, start included), so most runs never
# collect, and a run that did leave cycles holds at most 500,000 objects of them first
# (docs/performance.md, "one-post ingest's fixed cost, branch speed29").
START_THRESHOLD = 500_000


def collect_as_the_command() -> None:
    """Collect at START_THRESHOLD until the first collection, then at GC_THRESHOLD."""
    gc.set_threshold(START_THRESHOLD, *gc.get_threshold()[1:])
    if _settle not in gc.callbacks:
        gc.callbacks.append(_settle)


def _settle(phase: str, info: dict[str, int]) -> None:
    # Called by the collector before ("start") and after ("stop") each collection. Left in
    # gc.callbacks once done (a threshold no longer START_THRESHOLD): removing itself while
    # the collector walks the list would skip the callback after it.
    if phase != "stop" or gc.get_threshold()[0] != START_THRESHOLD:
        return
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])
