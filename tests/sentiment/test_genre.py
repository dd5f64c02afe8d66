"""Genre per post (issue 26): declared, implied by HTML, or detected; scored with its head,
stored, filtered and shown."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from tracker.cli import cli
from tracker.config import SentimentConfig, load_config
from tracker.errors import ConfigError
from tracker.extract.models import RawPost
from tracker.ingest.analyze import Analyzer
from tracker.ingest.pipeline import ingest
from tracker.reports.filters import FilterError, MentionFilter, apply_filters, why_empty
from tracker.sentiment import get_scorer
from tracker.sentiment.genre import detect_genre, genre_tokens
from tracker.store.database import Store

SETTINGS = SentimentConfig()


_GENRE_CASES = [pytest.param(*case, id=name) for case, name in zip([
    ("Apple Reports Fourth Quarter Results; Revenue Up 8% Year Over Year", "en", "news"),
    ("JPMorgan raises price target on Nvidia to $650 from $500", "en", "news"),
    ("lol I'm all in on $TSLA, holding till it hits 1000", "en", "social"),
    ("my puts on $SPY are printing today boys", "en", "social"),
    ("贵州茅台：2020年净利润同比增长13.3%，拟10派192.93元", "zh", "news"),
    ("中国平安：控股股东拟减持不超过2%股份", "zh", "news"),
    ("今天又被套了，我真是个韭菜，明天割肉走人", "zh", "social"),
    ("兄弟们我满仓了，这次一定要翻倍", "zh", "social"),
], ["en-results", "en-target", "en-allin", "en-puts", "zh-profit", "zh-sale", "zh-trapped",
    "zh-allin"], strict=True)]


@pytest.mark.parametrize(("text", "lang", "genre"), _GENRE_CASES)
def test_the_detector_tells_headlines_from_posts(text: str, lang: str, genre: str) -> None:
    assert detect_genre(text, lang) == genre


def test_other_languages_are_social() -> None:
    assert detect_genre("Apple presenta resultados del cuarto trimestre", "es") == "social"


def test_detector_reads_shape_marks() -> None:
    marks = [t for t in genre_tokens("I think https://x.co/a @jim 🚀", "en") if t[:2] == "m:"]
    assert set(marks) >= {"m:url", "m:handle", "m:emoji", "m:first"}


def _analyzer(tmp_path: Path, extra: str = "") -> Analyzer:
    path = tmp_path / "config.toml"
    path.write_text('[dates]\ntimezone = "UTC"\n' + extra, "utf-8")
    return Analyzer(load_config(path))


def test_declared_genre_wins_then_html_then_text(tmp_path: Path) -> None:
    analyzer = _analyzer(tmp_path, '[input]\nnews_sources = ["wires/*.jsonl"]\n'
                                   'social_sources = ["pages/"]\n')
    social_text = "lol I'm all in on $TSLA, holding till it hits 1000"
    news_text = "Apple Reports Fourth Quarter Results; Revenue Up 8% Year Over Year $AAPL"
    assert analyzer.analyze(RawPost("wires/a.jsonl", social_text)).genre == "news"
    assert analyzer.analyze(RawPost("pages/b.html", news_text, is_html=True)).genre == "social"
    assert analyzer.analyze(RawPost("c.html", f"<p>{social_text}</p>", is_html=True)).genre \
        == "news"
    assert analyzer.analyze(RawPost("d.txt", social_text)).genre == "social"
    assert analyzer.analyze(RawPost("d.txt", news_text)).genre == "news"


def test_declared_paths_are_taken_from_the_config_folder(tmp_path: Path) -> None:
    # refresh names its sources by absolute path, whatever the working folder: a relative
    # news_sources entry, as every path in the config, is taken from the config's folder.
    analyzer = _analyzer(tmp_path, '[input]\nnews_sources = ["wires", "feeds/*.jsonl"]\n'
                                   'social_sources = ["forum/"]\n')
    social_text = "lol I'm all in on $TSLA, holding till it hits 1000"
    news_text = "Apple Reports Fourth Quarter Results; Revenue Up 8% Year Over Year $AAPL"
    for name in ("wires/sub/a.jsonl", "feeds/b.jsonl"):
        assert analyzer.analyze(RawPost(str(tmp_path / name), social_text)).genre == "news"
    assert analyzer.analyze(RawPost(str(tmp_path / "forum" / "c.txt"), news_text)).genre \
        == "social"
    # A folder of the same name elsewhere is not the declared one.
    assert analyzer.analyze(RawPost(str(tmp_path / "x" / "wires" / "b.txt"), social_text)
                            ).genre == "social"


def test_genre_lists_must_be_strings(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[input]\nnews_sources = [1]\n", "utf-8")
    with pytest.raises(ConfigError, match="news_sources"):
        load_config(path)


def test_news_is_scored_with_the_news_head() -> None:
    social, news = get_scorer("en", SETTINGS), get_scorer("en", SETTINGS, "news")
    assert social is not None and news is not None and social is not news
    assert get_scorer("en", SETTINGS, "news") is news  # one view per process
    assert news.ngrams is social.ngrams  # type: ignore[attr-defined]
    assert (news.model.knee_pos, news.model.knee_neg) != \
        (social.model.knee_pos, social.model.knee_neg)  # type: ignore[attr-defined]
    text = "Tesla shares fall after deliveries miss estimates"
    assert news.score(text) != social.score(text)
    # The plain baselines read every genre alike.
    vader = SentimentConfig(scorer="vader")
    assert get_scorer("en", vader, "news") is get_scorer("en", vader)


def _frame() -> pd.DataFrame:
    return pd.DataFrame({
        "ticker": ["TSLA", "AAPL", "NVDA"], "market": ["US"] * 3, "instrument": ["equity"] * 3,
        "lang": ["en"] * 3, "kind": ["cashtag"] * 3, "source": ["a", "b", "c"],
        "confidence": [1.0] * 3, "published_from": ["field"] * 3, "groups": [""] * 3,
        "genre": ["news", "social", None]})


def test_genre_filter_counts_unknown_genre_as_social() -> None:
    frame = _frame()
    assert apply_filters(frame, MentionFilter(genres=("news",)))["ticker"].tolist() == ["TSLA"]
    assert apply_filters(frame, MentionFilter(genres=("social",)))["ticker"].tolist() == \
        ["AAPL", "NVDA"]
    assert "genres news" in MentionFilter(genres=("news",)).describe()
    with pytest.raises(FilterError, match="unknown genre 'blog'"):
        MentionFilter(genres=("blog",))
    assert why_empty(frame.iloc[1:], MentionFilter(genres=("news",))) == \
        "no mentions in genres news; the mentions kept so far have social"


def test_genre_is_stored_filtered_and_shown(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "wires").mkdir(parents=True)
    (folder / "wires" / "w.txt").write_text("Nvidia to report earnings on May 28 $NVDA", "utf-8")
    (folder / "forum.txt").write_text("lol I'm all in on $TSLA, holding till 1000", "utf-8")
    cfg_path = tmp_path / "config.toml"
    cfg_path.write_text(f'[input]\nnews_sources = ["{(folder / "wires").as_posix()}"]\n',
                        "utf-8")
    cfg = load_config(cfg_path)
    store = Store(f"sqlite:///{tmp_path / 't.db'}")
    ingest([folder], cfg, store)
    frame = store.mentions_frame()
    assert dict(zip(frame["ticker"], frame["genre"], strict=True)) == \
        {"NVDA": "news", "TSLA": "social"}
    store.close()
    runner = CliRunner()
    result = runner.invoke(cli, ["show", "--json", "--config", str(cfg_path),
                                 str(folder / "wires" / "w.txt")], catch_exceptions=False)
    assert json.loads(result.output.splitlines()[0])["genre"] == "news"
    result = runner.invoke(cli, ["show", "--config", str(cfg_path), str(folder / "forum.txt")],
                           catch_exceptions=False)
    assert "genre: social" in result.output


def test_rescore_fills_in_a_missing_genre_and_follows_the_config(tmp_path: Path) -> None:
    from sqlalchemy import update

    from tracker.ingest.rescore import rescore
    from tracker.store.database import posts

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Nvidia to report first-quarter results on May 28 $NVDA",
                                  "utf-8")
    (folder / "b.txt").write_text("lol I'm all in on $TSLA, holding till 1000", "utf-8")
    plain = tmp_path / "plain.toml"
    plain.write_text("", "utf-8")
    store = Store(f"sqlite:///{tmp_path / 't.db'}")
    ingest([folder], load_config(plain), store)
    with store.engine.begin() as conn:
        conn.execute(update(posts).values(genre=None))  # as stored before revision 0008
    rescore(store, load_config(plain))
    genres = {r["source"].rsplit("/", 1)[-1]: r["genre"] for r in store.iter_rows(posts)}
    assert genres == {"a.txt": "news", "b.txt": "social"}
    declared = tmp_path / "declared.toml"
    declared.write_text(f'[input]\nsocial_sources = ["{folder.as_posix()}"]\n', "utf-8")
    rescore(store, load_config(declared))
    assert {r["genre"] for r in store.iter_rows(posts)} == {"social"}
    store.close()


def _plain_news_probability(lang: str, text: str) -> float:
    # The detector as the plain tf-idf loop it vectorises: token by token, left to right.
    import math
    from collections import Counter

    import numpy as np

    from tracker.sentiment.genre import model_path

    data = np.load(model_path(lang), allow_pickle=False)
    vocab = bytes(data["vocab"]).decode("utf-8").split("\n")
    weights = dict(zip(vocab, zip(data["idf"].astype(np.float64).tolist(),
                                  data["coef"].astype(np.float64).tolist(), strict=True),
                       strict=True))
    intercept = float(data["intercept"])
    z, norm = intercept, 0.0
    for token, n in Counter(genre_tokens(text, lang)).items():
        hit = weights.get(token)
        if hit is not None:
            w = (1.0 + math.log(n)) * hit[0]
            norm += w * w
            z += w * hit[1]
    if norm:
        z = intercept + (z - intercept) / math.sqrt(norm)
    return 1.0 / (1.0 + math.exp(-z))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_news_probability_is_the_plain_loop_bit_for_bit(lang: str) -> None:
    """genre.py sums in numpy past _PLAIN_ROWS known n-grams, in plain floats up to it, and
    finds the n-grams' rows without spelling them (issue 23): the same terms in the same
    order, so the same bits (a genre near 0.5 must not flip)."""
    from tracker.sentiment.genre import _PLAIN_ROWS, _model

    model = _model(lang)
    assert model is not None
    # A text of many short known units (the detector reads READ_CHARS of a text): more
    # known n-grams than the plain loop takes.
    units = sorted((u for u in model._unigrams if u.isalpha()), key=lambda u: (len(u), u))[:150]
    many = ("" if lang == "zh" else " ").join(units)
    texts = [t for t, _, _ in (p.values for p in _GENRE_CASES)] + [
        "", "zzqx", "好" * 700, "buy buy buy " * 80 + "$NVDA 好 涨停",
        "贵州茅台 Q3 revenue +12%, 中国平安 @jim https://x.co/a 🚀 我 lol", many]
    known = [len({r for r in model.token_rows(t) if r >= 0}) for t in texts]
    assert max(known) > _PLAIN_ROWS and 0 < min(k for k in known if k) <= _PLAIN_ROWS
    for text in texts:
        assert model.news_probability(text) == _plain_news_probability(lang, text), text
        rows = {t: i for i, t in enumerate(_vocab(lang))}
        assert model.token_rows(text) == [rows.get(t, -1) for t in genre_tokens(text, lang)]


def _vocab(lang: str) -> list[str]:
    import numpy as np

    from tracker.sentiment.genre import model_path

    data = np.load(model_path(lang), allow_pickle=False)
    return bytes(data["vocab"]).decode("utf-8").split("\n")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_detectors_tables_are_kept_in_the_user_cache(
        lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Built from the model file by the first detector and stored; read back by the second,
    # equal to what the vocabulary builds now (the entry is named by the file and the code).
    from tracker.data.user_cache import ENV_VAR
    from tracker.sentiment.genre import GenreModel, model_path, vocab_tables

    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    first = GenreModel(model_path(lang))
    [entry] = tmp_path.glob("*.cache")
    second = GenreModel(model_path(lang))
    assert list(tmp_path.glob("*.cache")) == [entry]
    built = vocab_tables(_vocab(lang))
    for model in (first, second):
        assert (model._marks, model._unigrams, model._bigrams) == built
    text = "JPMorgan raises price target on Nvidia to $650" if lang == "en" else "中国平安：控股股东拟减持"
    assert second.news_probability(text) == first.news_probability(text)
