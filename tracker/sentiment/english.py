"""English tone: plain VADER, and VADER extended with a finance lexicon."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from vaderSentiment import vaderSentiment as vader
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from tracker.extract.text.lazy_pattern import lazy_pattern
from tracker.extract.text.wordgate import may_hold


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


class _Words(list[str]):
    """A text's VADER words, carrying their lower-case forms, made once per text."""

    lowered: list[str]


_NEGATE = frozenset(vader.NEGATE)


def _negated_word(word: str) -> bool:
    # vader.negated([word]): a set lookup instead of copying and scanning NEGATE.
    lower = str(word).lower()
    return lower in _NEGATE or "n't" in lower


def _lowered(words: list[str]) -> list[str]:
    if isinstance(words, _Words):
        return words.lowered
    return [str(w).lower() for w in words]


class _FastAnalyzer(vader.SentimentIntensityAnalyzer):
    """VADER with the same scores, without its per-word rework.

    vaderSentiment lower-cases every word of the text again for each lexicon word it
    checks for negation and idioms (quadratic in the words), and walks the text character
    by character for emojis even when it has none. Here the lower-case words are made once
    per text and a text without emoji characters skips the walk; the rules are VADER's.
    """

    def __init__(self) -> None:
        super().__init__()
        # The emoji walk looks up one character at a time, so only 1-character keys match.
        self._emoji_chars = frozenset(e for e in self.emojis if len(e) == 1)

    def polarity_scores(self, text: str) -> dict[str, float]:
        if not self._emoji_chars.isdisjoint(text):
            return super().polarity_scores(text)  # type: ignore[no-any-return]
        # Without emojis the walk rebuilds `text` unchanged before stripping it.
        text = text.strip()
        sentitext = vader.SentiText(text)
        words = _Words(sentitext.words_and_emoticons)
        words.lowered = lowered = [str(w).lower() for w in words]
        sentitext.words_and_emoticons = words
        sentiments: list[float] = []
        last = len(words) - 1
        lexicon = self.lexicon
        for i, item in enumerate(words):
            lower = lowered[i]
            # sentiment_valence gives a word outside the lexicon 0, as boosters get here.
            if lower in vader.BOOSTER_DICT or lower not in lexicon or (
                    i < last and lower == "kind" and lowered[i + 1] == "of"):
                sentiments.append(0)
                continue
            sentiments = self.sentiment_valence(0, sentitext, item, i, sentiments)
        sentiments = self._but_check(words, sentiments)
        return self.score_valence(sentiments, text)  # type: ignore[no-any-return]

    @staticmethod
    def _negation_check(valence: float, words_and_emoticons: list[str], start_i: int,
                        i: int) -> float:
        # vaderSentiment's rules, on the words lower-cased once.
        lower = _lowered(words_and_emoticons)
        if start_i == 0:
            if _negated_word(lower[i - 1]):
                valence = valence * vader.N_SCALAR
        if start_i == 1:
            if lower[i - 2] == "never" and (lower[i - 1] == "so" or lower[i - 1] == "this"):
                valence = valence * 1.25
            elif lower[i - 2] == "without" and lower[i - 1] == "doubt":
                pass
            elif _negated_word(lower[i - 2]):
                valence = valence * vader.N_SCALAR
        if start_i == 2:
            if lower[i - 3] == "never" and (lower[i - 2] == "so" or lower[i - 2] == "this") or \
                    (lower[i - 1] == "so" or lower[i - 1] == "this"):
                valence = valence * 1.25
            elif lower[i - 3] == "without" and (lower[i - 2] == "doubt" or lower[i - 1] == "doubt"):
                pass
            elif _negated_word(lower[i - 3]):
                valence = valence * vader.N_SCALAR
        return valence

    @staticmethod
    def _special_idioms_check(valence: float, words_and_emoticons: list[str],
                              i: int) -> float:
        # vaderSentiment's rules, on the words lower-cased once.
        lower = _lowered(words_and_emoticons)
        onezero = f"{lower[i - 1]} {lower[i]}"
        twoonezero = f"{lower[i - 2]} {lower[i - 1]} {lower[i]}"
        twoone = f"{lower[i - 2]} {lower[i - 1]}"
        threetwoone = f"{lower[i - 3]} {lower[i - 2]} {lower[i - 1]}"
        threetwo = f"{lower[i - 3]} {lower[i - 2]}"
        for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
            if seq in vader.SPECIAL_CASES:
                valence = vader.SPECIAL_CASES[seq]
                break
        if len(lower) - 1 > i:
            zeroone = f"{lower[i]} {lower[i + 1]}"
            if zeroone in vader.SPECIAL_CASES:
                valence = vader.SPECIAL_CASES[zeroone]
        if len(lower) - 1 > i + 1:
            zeroonetwo = f"{lower[i]} {lower[i + 1]} {lower[i + 2]}"
            if zeroonetwo in vader.SPECIAL_CASES:
                valence = vader.SPECIAL_CASES[zeroonetwo]
        for n_gram in (threetwoone, threetwo, twoone):
            if n_gram in vader.BOOSTER_DICT:
                valence = valence + vader.BOOSTER_DICT[n_gram]
        return valence


