"""The briefing counted by the database says what the briefing counted in memory says, on
SQLite and PostgreSQL, in any time zone, for every frequency and span, on a small database
built to hold the awkward cases: blank and missing authors, names and tones missing, posts
without a market, several groups, file-dated posts, ties in tone, posts near midnight."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from tracker.config import load_config
from tracker.reports.briefing import BriefingSpec, prepare_briefing
from tracker.reports.briefing_sql import briefing_from_db
from tracker.reports.filters import MentionFilter
from tracker.reports.report import ReportSpec, briefing_text, build_report, read_mentions
from tracker.store.database import Store, mentions, posts

TICKERS = [("TSLA", "US", "Tesla"), ("NVDA", "US", None), ("2382", "TW", "Quanta"),
           ("SPACEX", None, "SpaceX"), ("OPENAI", "", "OpenAI"), ("600519", "SS", "茅台")]
AUTHORS = ["ann", " ann ", "\u3000", None, "bob", "", "cy", "dee", "eve", "fay"]
GROUPS = ["gpu;semis", "semis", "", "ev;robotics;semis", "gpu"]
SENTENCES = ["$TSLA", "Strong quarter for the chips.", "$NVDA NVDA.US", "大涨 利好",
             "Weak guidance, sell."]


def _fill(store: Store, count: int = 900, seed: int = 3) -> None:
    rng = random.Random(seed)
    start = datetime(2026, 3, 1)
    post_rows, mention_rows = [], []
    for i in range(count // 3):
        pid = f"p{i:05d}"
        # Whole minutes and a few exact midnights (UTC), so local days split them.
        published = start + timedelta(minutes=rng.randint(0, 70 * 24 * 60))
        if i % 40 == 0:
            published = published.replace(hour=0, minute=0)
        post_rows.append({
            "id": pid, "source": f"feed/{i % 4}.jsonl", "source_id": str(i), "lang": "en",
            "text": "x", "author": rng.choice(AUTHORS), "published": published,
            "published_from": "file" if i % 9 == 0 else "field",
            "ingested_at": datetime(2026, 6, 1)})
        for k in range(3):
            ticker, market, name = rng.choice(TICKERS)
            tone = None if rng.random() < 0.1 else rng.choice([-0.5, -0.25, 0.0, 0.25, 0.5,
                                                               round(rng.uniform(-1, 1), 3)])
            label = None if tone is None else ("positive" if tone > 0.05 else "negative"
                                               if tone < -0.05 else "neutral")
            mention_rows.append({
                "post_id": pid, "ticker": ticker, "market": market,
                "name": None if rng.random() < 0.2 else name, "kind": "cashtag",
                "start_offset": k * 10, "end_offset": k * 10 + 4,
                "sentence": rng.choice(SENTENCES), "confidence": 1.0,
                "groups": rng.choice(GROUPS), "tone": tone, "label": label,
                "is_repeat": i % 50 == 7 and k == 0})
    with store.engine.begin() as conn:
        conn.execute(posts.insert(), post_rows)
        conn.execute(mentions.insert(), mention_rows)


SPECS = [
    {"freq": "D"}, {"freq": "H"}, {"freq": "W"}, {"freq": "M"},
    {"freq": "D", "until": date(2026, 4, 5)}, {"freq": "W", "since": date(2026, 4, 1)},
    {"freq": "W", "span": "all"}, {"freq": "D", "span": "all", "since": date(2026, 4, 20),
                                   "until": date(2026, 4, 30)},
    {"freq": "D", "until": date(2026, 1, 1)},
]


@pytest.mark.slow
@pytest.mark.parametrize("zone", ["UTC", "Asia/Shanghai", "America/New_York"])
def test_database_briefing_says_what_memory_says(tmp_path: Path, db_url: str,
                                                 zone: str) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "{db_url}"\n[dates]\ntimezone = "{zone}"\n'
                      '[groups]\nsemis = ["chip"]\n', "utf-8")
    cfg = load_config(config)
    store = Store(cfg.db_url)
    try:
        _fill(store)
        for options in SPECS:
            for flt in (MentionFilter(), MentionFilter(groups=("semis", "ev")),
                        MentionFilter(min_mentions=20, private=False)):
                spec = ReportSpec(None, options["freq"], "md", since=options.get("since"),
                                  until=options.get("until"),
                                  span=options.get("span", "latest"), filters=flt)
                memory = briefing_text(read_mentions(store, cfg, None, spec.until, flt), spec,
                                       cfg, store=store)
                assert build_report(store, cfg, spec) == memory, (options, flt)
    finally:
        store.close()


def test_database_briefing_counts_match_memory(tmp_path: Path) -> None:
    # The counts themselves, not only the text: the same small tables either way.
    config = tmp_path / "config.toml"
    config.write_text('[dates]\ntimezone = "UTC"\n', "utf-8")
    cfg = load_config(config)
    store = Store(f"sqlite:///{tmp_path / 't.db'}")
    try:
        _fill(store, 300)
        spec = BriefingSpec(freq="W")
        frame = read_mentions(store, cfg, None, None, MentionFilter())
        memory = prepare_briefing(frame, spec, cfg.timezone)
        database = briefing_from_db(store.engine, spec, cfg.timezone, MentionFilter(), None)
    finally:
        store.close()
    assert memory.counts is not None and database.counts is not None
    assert database.periods == memory.periods
    assert database.chart_periods == memory.chart_periods
    assert database.rows == memory.rows and database.quotes == memory.quotes
    assert database.names == memory.names and database.trends == memory.trends
    for part in ("symbols", "groups", "group_tops"):
        got, want = getattr(database.counts, part), getattr(memory.counts, part)
        key = list(want.columns[:-1])
        got = got.sort_values(key).reset_index(drop=True)
        want = want.sort_values(key).reset_index(drop=True)
        assert got.drop(columns="tone", errors="ignore").values.tolist() == \
            want.drop(columns="tone", errors="ignore").values.tolist()
    assert (database.counts.posts, database.counts.from_file) == \
        (memory.counts.posts, memory.counts.from_file)
