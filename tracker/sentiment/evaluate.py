"""Scoring a labelled JSONL file: accuracy, macro-F1 and confusion per language.

Each line: `text`; `label` as pos/neg/neu or a number in [-1, 1] (labelled with the
configured thresholds); optional `lang` (else CJK characters mean zh, anything else en);
optional `target`, a ticker whose mention's clause is then what is scored. Macro-F1 is over
the gold label set, so on a file labelled only pos/neg a neutral prediction is simply wrong.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.errors import SourceError, SourceWarning
from tracker.extract.text.sentences import detect_lang
from tracker.sentiment import get_scorer, label_for
from tracker.sentiment.metrics import LABELS, SHORT, tone_metrics
from tracker.sentiment.registry import BASELINE_LANGS
from tracker.sentiment.target import target_span, target_tone
from tracker.sentiment.training import Fold, format_folds
from tracker.sources.gold import OnError, json_records, skip_or_raise

if TYPE_CHECKING:
    from tracker.config import SentimentConfig

__all__ = ["evaluate_file", "evaluate_loso", "format_folds", "format_report"]

log = logging.getLogger(__name__)


def _gold(value: Any, settings: SentimentConfig) -> str | None:
    if isinstance(value, str) and value.strip().lower() in LABELS:
        return value.strip().lower()
    if isinstance(value, str) and value.strip().lower() in SHORT:
        return SHORT[value.strip().lower()]
    if isinstance(value, int | float) and not isinstance(value, bool) and -1 <= value <= 1:
        return SHORT[label_for(float(value), settings) or "neutral"]
    return None


def _rows(path: Path, settings: SentimentConfig,
          on_warning: Callable[[SourceWarning], None] | None = None,
          on_error: OnError | None = None,
          ) -> list[tuple[str, str, str, str | None]]:
    rows = []
    for lineno, rec in json_records(path, on_warning, on_error):
        try:
            rows.append(_row(path, lineno, rec, settings))
        except SourceError as err:
            skip_or_raise(err, on_error)
    if not rows:
        # Else the command printed nothing and exited 0, as if every figure were fine.
        raise SourceError(str(path), "no labelled lines: each line needs \"text\" and "
                          "\"label\" (tracker eval --help)")
    return rows


def _row(path: Path, lineno: int, rec: Any, settings: SentimentConfig
         ) -> tuple[str, str, str, str | None]:
    """One labelled record as (text, gold label, language, target); SourceError names what
    is wrong with it."""
    if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
        raise SourceError(str(path), "each line needs a string 'text'", lineno)
    gold = _gold(rec.get("label"), settings)
    if gold is None:
        raise SourceError(str(path), f"label must be pos/neg/neu or a number in "
                          f"[-1, 1], not {rec.get('label')!r}", lineno)
    # Without a stated language, the pipeline's own detector decides, as at ingest for a
    # post that names a security: every line here is finance text, and without that
    # lean "$NVDA crashes, terrible quarter" was French and went unscored.
    lang = rec.get("lang") or detect_lang(rec["text"], finance=True)
    target = rec.get("target")
    if target is not None and not isinstance(target, str):
        raise SourceError(str(path), "target must be a ticker string", lineno)
    return rec["text"], gold, str(lang), target


def evaluate_file(path: Path, settings: SentimentConfig,
                  scorer: str = "default", genre: str = "auto",
                  on_warning: Callable[[SourceWarning], None] | None = None,
                  on_error: OnError | None = None,
                  ) -> dict[str, dict]:
    """Score every line of `path` with `scorer`; metrics per language (unscored ones left out).

    `genre` is "news" or "social" for every line, or "auto": each line's as the genre
    detector reads it, as ingest does for a source that declares none. The file is decoded
    as ingest decodes JSON Lines; `on_warning` hears what that had to guess. A line that
    cannot be read raises a SourceError, or, given `on_error`, goes to it and is left out."""
    from tracker.sentiment.genre import detect_genre

    settings = replace(settings, scorer=scorer)
    by_lang: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for text, gold, lang, target in _rows(path, settings, on_warning, on_error):
        if BASELINE_LANGS.get(scorer, lang) != lang:
            continue  # a plain baseline reads one language; its figures cover only that one
        if get_scorer(lang, settings) is None:
            log.debug("%s: language %s is not scored", path, lang)
            continue
        kind = detect_genre(text, lang) if genre == "auto" else genre
        span = target_span(text, target) if target else None
        tone = target_tone(text, span, lang, settings, kind)
        by_lang[lang].append((gold, SHORT[label_for(tone, settings) or "neutral"]))
    return {lang: tone_metrics(pairs) for lang, pairs in sorted(by_lang.items())}


def format_report(results: dict[str, dict]) -> str:
    """A plain-text table per language: n, accuracy, macro-F1 and the confusion matrix."""
    if not results:
        return "no line in a language this scorer reads"
    out = []
    for lang, r in results.items():
        out.append(f"{lang}: n={r['n']}  accuracy={r['accuracy']:.3f}  "
                   f"macro-F1={r['macro_f1']:.3f}")
        out.append("  gold \\ pred " + "".join(f"{p:>7}" for p in LABELS))
        for gold, row in r["confusion"].items():
            out.append(f"  {gold:<11} " + "".join(f"{row[p]:>7}" for p in LABELS))
    return "\n".join(out)


def evaluate_loso(folder: Path, settings: SentimentConfig, lang: str | None = None,
                  sample: int | None = None) -> dict[str, list[Fold]]:
    """Leave-one-source-out tables per language over the sources in `folder` (see
    tracker.sentiment.training). Needs the `train` extra."""
    from tracker.sentiment.training import leave_one_source_out, sources_in

    langs = [lang] if lang else ["en", "zh"]
    out = {}
    for lg in langs:
        names = sources_in(folder, lg)
        if len(names) < 2:
            if lang is None and not names:
                continue
            raise SourceError(str(folder), f"leave-one-source-out needs two or more "
                              f"{lg}_<source>.train.jsonl files, found {len(names)}")
        out[lg] = leave_one_source_out(folder, lg, settings, sources=names, sample=sample)
    if not out:
        raise SourceError(str(folder), "no <lang>_<source>.train.jsonl files for en or zh")
    return out
