"""English tone: plain VADER, and VADER extended with a finance lexicon."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer


class VaderScorer:
    """Plain VADER, whose compound score is already on [-1, 1]."""

    name = "vader"
    lang = "en"

    def __init__(self) -> None:
        self._analyzer = SentimentIntensityAnalyzer()

    def score(self, text: str) -> float:
        return float(self._analyzer.polarity_scores(text)["compound"])

    def score_many(self, texts: Sequence[str]) -> list[float]:
        return [self.score(t) for t in texts]


def _phrase_token(phrase: str) -> str:
    # VADER splits on whitespace, so a phrase becomes one token that it looks up whole.
    return "fx_" + re.sub(r"\W+", "_", phrase)


class FinanceVaderScorer:
    """VADER whose lexicon knows market words (tank, moon, puts) and idioms (fell into a trap).

    Single words go straight into VADER's lexicon, so its negation ("not bullish") and
    boosters ("very bearish") apply to them too. A phrase is rewritten into one token
    before VADER reads the text.
    """

    name = "finance-vader"
    lang = "en"

    def __init__(self, terms: Mapping[str, float]) -> None:
        self._analyzer = SentimentIntensityAnalyzer()
        lexicon = dict(self._analyzer.lexicon)
        phrases: dict[str, str] = {}
        for term, valence in terms.items():
            if " " in term:
                token = _phrase_token(term)
                phrases[term] = token
                lexicon[token] = valence
            else:
                lexicon[term] = valence
        self._analyzer.lexicon = lexicon
        self._phrases = phrases
        self._phrase_re: re.Pattern[str] | None = None
        if phrases:
            # Longest first, so "short squeeze" wins over "short"; hyphens count as word
            # characters so "short-term" is not "short".
            alts = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
            self._phrase_re = re.compile(rf"(?<![\w-])(?:{alts})(?![\w-])", re.IGNORECASE)

    def _rewrite(self, text: str) -> str:
        if self._phrase_re is None:
            return text
        return self._phrase_re.sub(
            lambda m: self._phrases[" ".join(m.group(0).lower().split())], text
        )

    def polarity(self, text: str) -> dict[str, float]:
        """VADER's neg/neu/pos/compound for `text` with the finance lexicon."""
        return self._analyzer.polarity_scores(self._rewrite(text))

    def score(self, text: str) -> float:
        return float(self.polarity(text)["compound"])

    def score_many(self, texts: Sequence[str]) -> list[float]:
        return [self.score(t) for t in texts]
