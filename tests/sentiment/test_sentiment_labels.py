"""Labels that mean the same on every kind of text: plain reporting stays neutral, and posts
that take a side are labelled by it (the shipped default models, configured thresholds)."""

from __future__ import annotations

import pytest

from tracker.config import SentimentConfig
from tracker.sentiment import get_scorer, label_for

SETTINGS = SentimentConfig()



@pytest.mark.parametrize(("text", "lang"), [
    ("X reports Q3 revenue of $2B", "en"),
    ("Apple reports Q3 revenue of $2B", "en"),
    ("$NVDA to report earnings on Wednesday after the close", "en"),
    ("AAPL will host its annual shareholder meeting on Friday", "en"),
    ("据披露,其旗下SpaceX计划在得克萨斯州投资550亿美元", "zh"),
    ("SpaceX计划投资550亿美元", "zh"),
    # Issue 12's gap, closed by the real 雪球 rows of the issue 26 retrain.
    ("全球只有 ASML 能造高端 EUV", "zh"),
], ids=["x-reports", "apple-reports", "nvda-date", "aapl-meeting", "spacex-disclosed", "spacex",
        "asml"])
def test_plain_reporting_is_neutral(text: str, lang: str) -> None:
    scorer = get_scorer(lang, SETTINGS)
    assert scorer is not None
    tone = scorer.score(text)
    assert label_for(tone, SETTINGS) == "neutral", tone


@pytest.mark.parametrize(("text", "lang", "label"), [
    ("$TSLA to the moon 🚀🚀", "en", "positive"),
    ("loading puts on $SPY, this is going to dump hard", "en", "negative"),
    ("bagholder again, down 40% on this garbage", "en", "negative"),
    ("10 fold since I bought", "en", "positive"),
    ("明天继续涨，坚定持有", "zh", "positive"),
    ("又被套牢了，割肉走人", "zh", "negative"),
    # A relayed report that carries a side keeps it: only a silent one is plain reporting.
    ("据悉，公司业绩大涨，股价涨停", "zh", "positive"),
    ("公告称公司亏损扩大", "zh", "negative"),
    ("$TSLA to report earnings next week, the stock keeps crashing", "en", "negative"),
], ids=["moon", "puts", "bagholder", "tenfold", "zh-hold", "zh-cut", "zh-reported-rise",
        "zh-reported-loss", "en-reported-crash"])
def test_a_post_that_takes_a_side_is_labelled_by_it(text: str, lang: str, label: str) -> None:
    scorer = get_scorer(lang, SETTINGS)
    assert scorer is not None
    tone = scorer.score(text)
    assert label_for(tone, SETTINGS) == label, tone
