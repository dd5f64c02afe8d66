"""Count the work a call does, in operations rather than seconds: a test can then say
"twice the input costs twice the work" without a timing assertion.

Work is the number of Python lines run inside tracker/ plus the characters handed to every
compiled regex the tracker's modules hold. What a regex does inside its span is not seen,
so an anchored search that backtracks over its span still counts as one pass.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

import tracker

_TRACKER = str(Path(tracker.__file__).resolve().parent)
_SCANNING = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")


class _CountingPattern:
    """A compiled pattern that adds the length of each span it is asked to scan."""

    def __init__(self, pattern: re.Pattern[str], meter: WorkMeter) -> None:
        self._pattern = pattern
        self._meter = meter

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._pattern, name)
        if name not in _SCANNING:
            return attr

        def counted(*args: Any, **kwargs: Any) -> Any:
            string = kwargs.get("string", args[1] if name in ("sub", "subn") else args[0])
            if name in ("search", "match", "fullmatch", "finditer", "findall"):
                pos = args[1] if len(args) > 1 else kwargs.get("pos", 0)
                endpos = args[2] if len(args) > 2 else kwargs.get("endpos", len(string))
                self._meter.ops += max(0, min(endpos, len(string)) - pos) + 1
            else:
                self._meter.ops += len(string) + 1
            return attr(*args, **kwargs)

        return counted


class WorkMeter:
    """Operations done by `measure(fn)`: tracker lines run and characters regexes scanned."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.ops = 0
        for name, module in list(sys.modules.items()):
            if name == "tracker" or name.startswith("tracker."):
                for attr, value in list(vars(module).items()):
                    if isinstance(value, re.Pattern):
                        monkeypatch.setattr(module, attr, _CountingPattern(value, self))

    def _trace(self, frame: FrameType, event: str, _arg: Any) -> Any:
        if not frame.f_code.co_filename.startswith(_TRACKER):
            return None
        if event == "line":
            self.ops += 1
        return self._trace

    def measure(self, fn: Callable[[], Any]) -> int:
        self.ops = 0
        sys.settrace(self._trace)
        try:
            fn()
        finally:
            sys.settrace(None)
        return self.ops
