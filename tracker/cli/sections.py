"""Help grouped by purpose: a click Command whose options are listed under section titles.

click lists every option under one "Options:" heading; a command with two dozen options
(report) reads better in groups. cloup and click-option-group do this too, but for one
override of `format_options` a dependency (and its import time at every start) is not worth it.
"""

from __future__ import annotations

from collections.abc import Sequence

import click


class SectionedCommand(click.Command):
    """A command whose --help lists its options in `sections`: (title, parameter names) pairs,
    in order; options named in no section come last, under "Options"."""

    def __init__(self, *args: object, sections: Sequence[tuple[str, Sequence[str]]] = (),
                 **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.sections = tuple((title, tuple(names)) for title, names in sections)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        records = {}
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is not None:
                records[param.name] = record
        placed: set[str | None] = set()
        for title, names in self.sections:
            rows = [records[name] for name in names if name in records]
            placed.update(names)
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)
        rest = [record for name, record in records.items() if name not in placed]
        if rest:
            with formatter.section("Options"):
                formatter.write_dl(rest)
