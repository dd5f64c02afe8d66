"""Packaged reference data: the securities universe, lexicons, tone models and the default
configuration, which is also the config schema (tracker.config)."""

from __future__ import annotations

import copy
import tomllib
from functools import cache
from importlib import resources
from typing import Any


@cache
def _parsed_default_config() -> dict[str, Any]:
    text = resources.files(__name__).joinpath("default_config.toml").read_text("utf-8")
    return tomllib.loads(text)


def default_config() -> dict[str, Any]:
    """The packaged default_config.toml, a copy of its own (the caller may change it).

    The one place a default value is written: tracker.config reads it as the schema and the
    defaults, and a module below the config (the tone model's calibration) reads its value
    here rather than repeating it.
    """
    # Parsed once per process, then copied: each load_config reads the defaults twice, and
    # a test run loads a config some 900 times (1,800 parses at 1-2 ms each, 85% of
    # load_config's CPU; a deep copy takes a tenth of a parse).
    return copy.deepcopy(_parsed_default_config())
