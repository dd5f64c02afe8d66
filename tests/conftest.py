"""Shared fixtures: a config in a temporary folder, the seeds, and the gold expectations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tracker.analyze import Analyzer
from tracker.config import Config, load_config

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def gold() -> dict:
    return json.loads((DATA / "seeds-gold.json").read_text("utf-8"))


@pytest.fixture(scope="session")
def session_cfg(tmp_path_factory: pytest.TempPathFactory) -> Config:
    folder = tmp_path_factory.mktemp("cfg")
    path = folder / "config.toml"
    path.write_text('[dates]\ntimezone = "UTC"\n', "utf-8")
    return load_config(path)


@pytest.fixture
def cfg(tmp_path: Path) -> Config:
    path = tmp_path / "config.toml"
    path.write_text('[dates]\ntimezone = "UTC"\n', "utf-8")
    return load_config(path)


@pytest.fixture(scope="session")
def analyzer(session_cfg: Config) -> Analyzer:
    return Analyzer(session_cfg)
