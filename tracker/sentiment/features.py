"""The features the tone models read: n-grams of a normalised text, plus lexicon scores.

Training (scripts/train_sentiment.py) and scoring both call these functions, so the model
never sees text prepared one way in training and another way in use.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_URL = re.compile(r"https?://\S+|www\.\S+")
# A cashtag or a security tag's "$Name(TICK.US)": the model learns how people talk about a
# stock, not which stocks they liked in the training period.
_CASHTAG = re.compile(r"\$[^\s$()]{0,40}\([A-Za-z0-9.\-]+\)|\$[A-Za-z][A-Za-z0-9.\-]*")
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_EN_WORD = re.compile(r"[a-z0_]+(?:'[a-z]+)?|[%!?]")


def normalise_en(text: str) -> str:
    """Lower case, with urls, cashtags and numbers replaced by placeholders."""
    text = _URL.sub(" url ", text)
    text = _CASHTAG.sub(" tkr ", text)
    text = _DIGITS.sub("0", text)
    return text.lower()


def en_tokens(text: str) -> list[str]:
    """Word unigrams and bigrams of an English text."""
    words = _EN_WORD.findall(normalise_en(text))
    out = ["w:" + w for w in words]
    out += ["b:" + a + " " + b for a, b in zip(words, words[1:], strict=False)]
    return out


def normalise_zh(text: str) -> str:
    """Chinese text with urls, cashtags and numbers replaced, latin letters lower-cased."""
    text = _URL.sub(" ", text)
    text = _CASHTAG.sub("$", text)
    text = _DIGITS.sub("0", text)
    return text.lower()


def zh_tokens(words: Sequence[str], text: str) -> list[str]:
    """Word unigrams and bigrams (from jieba's `words`) and character uni- and bigrams.

    Characters back the words up where jieba splits slang differently from one post to the
    next; `text` is the clause the words came from.
    """
    words = [_DIGITS.sub("0", w.lower()) for w in words]
    out = ["w:" + w for w in words]
    out += ["b:" + a + "|" + b for a, b in zip(words, words[1:], strict=False)]
    chars = [c for c in normalise_zh(text) if not c.isspace()]
    out += ["c:" + c for c in chars]
    out += ["d:" + a + b for a, b in zip(chars, chars[1:], strict=False)]
    return out
