"""The `tracker` command: a thin click layer over the library.

The group is defined here; each command family lives in its own module and is added by that
module's `register(cli)`, so no command module imports the group (as datasette's publish
commands do). Shared options and the error mapping are in `tracker.cli.options`.
"""

from __future__ import annotations

import errno
import gc
import logging

import click

from tracker import __version__
from tracker.cli import cron, evaluate, ingest, reports
from tracker.cli.exit import exit_now
from tracker.cli.options import CONTEXT_SETTINGS


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, prog_name="tracker")
def cli() -> None:
    """Track which stocks posts mention, and in what tone, in English and Chinese."""
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(name)s: %(message)s")


for _family in (ingest, reports, evaluate, cron):
    _family.register(cli)


# Errors of a write to a full or failing disk, which name no file when the file is stdout.
_WRITE_ERRORS = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO)


# The cyclic garbage collector's first threshold in the command (Python's default is 700):
# a collection after every 10,000 container objects allocated net of those freed, not 700.
# Why: a command loads the universe, the name matcher's index and the tone models, millions
# of objects that are no garbage, and at 700 the collector ran 440 times through a one-post
# ingest's start and scanned them all at each full collection: 130-140 ms of its 0.7 s of
# CPU, 0.3 s of 4.7 s for 1,000 synthetic posts, 0.7 of 24 s for the 雪球 file. At 10,000:
# 60, 120 and 180 ms, the same peak RSS (docs/performance.md, issue 23's tenth pass).
# Set here, in the command, not in the library: a program that imports tracker keeps its
# own. Ingest's workers are forked from the command and inherit it.
GC_THRESHOLD = 10_000


def main() -> None:
    """The installed `tracker` command and `python -m tracker`: the group, then a quick exit."""
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])
    try:
        cli()
    except SystemExit as done:
        exit_now(done.code)
    except OSError as exc:
        # `tracker report > file` on a full disk: a traceback, from click.echo. (A closed
        # pipe, `| head`, is click's to handle, and is.) Files named by --out, --log-file or
        # the config are mapped where they are written, with their names.
        if exc.errno not in _WRITE_ERRORS or exc.filename is not None:
            raise
        click.echo(f"Error: cannot write the output ({exc.strerror}); check the disk it "
                   "goes to", err=True)
        exit_now(1)
