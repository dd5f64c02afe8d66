"""Each shortcut of the per-post path gives what the full path gives, post for post, on a
corpus of real posts: the development posts of tests/data and the first posts of each
English and 雪球 file of datasets/real_train (StockTwits, WallStreetBets, Reddit)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from tracker.config import Config
from tracker.extract.models import Post, RawPost
from tracker.extract.names import NameMatcher
from tracker.extract.text.sentences import detect_lang
from tracker.ingest import analyze
from tracker.ingest.analyze import Analyzer
from tracker.sentiment import clauses, tone

pytestmark = pytest.mark.slow  # each test analyses the corpus again, the full way

ROOT = Path(__file__).parent.parent.parent
# (file, how many of its first posts): short posts most, where the shortcuts pay.
_FILES = (
    (ROOT / "tests" / "data" / "dev_mentions_en.jsonl", 500),
    (ROOT / "tests" / "data" / "dev_mentions_zh.jsonl", 100),
    (ROOT / "datasets" / "real_train" / "en_stocktwits.jsonl", 600),
    (ROOT / "datasets" / "real_train" / "en_stocktwits_b.jsonl", 200),
    (ROOT / "datasets" / "real_train" / "en_wsb.jsonl", 200),
    (ROOT / "datasets" / "real_train" / "en_reddit.jsonl", 100),
)


def _corpus() -> list[RawPost]:
    posts = []
    for path, count in _FILES:
        with path.open(encoding="utf-8") as lines:
            for line, row in zip(range(count), map(json.loads, lines), strict=False):
                posts.append(RawPost(source=row["source"], text=row["text"],
                                     source_id=row["id"], line=line + 1,
                                     published_field=row.get("published")))
    return posts


def _analysed(analyzer: Analyzer, posts: list[RawPost]) -> list[Post | None]:
    # In chunks of 50, as ingest analyses them: a batch's texts are scored together.
    out: list[Post | None] = []
    for i in range(0, len(posts), 50):
        out += analyzer.analyze_many(posts[i:i + 50])
    return out


@pytest.fixture(scope="module")
def corpus() -> list[RawPost]:
    return _corpus()


@pytest.fixture(scope="module")
def shortcut_posts(session_cfg: Config, corpus: list[RawPost]) -> list[Post | None]:
    return _analysed(Analyzer(session_cfg), corpus)


def _check_equal(session_cfg: Config, corpus: list[RawPost], shortcut_posts: list[Post | None],
                 monkeypatch: pytest.MonkeyPatch, target: object, name: str,
                 full: Callable[..., object]) -> None:
    monkeypatch.setattr(target, name, full)
    slow = _analysed(Analyzer(session_cfg), corpus)
    assert len(slow) == len(shortcut_posts) == len(corpus) > 1500
    for raw, fast, full_path in zip(corpus, shortcut_posts, slow, strict=True):
        assert fast == full_path, raw.source_id


def test_plan_without_clause_rules_equals_the_rules(
        session_cfg: Config, corpus: list[RawPost], shortcut_posts: list[Post | None],
        monkeypatch: pytest.MonkeyPatch) -> None:
    # PostTones.plan gives a sentence that is one clause its own tone without the rules.
    asked: list[bool] = []

    def counted(sentence: str) -> bool:
        asked.append(clauses.one_clause(sentence))
        return False

    _check_equal(session_cfg, corpus, shortcut_posts, monkeypatch, tone, "one_clause", counted)
    # The corpus reaches both sides of the shortcut, often.
    assert asked.count(True) > 500 and asked.count(False) > 300


def test_names_without_matches_over_skipped_spans_equal_the_full_search(
        session_cfg: Config, corpus: list[RawPost], shortcut_posts: list[Post | None],
        monkeypatch: pytest.MonkeyPatch) -> None:
    # NameMatcher.find passes over the matches inside its skipped spans (cashtags, links)
    # in the finders that judge each match alone; here each finder judges them all.
    passed_over = [0]
    for name in ("_find_en", "_find_bare", "_find_coins"):
        finder = getattr(NameMatcher, name)

        def full(self: NameMatcher, *args: object, _finder: Callable[..., list[object]] = finder,
                 ) -> list[object]:
            # `skipped` is the last argument find passes: left out, no match is passed over.
            everything = _finder(self, *args[:-1])
            passed_over[0] += len(everything) - len(_finder(self, *args))
            return everything

        monkeypatch.setattr(NameMatcher, name, full)
    slow = _analysed(Analyzer(session_cfg), corpus)
    for raw, fast, full_path in zip(corpus, shortcut_posts, slow, strict=True):
        assert fast == full_path, raw.source_id
    assert passed_over[0] > 1000


def test_languages_read_per_batch_equal_each_sentence_alone(
        session_cfg: Config, corpus: list[RawPost], shortcut_posts: list[Post | None],
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Analyzer.analyze_many asks detect_langs for all its posts' sentences at once (the
    # model reads them together); here each sentence is read alone, by py3langid's walk.
    asked = [0]

    def one_by_one(texts: Sequence[str], finance: Sequence[bool]) -> list[str]:
        asked[0] += len(texts)
        return [detect_lang(text, in_finance)
                for text, in_finance in zip(texts, finance, strict=True)]

    _check_equal(session_cfg, corpus, shortcut_posts, monkeypatch, analyze, "detect_langs",
                 one_by_one)
    assert asked[0] > 3000
