"""The sample posts against their hand-checked expectations, field by field."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import pytest

from tests.conftest import SEEDS
from tracker.config import Config
from tracker.extract.models import Post
from tracker.ingest.analyze import Analyzer
from tracker.sources import read_file

SEED_FILES = sorted(p.name for p in SEEDS.glob("*.txt"))
EXPLICIT = {"security_tag", "cashtag"}
GOLD_ALIASES = {"SAMSUNG": "005930"}


@pytest.fixture(scope="module")
def posts(analyzer: Analyzer, session_cfg: Config) -> dict[str, Post]:
    out = {}
    for name in SEED_FILES:
        (raw,) = list(read_file(SEEDS / name, session_cfg.input))
        post = analyzer.analyze(raw)
        assert post is not None
        out[name] = post
    return out


def test_gold_covers_every_seed(gold: dict) -> None:
    assert sorted(gold["posts"]) == SEED_FILES


@pytest.mark.parametrize("name", SEED_FILES)
def test_explicit_mention_counts(name: str, posts: dict[str, Post], gold: dict) -> None:
    counts = Counter(m.ticker for m in posts[name].mentions if m.kind in EXPLICIT)
    assert dict(counts) == gold["posts"][name]["explicit"]


@pytest.mark.parametrize("name", SEED_FILES)
def test_security_tags(name: str, posts: dict[str, Post], gold: dict) -> None:
    tags = [m.ticker for m in posts[name].mentions if m.kind == "security_tag"]
    assert tags == gold["posts"][name]["security_tags"]


@pytest.mark.parametrize("name", SEED_FILES)
def test_money_is_not_a_ticker(name: str, posts: dict[str, Post], gold: dict) -> None:
    post = posts[name]
    for money in gold["posts"][name]["not_tickers"]:
        start = post.text.find(money)
        if start == -1:
            # Money that only stood in the page's trailing junk was cleaned away with it.
            continue
        end = start + len(money)
        assert not any(m.start < end and start < m.end for m in post.mentions), money


def test_money_in_the_post_body_is_seen_and_skipped(posts: dict[str, Post]) -> None:
    assert "$20 billion" in posts["001_d119af21640a11f3.txt"].text


def _gold_ticker(ticker: str) -> str:
    # The gold file spells a company named without a ticker by name; the list gives its listing.
    return GOLD_ALIASES.get(ticker, ticker)


@pytest.mark.parametrize("name", SEED_FILES)
def test_declared_groups(name: str, posts: dict[str, Post], gold: dict) -> None:
    expected = {g: [_gold_ticker(t) for t in ts] for g, ts in gold["posts"][name]["groups"].items()}
    assert posts[name].groups == expected


@pytest.mark.parametrize("name", SEED_FILES)
def test_named_companies(name: str, posts: dict[str, Post], gold: dict) -> None:
    named = [m for m in posts[name].mentions if m.kind in ("name", "bare_ticker")]
    listed = {m.ticker for m in named if m.market}
    assert listed == {_gold_ticker(t) for t in gold["posts"][name]["names"]}
    # Private companies (SpaceX, xAI) are tracked too, as entities without a market.
    assert {m.ticker for m in named if not m.market} <= {"SPACEX", "XAI", "OPENAI", "ANTHROPIC"}


@pytest.mark.parametrize("name", SEED_FILES)
def test_published_from_text(name: str, posts: dict[str, Post], gold: dict) -> None:
    expected = gold["posts"][name]["published"]
    post = posts[name]
    if expected is None:
        assert post.published_from != "text"
    else:
        assert post.published_from == "text"
        assert post.published is not None
        stated = datetime.fromisoformat(expected)
        assert post.published.replace(tzinfo=None) == stated


@pytest.mark.parametrize("name", SEED_FILES)
def test_language(name: str, posts: dict[str, Post], gold: dict) -> None:
    assert posts[name].lang == gold["posts"][name]["lang"]


@pytest.mark.parametrize("name", SEED_FILES)
def test_offsets_point_at_the_mention(name: str, posts: dict[str, Post], analyzer: Analyzer) -> None:
    post = posts[name]
    for m in post.mentions:
        written = post.text[m.start:m.end]
        assert written in m.sentence
        if m.kind in EXPLICIT:
            assert m.ticker in written.upper()
        else:
            sec = analyzer.securities.lookup(m.ticker, m.market)
            assert sec is not None
            aliases = {a.casefold() for a in (*sec.aliases_en, *sec.aliases_zh, sec.ticker)}
            assert written.casefold() in aliases


def test_page_chrome_is_not_the_post(posts: dict[str, Post]) -> None:
    assert "Likes Received" not in posts["000_0fac7ee0c8b55c56.txt"].text
    assert "The copyright of this article" not in posts["000_0fac7ee0c8b55c56.txt"].text
    assert "返回首页" not in posts["001_d119af21640a11f3.txt"].text
    body = posts["003_d32926a51f627987.txt"].text
    assert "Preguntas relacionadas" not in body and "HTX" not in body
    assert body.rstrip().endswith("又一次被重新定义了。")


@pytest.mark.parametrize("name", SEED_FILES)
def test_negative_mentions_come_out_negative(name: str, posts: dict[str, Post], gold: dict) -> None:
    for ticker, words in gold["posts"][name]["negative_mentions"]:
        found = [m for m in posts[name].mentions if m.ticker == ticker and words in m.sentence]
        assert found, (ticker, words)
        assert all(m.label == "negative" for m in found), [(m.sentence, m.tone) for m in found]


def test_listed_equipment_makers_take_the_tone_of_their_list(posts: dict[str, Post]) -> None:
    # "No matter who builds the factory, these companies will get orders" follows the list.
    post = posts["000_0fac7ee0c8b55c56.txt"]
    equipment = [m for m in post.mentions if "equipment" in m.groups and m.kind == "cashtag"]
    assert len(equipment) == 6 and all(m.tone is not None and m.tone > 0 for m in equipment)
