"""The optional English encoder scorer (`[sentiment] scorer = "encoder"`, the encoder extra).

CI installs the extra with the dev one, so these run there; a machine without onnxruntime
fails them rather than skipping.
"""

from __future__ import annotations

import random
import sys
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from tests.floors import floors
from tracker.cli import cli
from tracker.config import SentimentConfig, load_config
from tracker.errors import TrackerError
from tracker.extract.models import RawPost
from tracker.ingest.analyze import Analyzer
from tracker.sentiment import _load, get_scorer, label_for
from tracker.sentiment.default import ChineseModelScorer
from tracker.sentiment.encoder import CLASSES, EncoderScorer, tone_of
from tracker.sentiment.silence import _symbols, content_free_forms

SETTINGS = SentimentConfig(scorer="encoder")
DATA = Path(str(resources.files("tracker.data").joinpath("sentiment")))
MODEL, TOKENIZER = DATA / "en_encoder.onnx", DATA / "en_encoder_tokenizer.json"
FLOORS = floors("tone", "encoder")
SHORT = {"positive": "pos", "negative": "neg", "neutral": "neu"}


@pytest.fixture(scope="module")
def encoder() -> EncoderScorer:
    scorer = get_scorer("en", SETTINGS)
    assert isinstance(scorer, EncoderScorer)
    return scorer


probabilities = st.lists(st.floats(0.0, 1.0), min_size=3, max_size=3).filter(
    lambda p: sum(p) > 1e-6).map(lambda p: [x / sum(p) for x in p])


@given(probabilities)
def test_the_default_thresholds_give_the_most_probable_class(probs: list[float]) -> None:
    tone = tone_of(probs)
    assert -1.0 <= tone <= 1.0
    ranked = sorted(probs, reverse=True)
    if ranked[0] > ranked[1]:  # a tie has no single most probable class
        expected = CLASSES[probs.index(ranked[0])]
        assert SHORT[label_for(tone, SentimentConfig()) or "neutral"] == expected


def test_a_surer_class_scores_further_out() -> None:
    assert tone_of([0.1, 0.2, 0.7]) > tone_of([0.2, 0.35, 0.45]) >= 0.25
    assert tone_of([0.7, 0.2, 0.1]) < tone_of([0.45, 0.35, 0.2]) <= -0.25
    assert tone_of([0.0, 1.0, 0.0]) == 0.0


def test_english_posts_get_the_encoder_and_the_rest_the_default(encoder: EncoderScorer) -> None:
    assert isinstance(get_scorer("zh", SETTINGS), ChineseModelScorer)
    # News keeps the default model's news head, which reads news the encoder never learnt.
    assert get_scorer("en", SETTINGS, "news") is get_scorer("en", SentimentConfig(), "news")


def test_generated_content_free_forms_are_neutral(encoder: EncoderScorer) -> None:
    forms = content_free_forms("en", 300, "test", seed=7)
    loud = [(t, round(s, 3)) for t, s in zip(forms, encoder.score_many(forms), strict=True)
            if label_for(s, SETTINGS) != "neutral"]
    assert 1 - len(loud) / 300 >= FLOORS["content_free"] - 1e-9, \
        f"{len(loud)} of 300 not neutral: {loud[:10]}"


def test_cashtag_only_posts_are_neutral(tmp_path: Path) -> None:
    """Posts made only of cashtags, through the whole analysis with the encoder chosen."""
    config = tmp_path / "config.toml"
    config.write_text('[dates]\ntimezone = "UTC"\n[sentiment]\nscorer = "encoder"\n', "utf-8")
    analyzer = Analyzer(load_config(config))
    rng = random.Random(26)
    symbols = _symbols("en", "test")
    posts = [" ".join("$" + rng.choice(symbols)[0] for _ in range(rng.randrange(1, 7)))
             for _ in range(200)]
    labels = [m.label for p in analyzer.analyze_many([RawPost("p.txt", t) for t in posts])
              if p is not None for m in p.mentions]
    assert len(labels) > 300
    assert sum(label == "neutral" for label in labels) / len(labels) >= FLOORS["cashtag_only"]


@pytest.mark.parametrize(("text", "label"), [
    ("Loaded up on $NVDA calls, this thing is going to rip", "positive"),
    ("Bought puts on $AAPL, it is going to tank after earnings", "negative"),
    ("Sold everything, $PTON is a dead company and I lost 60%", "negative"),
    ("$MSFT reports earnings after the close on Tuesday", "neutral"),
    ("What time does $SPY open tomorrow?", "neutral"),
])
def test_plain_stances(encoder: EncoderScorer, text: str, label: str) -> None:
    assert label_for(encoder.score(text), SETTINGS) == label


def test_a_text_scores_alone_what_it_scores_among_others(encoder: EncoderScorer) -> None:
    texts = ["$TSLA to the moon", "", "  ", "I hate this market, $QQQ puts printing",
             "$AMD earnings on Tuesday"]
    assert encoder.score_many(texts) == [encoder.score(t) for t in texts]
    assert encoder.score_many(texts)[1:3] == [0.0, 0.0]


def test_a_missing_extra_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    with pytest.raises(TrackerError, match=r"pip install 'tracker\[encoder\]'"):
        EncoderScorer(MODEL, TOKENIZER)


def test_a_missing_or_damaged_model_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(TrackerError, match="en_encoder.onnx: the encoder scorer's file is missing"):
        EncoderScorer(tmp_path / "en_encoder.onnx", TOKENIZER)
    damaged = tmp_path / "damaged.onnx"
    damaged.write_bytes(MODEL.read_bytes()[:1000])
    with pytest.raises(TrackerError, match="damaged.onnx: cannot load the encoder scorer"):
        EncoderScorer(damaged, TOKENIZER)


def test_eval_reads_english_only_with_the_encoder(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text('{"text": "Loaded up on $NVDA calls, this thing is going to rip", '
                    '"label": "pos", "lang": "en"}\n'
                    '{"text": "贵州茅台今天大涨", "label": "pos", "lang": "zh"}\n', "utf-8")
    result = CliRunner().invoke(cli, ["eval", str(path), "--scorer", "encoder", "--json"])
    assert result.exit_code == 0, result.output
    assert '"en"' in result.output and '"zh"' not in result.output


@pytest.mark.parametrize("workers", ["1", "2"])
def test_ingest_without_the_extra_stops_before_the_first_post(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: str) -> None:
    """One error naming the install, not the same error at every post (or a dead worker)."""
    (tmp_path / "posts.jsonl").write_text('{"text": "$AAPL looks strong"}\n' * 3, "utf-8")
    (tmp_path / "config.toml").write_text('[sentiment]\nscorer = "encoder"\n', "utf-8")
    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    _load.cache_clear()  # the scorers this process loaded already would hide the missing extra
    try:
        result = CliRunner().invoke(cli, [
            "ingest", str(tmp_path / "posts.jsonl"), "--workers", workers,
            "--config", str(tmp_path / "config.toml"), "--db", f"sqlite:///{tmp_path / 't.db'}"])
    finally:
        _load.cache_clear()
    assert result.exit_code == 1
    assert "pip install 'tracker[encoder]'" in result.output
    assert "cannot parse" not in result.output and "worker" not in result.output
