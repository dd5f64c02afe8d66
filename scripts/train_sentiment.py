"""Train the default tone models on every labelled source of their language, and measure
them on sources they were never trained on. Deterministic (fixed seeds, single process).

Needs the `train` extra (pip install -e '.[train]'). Run from anywhere:

    python scripts/train_sentiment.py                 # both languages: LOSO table, then the models
    python scripts/train_sentiment.py --lang en       # one language
    python scripts/train_sentiment.py --no-loso       # the models only
    python scripts/train_sentiment.py --loso-only     # the table only, added to their record
    python scripts/train_sentiment.py --in-source-only  # re-score the shipped models' test parts
    python scripts/train_sentiment.py --trial emoji   # LOSO with an extra representation
    python scripts/train_sentiment.py --adapt no      # fit without the per-source blocks

The shipped model of a language is trained on the train parts of all its sources
(tracker.sentiment.training.SOURCES); the test parts are never read for training or for any
choice, so the in-source figures (`tracker eval datasets/<name>.test.jsonl`) stay held out.
The leave-one-source-out table (`--loso`, also `tracker eval --loso`) trains on the others'
train parts and scores the whole left-out file, choices made by CV without it. The results
are written to tracker/data/sentiment/<lang>_eval.json beside the model.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import sys
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tracker.config import SentimentConfig  # noqa: E402
from tracker.errors import TrackerError  # noqa: E402
from tracker.sentiment.evaluate import evaluate_file  # noqa: E402
from tracker.sentiment.genre import GenreModel, fit_genre, model_path  # noqa: E402
from tracker.sentiment.training import (  # noqa: E402
    ADAPT,
    NEWS_SOURCES,
    REAL_SOURCES,
    SOURCES,
    Featurizer,
    format_folds,
    genre_of_source,
    leave_one_source_out,
    read_corpus,
    train_model,
)

DATA = ROOT / "datasets"
OUT = ROOT / "tracker" / "data" / "sentiment"
# The representations each shipped model adopted (each raised mean LOSO macro-F1 by >= 0.02;
# docs/sentiment.md records every trial).
# "mask" (issue 26): names, codes and placeholders carry no weight, so silence is neutral.
ADOPTED: dict[str, frozenset[str]] = {"en": frozenset({"mask"}), "zh": frozenset({"mask"})}


def in_source(lang: str, settings: SentimentConfig) -> dict[str, dict]:
    """Each source's held-out test part scored by the shipped model just written, as
    `tracker eval datasets/<name>.test.jsonl` scores it."""
    out = {}
    for name in SOURCES[lang]:
        # Scored as the genre its source declares (as `tracker eval --genre` does).
        r = evaluate_file(DATA / f"{name}.test.jsonl", settings,
                          genre=genre_of_source(name)).get(lang)
        if r is None:
            continue
        neutral = sum(row["neu"] for row in r["confusion"].values())
        out[name] = {"n": r["n"], "macro_f1": r["macro_f1"], "accuracy": r["accuracy"],
                     "neutral_share": round(neutral / r["n"], 4) if r["n"] else 0.0}
    return out


def train_genre(lang: str) -> dict[str, float]:
    """Fit the genre detector of `lang` on the train parts (news sources against the
    others) and write it beside the tone model; returns the share of each source's test part
    it calls news."""
    # The public files only: the real rows are split by this detector's calls
    # (scripts/real_rows.py), so they cannot also teach it.
    public = [s for s in SOURCES[lang] if s not in REAL_SOURCES]
    corpus = read_corpus(DATA, public, ("train",))
    fit_genre(corpus.texts, [s in NEWS_SOURCES for s in corpus.sources], lang, model_path(lang))
    detector = GenreModel(model_path(lang))
    test = read_corpus(DATA, SOURCES[lang], ("test",))
    calls = np.array([detector.genre(t) == "news" for t in test.texts])
    return {name: round(float(calls[test.sources == name].mean()), 4) for name in SOURCES[lang]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=("en", "zh"), help="one language only")
    parser.add_argument("--no-loso", action="store_true", help="skip the LOSO table")
    parser.add_argument("--loso-only", action="store_true", help="write no model")
    parser.add_argument("--in-source-only", action="store_true",
                        help="train nothing: score the shipped model on each test part again "
                             "and record it (after a change to the text it reads, such as the "
                             "curated names its mask reads as placeholders)")
    parser.add_argument("--fold", action="append",
                        help="leave out only this source (repeatable): a partial table, "
                             "printed and not recorded")
    parser.add_argument("--trial", action="append", default=[],
                        help="an extra representation on top of the adopted ones (repeatable)")
    parser.add_argument("--adapt", choices=("yes", "no"),
                        help="fit with or without a block per source (training.ADAPT: the "
                             "language's default)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    settings = SentimentConfig()
    for lang in ("en", "zh"):
        if args.lang and args.lang != lang:
            continue
        if args.in_source_only:
            _rescore_in_source(lang, settings)
            continue
        started = time.time()
        options = ADOPTED[lang] | frozenset(args.trial)
        if args.adapt:
            ADAPT[lang] = args.adapt == "yes"
        # As JSON stores it (a list), so that a --loso-only run can be matched to the record.
        record: dict = {"lang": lang, "options": sorted(options), "adapt": ADAPT[lang],
                        "sources": list(SOURCES[lang])}
        if not args.no_loso:
            t0 = time.time()
            folds = leave_one_source_out(DATA, lang, settings, options, only=args.fold)
            print(f"{lang} {sorted(options)} leave-one-source-out "
                  f"({time.time() - t0:.0f} s):\n{format_folds(folds)}", flush=True)
            record["loso"] = [asdict(f) for f in folds]
            record["loso_mean_macro_f1"] = round(float(np.mean([f.macro_f1 for f in folds])), 4)
        if args.loso_only:
            if not args.fold:
                _add_loso(lang, record)
            continue
        record["genre_news_share"] = train_genre(lang)
        print(f"{lang} genre detector, share called news per test part: "
              f"{record['genre_news_share']}", flush=True)
        corpus = read_corpus(DATA, SOURCES[lang], ("train",))
        path = OUT / f"{lang}_model.npz"
        choice = train_model(corpus, Featurizer(lang, options), path)
        record["choice"] = asdict(choice)
        record["model_sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
        print(f"{lang}: wrote {path.relative_to(ROOT)} ({path.stat().st_size:,} bytes), "
              f"{choice}", flush=True)
        record["in_source"] = in_source(lang, settings)
        print(f"{lang} in-source test parts:\n" + "\n".join(
            f"  {name:<28}{r['n']:>7}{r['macro_f1']:>10.3f}{r['neutral_share']:>9.1%}"
            for name, r in record["in_source"].items()), flush=True)
        record["seconds"] = round(time.time() - started)
        # Without --no-loso the table and the model come from one run; with it, the record
        # waits for a --loso-only run of the same options to add its table (`_add_loso`).
        (OUT / f"{lang}_eval.json").write_text(json.dumps(record, indent=1) + "\n", "utf-8")


def _rescore_in_source(lang: str, settings: SentimentConfig) -> None:
    """Record the shipped model's in-source figures as today's code scores them: the model
    and its LOSO table stay, and the record says what moved."""
    path = OUT / f"{lang}_eval.json"
    shipped = json.loads(path.read_text("utf-8"))
    model = OUT / f"{lang}_model.npz"
    if shipped.get("model_sha256") != hashlib.sha256(model.read_bytes()).hexdigest():
        sys.exit(f"error: {path.name} does not belong to {model.name}: retrain instead")
    now = in_source(lang, settings)
    for name, figures in now.items():
        before = shipped.get("in_source", {}).get(name, {}).get("macro_f1")
        if before != figures["macro_f1"]:
            print(f"{lang} {name}: macro-F1 {before} -> {figures['macro_f1']}", flush=True)
    shipped["in_source"] = now
    path.write_text(json.dumps(shipped, indent=1) + "\n", "utf-8")


def _add_loso(lang: str, record: dict) -> None:
    """Add a --loso-only run's table to the shipped model's record, if that model was
    trained with the same options and recipe (a --no-loso run): the two can run apart, each
    taking less time on a busy machine."""
    path = OUT / f"{lang}_eval.json"
    shipped = json.loads(path.read_text("utf-8")) if path.exists() else {}
    same = all(shipped.get(k) == record[k] for k in ("options", "adapt", "sources"))
    if not same or "model_sha256" not in shipped:
        print(f"{lang}: the shipped model's record differs in options or sources; "
              f"table not recorded", flush=True)
        return
    shipped["loso"], shipped["loso_mean_macro_f1"] = record["loso"], record["loso_mean_macro_f1"]
    path.write_text(json.dumps(shipped, indent=1) + "\n", "utf-8")


if __name__ == "__main__":
    try:
        main()
    except TrackerError as exc:
        sys.exit(f"error: {exc}")
