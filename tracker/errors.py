"""The exceptions the library raises; the CLI maps them to exit codes in one place."""

from __future__ import annotations


class TrackerError(Exception):
    """Base class for every error the tracker reports to a user."""


class ConfigError(TrackerError):
    """The configuration file or one of its keys is invalid."""


class OptionsError(TrackerError):
    """A request whose options contradict each other (the CLI's usage error, exit 2)."""


class SourceError(TrackerError):
    """An input file (or one record in it) cannot be read."""

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.message = message
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}")

    def __reduce__(self) -> tuple[type[SourceError], tuple[str, str, int | None]]:
        # Worker processes send these back to the main one: rebuild from the parts.
        return SourceError, (self.path, self.message, self.line)


class StoreError(TrackerError):
    """The database cannot be opened or written."""
