"""The fixture corpus ingested once per test process, shared by the report tests that read it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import FIXED_MTIME, GOLDEN_CONFIG, SEEDS
from tests.fixtures.corpus import write_corpus
from tracker.cli import cli


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with config.toml and tracker.db holding the seeds and the fixture corpus.

    Built once per process, not per module: four modules read it, and its ingest was the
    slowest setup of `make test-fast`. Tests only read the database; what they write goes
    to a subfolder of their own (sample/, reader/, a chart file).
    """
    folder = tmp_path_factory.mktemp("corpus")
    seeds = folder / "seeds"
    shutil.copytree(SEEDS, seeds)
    for path in seeds.iterdir():
        os.utime(path, (FIXED_MTIME, FIXED_MTIME))
    write_corpus(folder)
    (folder / "config.toml").write_text(GOLDEN_CONFIG, "utf-8")
    code, out, _ = run(folder, "ingest", str(seeds), str(folder / "corpus.jsonl"))
    assert code == 0, out
    return folder


def run(folder: Path, *args: str) -> tuple[int, str, str]:
    """`tracker ARGS --config FOLDER/config.toml` in this process: (exit code, stdout, stderr)."""
    result = CliRunner().invoke(cli, [args[0], "--config", str(folder / "config.toml"),
                                      *args[1:]], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr
