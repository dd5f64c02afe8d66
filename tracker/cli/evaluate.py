"""The eval command: score a labelled file, a real-post gold set or a file of authors' tags
and print how well each scorer did, or retrain leaving out each source in turn (--loso).

The scorers, models and readers are imported inside the command, so `tracker -h` and
`tracker eval -h` start without them.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

import click

from tracker.cli.options import config_option
from tracker.cli.signals import READ_ONLY, stop_on_signals
from tracker.config import Config
from tracker.errors import SourceError
from tracker.extract.text.plural import counted
from tracker.sentiment.registry import BUILTIN_SCORERS


class WrittenByType(click.ParamType):
    """`[FILES=]DAY`: a day the posts of the gold files whose names match FILES (a glob,
    every file without one) were written on or before."""

    name = "[FILES=]DAY"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> tuple[str, date]:
        if isinstance(value, tuple):
            return value
        pattern, _, day = str(value).rpartition("=")
        try:
            written = date.fromisoformat(day)
        except ValueError:
            self.fail(f"{value!r}: give a day as YYYY-MM-DD, or FILES=YYYY-MM-DD "
                      "(zh_xueqiu*=2021-07-31)", param, ctx)
        if written > date.today():
            # No post was written after today: 2999-01-01 read them as of today, in silence.
            self.fail(f"{value!r}: {written} is after today; give the day the posts were "
                      "written by", param, ctx)
        from tracker.ingest.analyze import FILE_DAY_MIN

        if written < FILE_DAY_MIN:
            # Ingest takes no file day that early (an archive's default time), so such a day
            # read the posts as of today, in silence: 1021-07-31 for 2021-07-31 gave
            # today's listings.
            self.fail(f"{value!r}: {written} is before {FILE_DAY_MIN}, earlier than tracker "
                      "takes a file's day (an older file time is an archive's default, such "
                      "as 1980-01-01 in zip files), and no post it reads is that old; give "
                      "the day the posts were written by", param, ctx)
        return pattern or "*", written


@click.command(name="eval")
@click.argument("path", type=click.Path(exists=True))
@click.option("--scorer", type=click.Choice([*BUILTIN_SCORERS, "all"]),
              default="default", show_default=True,
              help="default: finance-aware; vader/snownlp: the plain libraries; encoder: the "
                   "optional English encoder (the encoder extra); all: default, vader and "
                   "snownlp.")
@click.option("--loso", is_flag=True,
              help="PATH is a datasets folder: retrain leaving out each source in turn and "
                   "score it (needs the train extra; minutes per language).")
@click.option("--lang", type=click.Choice(["en", "zh"]), help="With --loso: one language.")
@click.option("--sample", type=click.IntRange(min=50),
              help="With --loso: that many rows per source, for a quick run.")
@click.option("--json", "as_json", is_flag=True,
              help='Print {"<lang>": {"n", "accuracy", "macro_f1", "confusion", ...}} '
                   '(with --loso: {"<lang>": [{"source", "macro_f1", ...}]}; a gold set: '
                   '{"mentions", "tone", "errors", ...}).')
@click.option("--markdown", is_flag=True,
              help="A gold set or a file of tags: print the tables in Markdown.")
@click.option("--written-by", "written_by", type=WrittenByType(), multiple=True,
              help="A gold set: the posts of the files matching FILES (a glob on the file's "
                   "name; every file without one) were written on or before DAY, as ingest "
                   "takes an undated post's file day (a record's date wins). Repeatable; the "
                   "first match wins.")
@click.option("-v", "--errors", "errors", is_flag=True,
              help="A gold set: also list each mention found wrongly (fp) or missed (fn). "
                   "Any file: name every record left out, not the first three of a kind.")
@config_option
def eval_(path: str, scorer: str, loso: bool, lang: str | None, sample: int | None,
          as_json: bool, markdown: bool, written_by: tuple[tuple[str, date], ...],
          errors: bool, cfg: Config) -> None:
    """Score a labelled JSONL file and print accuracy, macro-F1 and confusion per language.

    Each line: "text"; "label" as pos/neg/neu or a number in [-1, 1]; optional "lang";
    optional "target", a ticker whose mention's tone is scored instead of the whole text.
    On a file labelled only pos/neg, a neutral prediction counts as wrong.

    A real-post gold set (lines with "mentions", or a folder of such files, as
    docs/labelling.md describes) is run through tracker's analysis: mention precision
    and recall over (post, security) pairs, bare-ticker precision, and tone per gold
    mention (macro-F1, recall per class, confusion), overall, per language, for Reddit
    sources and per file.

    A file of posts with neither (read as ingest reads it) whose authors tagged them
    ([input] tag_field) gives the per-(ticker, day) correlation between mean tone and
    the authors' Bullish share, over cells of 5 or more tagged posts.

    A gold set's records that state no date are read as written today, as ingest reads
    a file's undated posts as of the file's day: --written-by gives the day a file's posts
    were written by (its period, such as the crawl's end), so that a listing that began
    after it is not taken for the one a post meant.

    A record that cannot be read (not JSON, no text, an unknown label) is named on
    stderr with its file and line, as ingest names one, and left out; the rest is
    measured, and the exit code is then 1.

    With --loso, PATH is a folder of <source>.train.jsonl / <source>.test.jsonl files (the
    repository's datasets/): for each source, a model is trained on the other sources of its
    language and scored on the whole left-out file, with tracker's own labels.

    Example:

    \b
        tracker eval datasets/en_twitter_financial_news.test.jsonl --scorer all
        tracker eval datasets/gold --scorer all --markdown
        tracker eval datasets/real_train --written-by 'zh_xueqiu*=2021-07-31'
        tracker eval --loso datasets --lang zh
    """
    # Ctrl-C was click's "Aborted!" (exit 1) and SIGTERM an end without a word.
    with stop_on_signals("", kept=READ_ONLY):
        _eval(path, scorer, loso, lang, sample, as_json, markdown, errors, cfg, written_by)


def _eval(path: str, scorer: str, loso: bool, lang: str | None, sample: int | None,
          as_json: bool, markdown: bool, errors: bool, cfg: Config,
          written_by: tuple[tuple[str, date], ...] = ()) -> None:
    from tracker.sentiment.evaluate import evaluate_loso, format_folds

    if written_by and loso:
        raise click.UsageError("--written-by is for a gold set, not --loso")
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
    names = ["default", "vader", "snownlp"] if scorer == "all" else [scorer]
    bad = _BadRecords(verbose=errors)
    try:
        _evaluate(path, scorer, names, as_json, markdown, errors, cfg, bad, written_by)
    finally:
        bad.close()
    if bad.count:
        # As ingest: the good records are measured, each bad one was named, and the exit
        # code says some were left out (it stopped at the first, measuring nothing).
        click.echo(f"Error: {counted(bad.count, 'record')} could not be read and "
                   f"{'were' if bad.count > 1 else 'was'} left out; the figures cover the "
                   "rest", err=True)
        sys.exit(1)


class _BadRecords:
    """The records eval leaves out: each said once on stderr as ingest says them (the same
    problem repeated through a file once, with its count), however many scorers read it."""

    def __init__(self, verbose: bool) -> None:
        from tracker.ingest.problems import ProblemDigest

        self.digest = ProblemDigest(verbose)
        self.seen: set[tuple[str, int | None, str]] = set()

    @property
    def count(self) -> int:
        return len(self.seen)

    def __call__(self, problem: SourceError) -> None:
        key = (problem.path, problem.line, problem.message)
        if key not in self.seen:
            self.seen.add(key)
            for line in self.digest.add(problem):
                click.echo(line, err=True)

    def close(self) -> None:
        """Say what the digest still holds (a problem repeated through a file)."""
        for line in self.digest.close():
            click.echo(line, err=True)


def _evaluate(path: str, scorer: str, names: list[str], as_json: bool, markdown: bool,
              errors: bool, cfg: Config, on_error: _BadRecords,
              written_by: tuple[tuple[str, date], ...] = ()) -> None:
    from tracker.ingest.goldset import evaluate_gold
    from tracker.ingest.tagged import evaluate_tagged
    from tracker.sentiment.evaluate import evaluate_file, format_report
    from tracker.sentiment.gold_tables import format_errors, format_gold, format_tagged
    from tracker.sources.gold import labelled_format

    kind = labelled_format(Path(path))
    if kind == "folder":
        raise click.UsageError("PATH is a folder without gold files: give a labelled "
                               "JSONL file, a gold set, or use --loso")
    if written_by and kind != "gold":
        raise click.UsageError("--written-by is for a gold set (records with \"mentions\")")
    if kind == "gold":
        gold = evaluate_gold(Path(path), cfg, names, on_error, written_by)
        if as_json:
            click.echo(json.dumps(gold, ensure_ascii=False))
            return
        click.echo(format_gold(gold, markdown), nl=False)
        if errors:
            click.echo("\nMention errors (fp: found, not in the gold set; fn: missed)")
            click.echo(format_errors(gold), nl=False)
        return
    if kind == "posts":
        tagged = evaluate_tagged(Path(path), cfg, ["default", "vader"] if scorer == "all"
                                 else names, on_error)
        if as_json:
            click.echo(json.dumps(tagged, ensure_ascii=False))
            return
        click.echo(format_tagged(tagged, markdown), nl=False)
        return
    said: set[str] = set()  # each scorer reads the file: a warning is said once

    def warn(warning: SourceError) -> None:
        if str(warning) not in said:
            said.add(str(warning))
            click.echo(f"Warning: {warning}", err=True)

    results = {name: evaluate_file(Path(path), cfg.sentiment, name, on_warning=warn,
                                   on_error=on_error)
               for name in names}
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
