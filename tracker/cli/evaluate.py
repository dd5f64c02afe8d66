"""The eval command: score a labelled file and print how well each scorer did, or retrain
leaving out each source in turn (--loso)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from tracker.cli.options import config_option
from tracker.config import Config


@click.command(name="eval")
@click.argument("path", type=click.Path(exists=True))
@click.option("--scorer", type=click.Choice(["default", "vader", "snownlp", "all"]),
              default="default", show_default=True,
              help="default: finance-aware; vader/snownlp: the plain libraries; all: each.")
@click.option("--loso", is_flag=True,
              help="PATH is a datasets folder: retrain leaving out each source in turn and "
                   "score it (needs the train extra; minutes per language).")
@click.option("--lang", type=click.Choice(["en", "zh"]), help="With --loso: one language.")
@click.option("--sample", type=click.IntRange(min=50),
              help="With --loso: that many rows per source, for a quick run.")
@click.option("--json", "as_json", is_flag=True,
              help='Print {"<lang>": {"n", "accuracy", "macro_f1", "confusion"}} '
                   '(with --loso: {"<lang>": [{"source", "macro_f1", ...}]}).')
@config_option
def eval_(path: str, scorer: str, loso: bool, lang: str | None, sample: int | None,
          as_json: bool, cfg: Config) -> None:
    """Score a labelled JSONL file and print accuracy, macro-F1 and confusion per language.

    Each line: "text"; "label" as pos/neg/neu or a number in [-1, 1]; optional "lang";
    optional "target", a ticker whose mention's tone is scored instead of the whole text.
    On a file labelled only pos/neg, a neutral prediction counts as wrong.

    With --loso, PATH is a folder of <source>.train.jsonl / <source>.test.jsonl files (the
    repository's datasets/): for each source, a model is trained on the other sources of its
    language and scored on the whole left-out file, with tracker's own labels.

    Example:

    \b
        tracker eval datasets/en_twitter_financial_news.test.jsonl --scorer all
        tracker eval --loso datasets --lang zh
    """
    from tracker.sentiment.evaluate import (
        evaluate_file,
        evaluate_loso,
        format_folds,
        format_report,
    )

    if loso:
        if not Path(path).is_dir():
            raise click.UsageError("with --loso, PATH must be a datasets folder")
        tables = evaluate_loso(Path(path), cfg.sentiment, lang, sample)
        if as_json:
            click.echo(json.dumps({k: [asdict(f) for f in v] for k, v in tables.items()},
                                  ensure_ascii=False))
            return
        for name, folds in tables.items():
            click.echo(f"{name}: leave-one-source-out\n{format_folds(folds)}")
        return
    if Path(path).is_dir():
        raise click.UsageError("PATH is a folder: give a labelled JSONL file, or use --loso")
    names = ["default", "vader", "snownlp"] if scorer == "all" else [scorer]
    results = {name: evaluate_file(Path(path), cfg.sentiment, name) for name in names}
    if as_json:
        payload = results if scorer == "all" else results[scorer]
        click.echo(json.dumps(payload, ensure_ascii=False))
        return
    for name, result in results.items():
        if len(results) > 1:
            click.echo(f"== {name}")
        click.echo(format_report(result))


def register(cli: click.Group) -> None:
    """Add eval to `cli`."""
    cli.add_command(eval_)
