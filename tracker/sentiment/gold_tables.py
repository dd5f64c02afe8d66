"""The gold evaluation's figures as tables: plain text for a terminal, Markdown for docs/ and
closing notes (the same rows either way), and the list of mention errors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tracker.extract.text.plural import counted
from tracker.sentiment.metrics import LABELS

_MENTION_HEAD = ["group", "posts", "gold", "found", "precision", "recall", "bare found",
                 "bare precision"]
_TONE_HEAD = ["group", "n", "accuracy", "macro-F1", "pos recall", "neg recall", "neu recall",
              "neutral share", "gold neutral", "targeted"]
_TAGGED_HEAD = ["scorer", "cells", "posts", "Pearson r"]


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _table(head: Sequence[str], rows: Sequence[Sequence[str]], markdown: bool) -> list[str]:
    if markdown:
        out = ["| " + " | ".join(head) + " |",
               "|" + "|".join("---" if i == 0 else "---:" for i in range(len(head))) + "|"]
        return out + ["| " + " | ".join(_escape(c) for c in row) + " |" for row in rows]
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    return ["  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                      for i, (c, w) in enumerate(zip(row, widths, strict=True))).rstrip()
            for row in [head, *rows]]


def _escape(cell: str) -> str:
    return cell.replace("|", "\\|")


def _heading(text: str, markdown: bool) -> str:
    return f"### {text}" if markdown else f"== {text}"


def _mention_rows(figures: dict[str, dict[str, Any]]) -> list[list[str]]:
    return [[group, str(f["posts"]), str(f["gold"]), str(f["found"]), _num(f["precision"]),
             _num(f["recall"]), str(f["bare"]["found"]), _num(f["bare"]["precision"])]
            for group, f in figures.items()]


def _tone_rows(figures: dict[str, dict[str, Any]]) -> list[list[str]]:
    return [[group, str(f["n"]), _num(f["accuracy"]), _num(f["macro_f1"]),
             *[_num(f["recall"].get(label)) for label in LABELS],
             _num(f["neutral_share"]), _num(f["gold_neutral_share"]), str(f["targeted"])]
            for group, f in figures.items()]


def _confusion(figures: dict[str, Any], markdown: bool) -> list[str]:
    head = ["gold \\ predicted", *LABELS]
    rows = [[gold, *[str(row[p]) for p in LABELS]] for gold, row in figures["confusion"].items()]
    return _table(head, rows, markdown)


def format_gold(result: dict[str, Any], markdown: bool = False) -> str:
    """The mention table, then per scorer the tone table and the confusion matrix of each
    language (gold rows, predicted columns)."""
    out = [_heading(f"Mentions: (post, security) pairs; {counted(result['posts'], 'post')} in "
                    f"{', '.join(result['files'])}", markdown), ""]
    out += _table(_MENTION_HEAD, _mention_rows(result["mentions"]), markdown)
    out.append("")
    for scorer, figures in result["tone"].items():
        out += [_heading(f"Tone: {scorer} (per gold mention; targeted: tracker found no "
                         "mention, scored where the post names it)", markdown), ""]
        out += _table(_TONE_HEAD, _tone_rows(figures), markdown)
        out.append("")
        langs = [g for g in figures if len(g) == 2 and g.isalpha()]
        for group in langs:
            out += [f"{scorer}, {group}: confusion" + (" (rows gold, columns predicted)"
                                                       if markdown else ""), ""]
            out += _confusion(figures[group], markdown)
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def format_errors(result: dict[str, Any]) -> str:
    """Each mention false positive (fp: how tracker found it) and miss (fn: the form the
    labeller saw), with its file, line and the start of the post."""
    lines = [f"{e['outcome']}  {e['file']}:{e['line']}  {e['key']}  ({e['how']})  {e['text']}"
             for e in result["errors"]]
    return "\n".join(lines) + ("\n" if lines else "")


def format_tagged(result: dict[str, Any], markdown: bool = False) -> str:
    """The per-(ticker, day) correlation, one row per scorer."""
    corr = result["correlation"]
    first = next(iter(corr.values()))
    out = [_heading(f"Per (ticker, day), cells of {first['min_posts']}+ tagged posts: mean "
                    f"tone against the authors' Bullish share ({result['tagged']:,} of "
                    f"{counted(result['posts'], 'post')} tagged, {result['dated']:,} dated)",
                    markdown), ""]
    out += _table(_TAGGED_HEAD, [[name, str(c["cells"]), str(c["posts"]), _num(c["pearson"])]
                                 for name, c in corr.items()], markdown)
    return "\n".join(out) + "\n"
