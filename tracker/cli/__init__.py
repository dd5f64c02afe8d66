"""The `tracker` command: a thin click layer over the library.

The group is defined here; each command family lives in its own module and is added by that
module's `register(cli)`, so no command module imports the group (as datasette's publish
commands do). Shared options and the error mapping are in `tracker.cli.options`.
"""

from __future__ import annotations

import errno
import logging

import click

from tracker import __version__
from tracker.cli import cron, evaluate, ingest, reports
from tracker.cli.collector import collect_as_the_command
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


def main() -> None:
    """The installed `tracker` command and `python -m tracker`: the group, then a quick exit."""
    collect_as_the_command()
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
