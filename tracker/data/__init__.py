"""Packaged reference data: the securities universe, lexicons, tone models and the default
configuration, which is also the config schema (tracker.config)."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any


@cache
def _default_config_text() -> str:
    return resources.files(__name__).joinpath("default_config.toml").read_text("utf-8")


def default_config() -> dict[str, Any]:
    """The packaged default_config.toml, parsed afresh (the caller may change it).

    The one place a default value is written: tracker.config reads it as the schema and the
    defaults, and a module below the config (the tone model's calibration) reads its value
    here rather than repeating it.
    """
    return tomllib.loads(_default_config_text())