# A sentence that announces or relays a scheduled company event ("to report earnings on
# Wednesday", "reports Q3 revenue", "declares quarterly dividend") reports rather than judges:
# where the lexicon finds no term of either sign in it, it is plain reporting and takes no
# side (issue 12), as in Chinese (chinese.REPORT_FRAME). In the labelled English files 208
# such rows hold 190 neutral ones (the news tweets 178 of 181); the social sources' n-grams
# read "report" and "after the close" as negative.
# Matched on the lower-cased text (`reports_event`): without IGNORECASE and with a lookbehind
# in place of a leading \b, the search takes half the time, and it runs on every text the
# lexicon is silent on.
REPORT_FRAME = lazy_pattern(
    r"(?<![a-z0-9_])(?:(?:to|will) (?:report|announce|present|release|host|hold|webcast)"
    r"|(?:reports?|announces?|declares?|files?|schedules?|sets?) (?:date|earnings|results"
    r"|q[1-4]|fourth|third|second|first|quarterly|fiscal|dividend|conference|webcast))\b")


def reports_event(text: str) -> bool:
    """Whether `text` announces or relays a scheduled company event (REPORT_FRAME)."""
    return REPORT_FRAME.search(text.lower()) is not None


def _phrase_token(phrase: str) -> str:
    # VADER splits on whitespace, so a phrase becomes one token that it looks up whole.
    return "fx_" + re.sub(r"\W+", "_", phrase)


class FinanceVaderScorer:
    """VADER whose lexicon knows market words (tank, moon, puts), idioms (fell into a trap)
    and emoji (🚀).

    Single words go straight into VADER's lexicon, so its negation ("not bullish") and
    boosters ("very bearish") apply to them too. A phrase is rewritten into one token
    before VADER reads the text; an emoji is read as a token of its own.
    """

    name = "finance-vader"
    lang = "en"

    def __init__(self, terms: Mapping[str, float]) -> None:
        self._analyzer = _FastAnalyzer()
        lexicon = dict(self._analyzer.lexicon)
        emojis = dict(self._analyzer.emojis)
        phrases: dict[str, str] = {}
        for term, valence in terms.items():
            if term in emojis:
                # VADER replaces an emoji by its name ("rocket") before reading the words;
                # the emoji's own token keeps the word "rocket" (Rocket Lab) unscored.
                token = _phrase_token("emoji " + " ".join(f"{ord(c):x}" for c in term))
                emojis[term] = token
                lexicon[token] = valence
            elif " " in term:
                token = _phrase_token(term)
                phrases[term] = token
                lexicon[token] = valence
            else:
                lexicon[term] = valence
        self._analyzer.lexicon = lexicon
        self._analyzer.emojis = emojis
        self._phrases = phrases
        self._phrase_re: re.Pattern[str] | None = None
        # What a text must hold for the pattern to match in it: the phrases (one that holds
        # another is left out), tested by `may_hold` in C. Why: the pattern opens with a
        # look-behind, so `re` tries it at every position (5-6 us a StockTwits sentence),
        # and 1% of those sentences hold a phrase. Only for lower-case ASCII phrases (as
        # lexicon files give them), which is what may_hold reads.
        self._phrase_gate: tuple[str, ...] | None = None
        if phrases and all(p.isascii() and p == p.lower() for p in phrases):
            self._phrase_gate = tuple(p for p in phrases
                                      if not any(q != p and q in p for q in phrases))
        if phrases:
            # Longest first, so "short squeeze" wins over "short"; hyphens count as word
            # characters so "short-term" is not "short".
            alts = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
            self._phrase_re = re.compile(rf"(?<![\w-])(?:{alts})(?![\w-])", re.IGNORECASE)

    def _rewrite(self, text: str) -> str:
        if self._phrase_re is None:
            return text
        if self._phrase_gate is not None and not may_hold(text, self._phrase_gate):
            return text  # no phrase can stand in it
        # IGNORECASE also folds a long s (ſ) or a dotted capital I (İ) onto a
        # phrase's s or i, which no phrase key spells: such a match stays as written (it
        # raised KeyError, and the post was lost as one that cannot be parsed).
        return self._phrase_re.sub(
            lambda m: self._phrases.get(" ".join(m.group(0).lower().split()), m.group(0)), text
        )

    def polarity(self, text: str) -> dict[str, float]:
        """VADER's neg/neu/pos/compound for `text` with the finance lexicon."""
        return self._analyzer.polarity_scores(self._rewrite(text))

    def score(self, text: str) -> float:
        return float(self.polarity(text)["compound"])

    def score_many(self, texts: Sequence[str]) -> list[float]:
        return [self.score(t) for t in texts]
