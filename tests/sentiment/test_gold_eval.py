"""The gold evaluation on a small synthetic gold set (tests/data/gold_synthetic, written for
these tests, not real posts), tone metrics, and the per-(ticker, day) tag correlation."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tracker.config import Config, load_config
from tracker.errors import SourceError
from tracker.extract.models import Mention, Post
from tracker.ingest.goldset import evaluate_gold
from tracker.ingest.tagged import cell_correlation, evaluate_tagged, pearson, tag_cells
from tracker.sentiment.gold import TARGETED, WHOLE_TEXT, mention_tone
from tracker.sentiment.gold_tables import format_errors, format_gold, format_tagged
from tracker.sentiment.metrics import tone_metrics
from tracker.sentiment.target import target_span
from tracker.sources.gold import GoldMention, GoldPost

SYNTHETIC = Path(__file__).resolve().parents[1] / "data" / "gold_synthetic"


@pytest.fixture(scope="module")
def fixed_cfg(tmp_path_factory: pytest.TempPathFactory) -> Config:
    # The fixed word-count scorer (tests/fixtures/fixed_scorer.py), so the tone figures
    # below do not move when a model is retrained.
    path = tmp_path_factory.mktemp("cfg") / "config.toml"
    path.write_text('[dates]\ntimezone = "UTC"\n\n[sentiment]\nscorer = "fixed"\n', "utf-8")
    return load_config(path)


@pytest.fixture(scope="module")
def result(fixed_cfg: Config) -> dict:
    return evaluate_gold(SYNTHETIC, fixed_cfg, ["fixed"])


def test_groups_and_mention_figures(result: dict) -> None:
    assert result["files"] == ["en_synthetic_reddit.jsonl", "zh_synthetic.jsonl"]
    assert list(result["mentions"]) == ["all", "en", "zh", "reddit",
                                        "en_synthetic_reddit.jsonl", "zh_synthetic.jsonl"]
    en = result["mentions"]["en"]
    # Six gold pairs; $AMD in a post labelled empty is found wrongly, XQZW (no listing) missed.
    assert (en["posts"], en["gold"], en["found"], en["tp"], en["fp"], en["fn"]) == \
        (5, 6, 6, 5, 1, 1)
    assert en["precision"] == en["recall"] == 0.8333
    assert result["mentions"]["reddit"] == en  # the one English file is a Reddit source
    zh = result["mentions"]["zh"]
    # SH600519 and 601318.SS as labelled match the keys of tracker's $名称(代码)$ tags.
    assert (zh["tp"], zh["fp"], zh["fn"], zh["precision"], zh["recall"]) == (3, 0, 0, 1.0, 1.0)
    assert result["mentions"]["all"]["precision"] == 0.8889
    assert [(e["outcome"], e["key"], e["line"]) for e in result["errors"]] == [
        ("fp", "AMD", 4), ("fn", "XQZW", 5)]


def test_tone_figures(result: dict) -> None:
    en = result["tone"]["fixed"]["en"]
    # The miner tracker missed is scored where the labeller saw it ("... is up too"): pos
    # against a neutral label, and counted as targeted.
    assert en["confusion"] == {"pos": {"pos": 2, "neg": 0, "neu": 0},
                               "neg": {"pos": 0, "neg": 1, "neu": 0},
                               "neu": {"pos": 1, "neg": 0, "neu": 2}}
    assert (en["n"], en["accuracy"], en["macro_f1"]) == (6, 0.8333, 0.8667)
    assert en["recall"] == {"pos": 1.0, "neg": 1.0, "neu": 0.6667}
    assert (en["neutral_share"], en["gold_neutral_share"]) == (0.3333, 0.5)
    assert (en["targeted"], en["whole_text"], en["unscored"]) == (1, 0, 0)
    zh = result["tone"]["fixed"]["zh"]
    assert (zh["n"], zh["accuracy"], zh["macro_f1"], zh["targeted"]) == (3, 1.0, 1.0, 0)
    assert result["tone"]["fixed"]["all"]["macro_f1"] == 0.9048


@pytest.mark.slow
def test_baselines_cover_their_own_language(fixed_cfg: Config, result: dict) -> None:
    got = evaluate_gold(SYNTHETIC, fixed_cfg, ["fixed", "vader", "snownlp"])
    assert list(got["tone"]) == ["fixed", "vader", "snownlp"]
    assert "zh" not in got["tone"]["vader"] and got["tone"]["vader"]["en"]["n"] == 6
    assert "en" not in got["tone"]["snownlp"] and got["tone"]["snownlp"]["zh"]["n"] == 3
    # Mentions are measured once, on the first scorer's run: the scorer does not find them.
    assert got["mentions"] == result["mentions"]


def test_tables_plain_and_markdown(result: dict) -> None:
    plain = format_gold(result)
    assert "en_synthetic_reddit.jsonl      5     6      6      0.833   0.833" in plain
    md = format_gold(result, markdown=True)
    assert "| zh | 3 | 1.000 | 1.000 | 1.000 | 1.000 | 1.000 | 0.333 | 0.333 | 0 |" in md
    assert md.startswith("### Mentions: (post, security) pairs; 8 posts in ")
    assert format_errors(result).splitlines()[0] == \
        "fp  en_synthetic_reddit.jsonl:4  AMD  (cashtag)  Nice weather today $AMD"


def test_an_empty_gold_file_is_an_error(tmp_path: Path, fixed_cfg: Config) -> None:
    (tmp_path / "en_x.jsonl").write_text("\n", "utf-8")
    with pytest.raises(SourceError, match="no labelled posts"):
        evaluate_gold(tmp_path, fixed_cfg, ["fixed"])


def test_tone_metrics_three_classes() -> None:
    pairs = [("pos", "pos"), ("pos", "neu"), ("neg", "neg"), ("neg", "pos"), ("neu", "neu"),
             ("neu", "neu")]
    got = tone_metrics(pairs)
    # F1: pos 2/(2+1+1)... pos tp1 fp1 fn1 = 0.5; neg tp1 fp0 fn1 = 0.6667; neu tp2 fp1 fn0 = 0.8
    assert got["macro_f1"] == round((0.5 + 2 / 3 + 0.8) / 3, 4)
    assert got["recall"] == {"pos": 0.5, "neg": 0.5, "neu": 1.0}
    assert (got["accuracy"], got["neutral_share"], got["gold_neutral_share"]) == \
        (0.6667, 0.5, 0.3333)


def test_a_missed_mention_is_scored_in_its_own_sentence(fixed_cfg: Config) -> None:
    gold = GoldPost("g.jsonl", 1, "p1", "s", "en", "Great rally, up big. I also hold that "
                    "small miner.", None, (GoldMention("XQZW", "neu", "that small miner"),))
    settings = fixed_cfg.sentiment
    assert mention_tone(gold, gold.mentions[0], None, settings) == (0.0, TARGETED)
    nowhere = GoldMention("XQZW", "neu", "a big miner")
    assert mention_tone(gold, nowhere, None, settings) == (1.0, WHOLE_TEXT)


def test_target_span_prefers_the_written_surface() -> None:
    text = "Tesla and TSLA: the small miner is up"
    assert target_span(text, "XQZW", "The Small Miner") == (16, 31)
    assert target_span(text, "TSLA") == (10, 14)
    assert target_span(text, "XQZW", "nowhere") is None


def _post(key: str, tag: str | None, tones: list[float | None], day: int) -> Post:
    mentions = tuple(Mention(key, None, None, "cashtag", 0, 5, "", tone=t) for t in tones)
    return Post(id=f"{key}{day}{tag}{tones}", source="s", text="", author_tag=tag,
                published=datetime(2022, 7, day, 23, 30, tzinfo=UTC), mentions=mentions)


def test_tag_cells_and_correlation() -> None:
    posts = ([_post("TSLA", "positive", [1.0], 1)] * 5
             + [_post("AAPL", "positive", [1.0], 1)] * 3
             + [_post("AAPL", "negative", [-1.0], 1)] * 2
             # One post naming NVDA twice: one tagged post, both tones.
             + [_post("NVDA", "positive", [-1.0, -1.0], 2)]
             + [_post("NVDA", "negative", [-1.0], 2)] * 4
             + [_post("AMD", "positive", [1.0], 3)] * 4  # 4 posts: under the minimum
             + [_post("AMD", None, [1.0], 3)] * 3)  # untagged: left out
    cells = tag_cells(posts, ZoneInfo("UTC"))
    nvda = cells[("NVDA", date(2022, 7, 2))]
    assert (nvda.posts, nvda.bullish, nvda.tones, nvda.mean_tone) == (5, 1, 6, -1.0)
    assert cells[("AMD", date(2022, 7, 3))].posts == 4
    got = cell_correlation(cells)
    r = pearson([1.0, 0.2, -1.0], [1.0, 0.6, 0.2])
    assert r is not None and round(r, 4) == 0.9934
    assert got == {"cells": 3, "posts": 15, "pearson": 0.9934, "min_posts": 5}
    # Days are the configured time zone's: 23:30 UTC is the next day in Shanghai.
    assert ("TSLA", date(2022, 7, 2)) in tag_cells(posts, ZoneInfo("Asia/Shanghai"))


def test_pearson_needs_two_varying_points() -> None:
    assert pearson([1.0], [1.0]) is None
    assert pearson([1.0, 1.0], [0.0, 1.0]) is None


def test_evaluate_tagged_file(tmp_path: Path, fixed_cfg: Config) -> None:
    rows = ([("$TSLA up, great", "Bullish", "2022-07-01T10:00:00Z")] * 5
            + [("$AAPL up", "Bullish", "2022-07-01T11:00:00Z")] * 3
            + [("$AAPL down", "Bearish", "2022-07-01T12:00:00Z")] * 2
            + [("$NVDA down", "Bullish", "2022-07-02T12:00:00Z")]
            + [("$NVDA down, sold", "Bearish", "2022-07-02T13:00:00Z")] * 4
            + [("$NVDA down", None, "2022-07-02T13:00:00Z")])
    path = tmp_path / "tagged.jsonl"
    path.write_text("".join(json.dumps({"id": str(i), "body": text, "created_at": when,
                                        **({"sentiment": tag} if tag else {})}) + "\n"
                            for i, (text, tag, when) in enumerate(rows)), "utf-8")
    cfg = replace(fixed_cfg, input=replace(fixed_cfg.input, text_fields=("body",),
                                           time_fields=("created_at",),
                                           tag_field="sentiment"))
    got = evaluate_tagged(path, cfg, ["fixed"])
    assert (got["posts"], got["tagged"], got["dated"]) == (16, 15, 15)
    assert got["correlation"]["fixed"] == {"cells": 3, "posts": 15, "pearson": 0.9934,
                                           "min_posts": 5}
    assert "fixed       3     15      0.993" in format_tagged(got)
    # Every count in the heading is written the same way (it read "2726 of 2,726 posts").
    many = {**got, "posts": 2726, "tagged": 2726, "dated": 2726}
    assert "(2,726 of 2,726 posts tagged, 2,726 dated)" in format_tagged(many)
    untagged = replace(cfg, input=replace(cfg.input, tag_field=""))
    with pytest.raises(SourceError, match=r"set \[input\] tag_field"):
        evaluate_tagged(path, untagged, ["fixed"])
