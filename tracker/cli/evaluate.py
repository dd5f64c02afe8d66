"""The eval command: score a labelled file and print how well each scorer did."""

from __future__ import annotations

import json
from pathlib import Path

import click

from tracker.cli.options import config_option
from tracker.config import Config
from tracker.sentiment.evaluate import evaluate_file, format_report


def register(cli: click.Group) -> None:
    """Add eval to `cli`."""

    @cli.command(name="eval")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False))
    @click.option("--scorer", type=click.Choice(["default", "vader", "snownlp", "all"]),
                  default="default", show_default=True,
                  help="default: finance-aware; vader/snownlp: the plain libraries; all: each.")
    @click.option("--json", "as_json", is_flag=True,
                  help='Print {"<lang>": {"n", "accuracy", "macro_f1", "confusion"}}.')
    @config_option
    def eval_(file: str, scorer: str, as_json: bool, cfg: Config) -> None:
        """Score a labelled JSONL file and print accuracy, macro-F1 and confusion per language.

        Each line: "text"; "label" as pos/neg/neu or a number in [-1, 1]; optional "lang";
        optional "target", a ticker whose mention's tone is scored instead of the whole text.
        On a file labelled only pos/neg, a neutral prediction counts as wrong.

        Example:

        \b
            tracker eval datasets/en_twitter_financial_news.test.jsonl --scorer all
        """
        names = ["default", "vader", "snownlp"] if scorer == "all" else [scorer]
        results = {name: evaluate_file(Path(file), cfg.sentiment, name) for name in names}
        if as_json:
            payload = results if scorer == "all" else results[scorer]
            click.echo(json.dumps(payload, ensure_ascii=False))
            return
        for name, result in results.items():
            if len(results) > 1:
                click.echo(f"== {name}")
            click.echo(format_report(result))
