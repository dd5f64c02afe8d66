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

    def __init__(self, path: str, message: str, line: int | None = None,
                 hint: str | None = None) -> None:
        self.path = path
        self.line = line
        self.message = message
        # What the user can do about it ("set [input] text_fields, ..."): said once when
        # the same problem repeats (tracker.ingest.problems).
        self.hint = hint
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}" + (f"; {hint}" if hint else ""))

    @classmethod
    def unreadable(cls, path: str, exc: OSError) -> SourceError:
        """A file that cannot be opened, stat'ed or read, with the system's reason: every
        reader words it this one way."""
        return cls(path, f"cannot read: {exc.strerror or exc}")

    def __reduce__(self) -> tuple[type[SourceError], tuple[str, str, int | None, str | None]]:
        # Worker processes send these back to the main one: rebuild from the parts.
        return type(self), (self.path, self.message, self.line, self.hint)


class SourceWarning(SourceError):
    """A record was read, with something the user should know (an unreadable date, a post
    left empty by cleaning); it travels with the errors but is not a failure."""


class EmptyPostWarning(SourceWarning):
    """Nothing of a post was left after cleaning (page chrome, a disclaimer)."""


class StoreError(TrackerError):
    """The database cannot be opened or written."""
