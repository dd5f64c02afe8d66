"""Scorers chosen by name: the built-in ones, and any a program registers before it runs.

`[sentiment] scorer` names one of them. A registered scorer is one `Scorer` per language;
a language it does not cover gets the default scorer, as the single-language built-ins do.
Tests register a small fixed scorer this way, so golden reports do not move when the
trained models do.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # base imports config, which reads the names here: no import at run time
    from tracker.sentiment.base import Scorer

BUILTIN_SCORERS = ("default", "vader", "snownlp", "encoder")
# The built-ins that read one language only: the plain library baselines, and the optional
# English encoder (tracker.sentiment.encoder). The other language gets the default scorer.
BASELINE_LANGS = {"vader": "en", "snownlp": "zh", "encoder": "en"}
_REGISTERED: dict[str, dict[str, Scorer]] = {}


def register_scorer(name: str, scorers: Mapping[str, Scorer]) -> None:
    """Make `name` a scorer the config may select: `scorers` maps a language to its scorer."""
    if name in BUILTIN_SCORERS:
        raise ValueError(f"{name!r} is a built-in scorer")
    _REGISTERED[name] = dict(scorers)


def unregister_scorer(name: str) -> None:
    """Forget a registered scorer (no error if it is not registered)."""
    _REGISTERED.pop(name, None)


def scorer_names() -> tuple[str, ...]:
    """Every name `[sentiment] scorer` may take: the built-ins, then the registered ones."""
    return BUILTIN_SCORERS + tuple(_REGISTERED)


def registered_scorer(name: str, lang: str) -> Scorer | None:
    """The scorer registered under `name` for `lang`, or None."""
    return _REGISTERED.get(name, {}).get(lang)
