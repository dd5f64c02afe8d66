"""The real-post gold evaluation: tracker's own analysis run over the gold posts (text and
date, as at ingest), scored for mentions (tracker.extract.gold) and for tone
(tracker.sentiment.gold), overall, per language, for the Reddit sources and per file.

The plain baselines (VADER for English, snownlp for Chinese) are scored on the same gold
mentions through the same path, with only the scorer swapped, each on its own language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from tracker.config import Config
from tracker.errors import OptionsError, SourceError
from tracker.extract.gold import MentionTally, found_keys, with_renamed_keys
from tracker.extract.models import Post, RawPost
from tracker.ingest.analyze import Analyzer
from tracker.sentiment.gold import ToneTally, mention_tone
from tracker.sentiment.registry import BASELINE_LANGS
from tracker.sources.gold import GoldPost, OnError, gold_files, read_gold

ALL = "all"
REDDIT = "reddit"
# Sources whose name says Reddit (r/wallstreetbets among them): the group Reddit recall is on.
_REDDIT_MARKS = ("reddit", "wsb")
# Posts analysed per batch: tone scoring runs over a batch at once (tracker.sentiment.tone).
_BATCH = 256
# Days undated posts were written by, each for the gold files whose name matches a pattern
# (`tracker eval --written-by 'zh_xueqiu*=2021-07-31'`): the first match wins.
WrittenBy = Sequence[tuple[str, date]]


def is_reddit(post: GoldPost) -> bool:
    """Whether `post` comes from a Reddit source (by its source's or its file's name)."""
    names = f"{post.source} {post.file}".casefold()
    return any(mark in names for mark in _REDDIT_MARKS)


def groups_of(post: GoldPost) -> list[str]:
    """The groups a post counts in: all, its language, Reddit (if it is), its file."""
    return [ALL, post.lang, *([REDDIT] if is_reddit(post) else []), post.file]


def _order(posts: Sequence[GoldPost]) -> list[str]:
    langs = sorted({p.lang for p in posts})
    files = sorted({p.file for p in posts})
    return [ALL, *langs, *([REDDIT] if any(map(is_reddit, posts)) else []), *files]


def read_gold_posts(path: Path, on_error: OnError | None = None) -> list[GoldPost]:
    """Every post of the gold file or folder at `path`; an error when there is none. A
    record that cannot be read raises, or goes to `on_error` and is left out."""
    posts = [p for f in gold_files(path) for p in read_gold(f, on_error)]
    if not posts:
        raise SourceError(str(path), "no labelled posts in the gold set")
    return posts


def analyse_all(analyzer: Analyzer, raws: Sequence[RawPost]) -> list[Post | None]:
    """`analyzer.analyze` over each of `raws`, in batches of a few hundred."""
    out: list[Post | None] = []
    for i in range(0, len(raws), _BATCH):
        out += analyzer.analyze_many(raws[i:i + _BATCH])
    return out


def written_by_day(file: str, written_by: WrittenBy) -> date | None:
    """The day the posts of the gold file named `file` were written by: the first of
    `written_by` whose pattern matches the name (fnmatch, case-sensitive); None if none."""
    return next((day for pattern, day in written_by if fnmatchcase(file, pattern)), None)


def check_written_by(files: Sequence[str], written_by: WrittenBy) -> None:
    """Refuse a `written_by` pattern that gives none of the gold `files` (names) its day:
    it matches none, or only files an earlier pattern took (the first match wins). A typo
    (`xueqiu*` for `zh_xueqiu*`) or a path (`real_train/zh*`) left every post as of today, and
    the figures differed from the ones asked for without a word."""
    taken: set[str] = set()
    for pattern, day in written_by:
        mine = {f for f in files if f not in taken and fnmatchcase(f, pattern)}
        if not mine:
            shown = ", ".join(sorted(files)[:4]) + (", ..." if len(files) > 4 else "")
            earlier = " that an earlier --written-by did not take" if any(
                fnmatchcase(f, pattern) for f in files) else ""
            raise OptionsError(f"--written-by {pattern}={day.isoformat()}: matches no gold "
                               f"file{earlier} (a glob on the file's name, case-sensitive: "
                               f"{shown})")
        taken |= mine


def _file_time(day: date | None) -> float | None:
    # The day's first second in UTC: ingest reads a file's day from its time in UTC
    # (ingest/analyze.py's _file_day), so this file time gives that day back.
    return None if day is None else datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()


def _analyse(analyzer: Analyzer, posts: Sequence[GoldPost],
             written_by: WrittenBy = ()) -> list[Post | None]:
    # A day the posts were written by is given as ingest knows one: their file's time.
    times = {f: _file_time(written_by_day(f, written_by)) for f in {p.file for p in posts}}
    return analyse_all(analyzer, [RawPost(source=p.file, text=p.text, source_id=p.id,
                                          line=p.line, published_field=p.published,
                                          file_mtime=times[p.file])
                                  for p in posts])


def evaluate_gold(path: Path, cfg: Config, scorers: Sequence[str] = ("default",),
                  on_error: OnError | None = None,
                  written_by: WrittenBy = ()) -> dict[str, Any]:
    """Mentions and tone of the gold set at `path`, with each of `scorers` (names as for
    `[sentiment] scorer`; vader and snownlp only on their own language).

    `written_by` gives the posts of the files whose names match its patterns a day they
    were written on or before, as ingest takes a file's modification day for its undated
    posts: a record's own date still wins. The labelled files state no day and carry no
    file time of their period, so without it they are read as of today (docs/mentions.md,
    fourteenth round). A pattern that matches no file's name is an OptionsError.

    Returns {"files", "posts", "mentions": {group: figures}, "tone": {scorer: {group:
    figures}}, "errors": [mention false positives and misses]}; groups as `groups_of`. A
    record that cannot be read raises, or goes to `on_error` and is left out.
    """
    check_written_by([f.name for f in gold_files(path)], written_by)
    posts = read_gold_posts(path, on_error)
    order = _order(posts)
    base = Analyzer(replace(cfg, sentiment=replace(cfg.sentiment, scorer=scorers[0])))
    analysed = {scorers[0]: _analyse(base, posts, written_by)}
    for name in scorers[1:]:
        lang = BASELINE_LANGS.get(name)
        chosen = [p for p in posts if lang in (None, p.lang)]
        other = Analyzer(replace(cfg, sentiment=replace(cfg.sentiment, scorer=name)),
                         base.securities)
        by_id = dict(zip(map(id, chosen), _analyse(other, chosen, written_by), strict=True))
        analysed[name] = [by_id.get(id(p)) for p in posts]

    mentions: dict[str, MentionTally] = {g: MentionTally() for g in order}
    for post, parsed in zip(posts, analysed[scorers[0]], strict=True):
        found = found_keys(parsed)
        # The post's date as tracker read it: a renamed company's old symbol (SQ) is scored
        # as the key tracker gives that company on the day (XYZ).
        day = (parsed.published.date() if parsed is not None and parsed.published is not None
               and parsed.published_from == "field" else None)
        renamed = with_renamed_keys(post, base.securities, day)
        for group in groups_of(post):
            mentions[group].add(renamed, found)

    tone: dict[str, dict[str, Any]] = {}
    for name in scorers:
        lang = BASELINE_LANGS.get(name)
        settings = replace(cfg.sentiment, scorer=name)
        tallies: dict[str, ToneTally] = {}
        for post, parsed in zip(posts, analysed[name], strict=True):
            if lang not in (None, post.lang):
                continue  # a plain baseline reads one language; its figures cover only that
            for mention in post.mentions:
                value, how = mention_tone(post, mention, parsed, settings)
                for group in groups_of(post):
                    tallies.setdefault(group, ToneTally()).add(mention.tone, value, how,
                                                               settings)
        tone[name] = {g: tallies[g].summary() for g in order if g in tallies}

    return {"files": sorted({p.file for p in posts}), "posts": len(posts),
            "mentions": {g: t.summary() for g, t in mentions.items()},
            "tone": tone, "errors": mentions[ALL].error_rows()}
