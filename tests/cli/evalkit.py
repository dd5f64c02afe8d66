"""What the `tracker eval` command's tests share: a config with the fixed scorer (so that a
retrained model does not move their figures), and a run of the command."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from tracker.cli import cli

FIXED = '[dates]\ntimezone = "UTC"\n\n[sentiment]\nscorer = "fixed"\n'


def write_config(folder: Path) -> Path:
    """A config.toml in `folder` that scores with the fixed scorer."""
    path = folder / "config.toml"
    path.write_text(FIXED, "utf-8")
    return path


def run_eval(config: Path, *args: str) -> tuple[int, str, str]:
    """`tracker eval --config config *args`: exit code, stdout, stderr."""
    result = CliRunner().invoke(cli, ["eval", "--config", str(config), *args])
    return result.exit_code, result.stdout, result.stderr
