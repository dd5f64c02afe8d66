"""Scorers chosen by name: a registered scorer is what the config selects, for its languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixtures.fixed_scorer import FixedScorer
from tracker.config import SentimentConfig, load_config
from tracker.errors import ConfigError
from tracker.sentiment import get_scorer, register_scorer
from tracker.sentiment.registry import scorer_names, unregister_scorer


def test_a_registered_scorer_is_selected_by_name(tmp_path: Path) -> None:
    only_en = FixedScorer("en")
    register_scorer("only-en", {"en": only_en})
    try:
        path = tmp_path / "config.toml"
        path.write_text('[sentiment]\nscorer = "only-en"\n', "utf-8")
        settings = load_config(path).sentiment
        assert get_scorer("en", settings) is only_en
        # A language it does not cover gets the default scorer.
        assert get_scorer("zh", settings) is get_scorer("zh", SentimentConfig())
    finally:
        unregister_scorer("only-en")
    assert "only-en" not in scorer_names()


def test_an_unknown_scorer_names_the_choices(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[sentiment]\nscorer = "bert"\n', "utf-8")
    with pytest.raises(ConfigError, match="scorer must be default, vader, snownlp"):
        load_config(path)


def test_builtin_names_cannot_be_taken() -> None:
    with pytest.raises(ValueError, match="built-in"):
        register_scorer("default", {"en": FixedScorer("en")})


def test_the_golden_scorer_is_fixed() -> None:
    # The goldens' tones come from word counts, not from model weights.
    scorer = FixedScorer("en")
    assert scorer.score("$NVDA soars, great quarter") == 1.0
    assert scorer.score("$TSLA is not strong, it fell") == -1.0
    assert scorer.score("a plain report") == 0.0
    assert FixedScorer("zh").score("台积电大涨，英伟达暴跌") == 0.0
