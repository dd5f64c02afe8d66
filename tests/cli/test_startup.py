"""`tracker -h` and every `tracker <command> -h` start without the heavy libraries: pandas,
SQLAlchemy, alembic, the segmenters, matplotlib and the models load only in the commands that
need them (issue 23: help in at most half a second)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

# Top-level packages (and tracker's own stages) that `-h` must not import.
HEAVY = ("pandas", "numpy", "sqlalchemy", "alembic", "jieba", "rjieba", "matplotlib",
         "snownlp", "vaderSentiment", "py3langid", "ahocorasick", "sklearn", "charset_normalizer",
         "dateutil", "tracker.ingest", "tracker.sentiment", "tracker.store", "tracker.sources")
# The sentiment package's light part: `tracker eval -h` lists the scorer names from the
# registry, which loads no model and no clause rule.
LIGHT = ("tracker.sentiment", "tracker.sentiment.base", "tracker.sentiment.registry")

# In a fresh interpreter: show every command's help, then list what was imported.
PROBE = """
import json, sys
from click.testing import CliRunner
from tracker.cli import cli
for args in [[]] + [[name] for name in sorted(cli.commands)]:
    result = CliRunner().invoke(cli, [*args, "-h"])
    assert result.exit_code == 0, (args, result.output)
print(json.dumps(sorted(sys.modules)))
"""


def _loaded() -> list[str]:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout)


def test_help_loads_none_of_the_heavy_libraries() -> None:
    loaded = _loaded()
    heavy = sorted(m for m in loaded if any(m == h or m.startswith(h + ".") for h in HEAVY)
                   and m not in LIGHT)
    assert heavy == []
    # The probe really showed the commands' help: click and the CLI modules were loaded.
    assert {"click", "tracker.cli.reports", "tracker.cli.cron"} <= set(loaded)


def test_tracker_h_runs_as_the_installed_command() -> None:
    done = subprocess.run([sys.executable, "-m", "tracker", "-h"], capture_output=True,
                          text=True, check=True)
    assert done.stdout.startswith("Usage: ") and "ingest" in done.stdout


# What an ingest needs: the store and the models, but no tables, charts or spreadsheets.
INGEST_PROBE = """
import json, sys
from click.testing import CliRunner
from tracker.cli import cli
result = CliRunner().invoke(cli, ["ingest", "-q", "--config", sys.argv[1], sys.argv[2]])
assert result.exit_code == 0, result.output
print(json.dumps(sorted(sys.modules)))
"""


@pytest.mark.slow  # fresh processes that load the models
def test_ingest_loads_no_pandas_or_matplotlib(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('[dates]\ntimezone = "UTC"\n', "utf-8")
    (tmp_path / "one.jsonl").write_text('{"text": "$NVDA beat estimates"}\n', "utf-8")
    (tmp_path / "two.jsonl").write_text('{"text": "$AMD beat estimates too"}\n', "utf-8")

    def ingest(name: str) -> set[str]:
        done = subprocess.run([sys.executable, "-c", INGEST_PROBE, str(tmp_path / "config.toml"),
                               str(tmp_path / name)], capture_output=True, text=True, check=True)
        return set(json.loads(done.stdout))

    def roots(loaded: set[str]) -> set[str]:
        return {m.split(".")[0] for m in loaded}

    first = ingest("one.jsonl")
    assert "tracker.store.database" in first  # it did ingest
    assert not roots(first) & {"pandas", "matplotlib"}
    # English posts alone need no Chinese segmenter; a new database needs no alembic.
    assert not roots(first) & {"jieba", "rjieba", "alembic"}
    # Nor does one already at the newest schema revision.
    again = ingest("two.jsonl")
    assert "tracker.store.database" in again
    assert "alembic" not in roots(again)
