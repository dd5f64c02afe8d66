"""Problems said once: the same failure or warning repeated through one file becomes one
line with its count, the config key that fixes it, and the first few line numbers."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from tracker.errors import SourceError, SourceWarning
from tracker.extract.models import RunCounts

log = logging.getLogger(__name__)

SHOW_LINES = 3
# Values quoted in a message ('2026-13-45') and numbers differ record by record; what is
# left says what kind of problem it is.
_VARYING = re.compile(r"'[^']*'|\"[^\"]*\"|\d[\d,.]*")


def problem_sink(result: RunCounts,
                 on_failure: Callable[[SourceError], None] | None = None,
                 on_warning: Callable[[SourceWarning], None] | None = None,
                 ) -> Callable[[SourceError], None]:
    """Where a run sends each problem: a SourceWarning is counted and said (`on_warning`) but
    is no failure; anything else is kept in `result.failures`, logged and said
    (`on_failure`). One routine for ingest, refresh and a cluster backfill alike."""

    def take(problem: SourceError) -> None:
        if isinstance(problem, SourceWarning):
            result.warnings += 1
            log.info("%s", problem)
            if on_warning is not None:
                on_warning(problem)
            return
        result.failures.append(problem)
        log.warning("%s", problem)
        if on_failure is not None:
            on_failure(problem)

    return take


def line_prefix(problem: SourceError) -> str:
    return "Warning: " if isinstance(problem, SourceWarning) else "Error: "


@dataclass
class _Group:
    first: SourceError
    count: int = 0
    lines: list[int] = field(default_factory=list)
    shown: list[SourceError] = field(default_factory=list)
    # Whether the group's messages differ in their quoted values or numbers: the summary
    # quotes the first record's, which must not read as every record's.
    varied: bool = False


class ProblemDigest:
    """Collects one file's problems at a time; `add` and `close` return the lines to print.

    With `verbose`, every problem is printed as it comes, and repeats are summed up too.
    """

    def __init__(self, verbose: bool = False) -> None:
        self.verbose = verbose
        self.path: str | None = None
        self.groups: dict[tuple[bool, str], _Group] = {}

    def add(self, problem: SourceError) -> list[str]:
        out: list[str] = []
        if problem.path != self.path:
            out += self.close()
            self.path = problem.path
        if problem.line is None:
            # A whole-file problem happens once; nothing to gather.
            return out + [line_prefix(problem) + str(problem)]
        key = (isinstance(problem, SourceWarning), _VARYING.sub("#", problem.message))
        group = self.groups.setdefault(key, _Group(problem))
        group.count += 1
        group.varied = group.varied or problem.message != group.first.message
        if len(group.lines) < SHOW_LINES:
            group.lines.append(problem.line)
        if self.verbose:
            out.append(line_prefix(problem) + str(problem))
        elif len(group.shown) < SHOW_LINES:
            group.shown.append(problem)
        return out

    def close(self) -> list[str]:
        """The current file's lines not printed yet."""
        out: list[str] = []
        for group in self.groups.values():
            if group.count <= SHOW_LINES:
                out += [line_prefix(p) + str(p) for p in group.shown]
            else:
                out.append(line_prefix(group.first) + summarize(
                    group.first, group.count, group.lines, self.verbose, group.varied))
        self.groups.clear()
        self.path = None
        return out


def summarize(first: SourceError, count: int, lines: Iterable[int], verbose: bool,
              varied: bool = False) -> str:
    """`posts.json: 2,896 records have no text field (...); set [input] ... (lines 1, 2, 3,
    ...; -v lists all)`; with `varied` (the records' values differ), it says whose the
    quoted value is."""
    message = first.message
    # "records have no text field", "records have empty text", "records are empty after
    # cleaning" ("have empty after cleaning" was said).
    if message.startswith("empty after"):
        joint = " are "
    elif message.startswith(("no ", "empty ")):
        joint = " have "
    else:
        joint = ": "
    text = f"{first.path}: {count:,} records{joint}{message}"
    if first.hint:
        text += f"; {first.hint}"
    lines = list(lines)
    shown = ", ".join(str(n) for n in lines)
    more = "" if verbose else "; -v lists all"
    whose = f"values differ, this is line {lines[0]}'s; " if varied and lines else ""
    return f"{text} ({whose}first at lines {shown}{more})"
