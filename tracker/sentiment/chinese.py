"""Chinese tone: snownlp's Bayes classifier on jieba's words, and a finance lexicon."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence

# Words that flip the sign of a lexicon term they precede by at most _NEGATION_REACH
# characters: "不看好", "没涨", "并非利好".
NEGATORS = ("并非", "不是", "没有", "不会", "不", "没", "未", "别", "无", "非")
_NEGATION_REACH = 3
# Characters that end the reach of a negator: it does not cross a comma or a clause.
_BARRIER = re.compile(r"[，,。！？!?；;：:\s]")
# A sentence that relays news ("据披露", "消息称", "公告称") or a company's plan ("计划在...投资",
# "拟收购") reports rather than judges: where the lexicon finds no term of either sign in it,
# it is plain reporting and takes no side (issue 12: "SpaceX计划投资550亿美元" is neutral).
# The labelled forums hold almost none (8 of 34,293 rows match, most with a lexicon term),
# so the n-grams learnt from them have nothing to say about such sentences.
REPORT_FRAME = re.compile(
    r"据(?:披露|报道|悉|了解|介绍|称)|消息称|公告(?:称|显示)"
    r"|(?:计划|拟|将)(?:在[^，,。！？!?；;]{0,12})?(?:投资|收购|募资|建设|建厂|设立|扩产)")
# VADER's normalisation, so the two languages' lexicon scores read alike.
_ALPHA = 15.0


class SnowNLPScorer:
    """snownlp's classifier fed jieba's words, mapped from [0, 1] to [-1, 1].

    snownlp's own segmenter is nearly all of `SnowNLP(text).sentiments`'s cost, so the words
    come from jieba and go straight to the classifier.
    """

    name = "snownlp"
    lang = "zh"

    def __init__(self) -> None:
        # Imported here: importing snownlp loads its own segmenter's models (~4 s), which
        # only this baseline needs.
        from snownlp import normal
        from snownlp import sentiment as snow_sentiment

        from tracker.extract.text.segment import segment

        self._segment = segment
        self._bayes = snow_sentiment.classifier.classifier
        self._filter_stop = normal.filter_stop

    def score_words(self, words: Sequence[str]) -> float:
        words = self._filter_stop(list(words))
        if not words:
            return 0.0
        ret, prob = self._bayes.classify(words)
        positive = prob if ret == "pos" else 1.0 - prob
        return 2.0 * float(positive) - 1.0

    def score(self, text: str) -> float:
        return self.score_words(self._segment(text))

    def score_many(self, texts: Sequence[str]) -> list[float]:
        return [self.score(t) for t in texts]


class ChineseLexiconScorer:
    """Sum of finance-lexicon valences with negation, squashed to [-1, 1] as VADER does.

    Terms are matched as substrings, longest first, rather than on jieba's words: jieba
    splits market slang unpredictably (套牢了, 跌停板), and matching on characters needs no
    change to jieba's shared dictionary.
    """

    name = "zh-lexicon"
    lang = "zh"

    def __init__(self, terms: Mapping[str, float]) -> None:
        self._terms = dict(terms)
        alts = "|".join(re.escape(t) for t in sorted(self._terms, key=len, reverse=True))
        self._re = re.compile(alts) if alts else None
        self._neg_re = re.compile("|".join(NEGATORS))

    def _negated(self, text: str, start: int) -> bool:
        window = text[max(0, start - _NEGATION_REACH - 1):start]
        window = _BARRIER.split(window)[-1]
        return bool(self._neg_re.search(window))

    def polarity(self, text: str) -> tuple[float, float, float]:
        """(compound, positive sum, negative sum) of the lexicon terms in `text`."""
        if self._re is None:
            return 0.0, 0.0, 0.0
        pos = neg = 0.0
        for m in self._re.finditer(text):
            valence = self._terms[m.group(0)]
            if valence and self._negated(text, m.start()):
                valence *= -0.75  # "不看好" is weaker than "看空"
            if valence > 0:
                pos += valence
            else:
                neg -= valence
        total = pos - neg
        compound = total / math.sqrt(total * total + _ALPHA)
        return compound, pos, neg

    def score(self, text: str) -> float:
        return self.polarity(text)[0]

    def score_many(self, texts: Sequence[str]) -> list[float]:
        return [self.score(t) for t in texts]
