"""Chinese tone: snownlp's Bayes classifier on words segmented by jieba."""

from __future__ import annotations

from collections.abc import Sequence

import jieba
from snownlp import normal
from snownlp import sentiment as snow_sentiment


class SnowNLPScorer:
    """snownlp's classifier fed jieba's words, mapped from [0, 1] to [-1, 1].

    snownlp's own segmenter is nearly all of `SnowNLP(text).sentiments`'s cost, so the words
    come from jieba and go straight to the classifier.
    """

    name = "snownlp"
    lang = "zh"

    def __init__(self) -> None:
        self._bayes = snow_sentiment.classifier.classifier

    def score(self, text: str) -> float:
        words = normal.filter_stop([w for w in jieba.lcut(text) if w.strip()])
        if not words:
            return 0.0
        ret, prob = self._bayes.classify(words)
        positive = prob if ret == "pos" else 1.0 - prob
        return 2.0 * float(positive) - 1.0

    def score_many(self, texts: Sequence[str]) -> list[float]:
        return [self.score(t) for t in texts]
