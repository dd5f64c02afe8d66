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
# English only: what a tweet, a headline and a forum post share once the medium is gone.
_HANDLE = re.compile(r"(?<!\w)@\w+")
_MONEY = re.compile(
    r"\$\d+(?:[.,]\d+)*\s?(?:[kmb]n?|million|billion|trillion)?\b", re.IGNORECASE)
# "+5%" and "-3%" say which way; "5%" alone does not.
_PERCENT = re.compile(r"([+\-\u2212]?)\d+(?:[.,]\d+)*\s?%")
_PERCENT_TOKEN = {"+": " pctup ", "-": " pctdown ", "\u2212": " pctdown ", "": " pct "}
_EN_WORD = re.compile(r"[a-z_]+(?:'[a-z]+)?|0|[!?]")


def normalise_en(text: str) -> str:
    """Lower case; urls and "…" dropped; handles, cashtags, amounts, percentages and numbers
    replaced by placeholders (usr, tkr, money, pctup/pctdown/pct, 0).

    Urls are dropped rather than replaced: headlines and forum posts rarely carry them, so a
    model that leaned on them would not carry over.
    """
    text = _URL.sub(" ", text).replace("\u2026", " ")
    text = _HANDLE.sub(" usr ", text)
    text = _CASHTAG.sub(" tkr ", text)
    text = _MONEY.sub(" money ", text)
    text = _PERCENT.sub(lambda m: _PERCENT_TOKEN[m.group(1)], text)
    text = _DIGITS.sub(" 0 ", text)
    return text.lower()


def en_tokens(text: str) -> list[str]:
    """Word uni-, bi- and trigrams of an English text."""
    words = _EN_WORD.findall(normalise_en(text))
    out = ["w:" + w for w in words]
    out += ["b:" + a + " " + b for a, b in zip(words, words[1:], strict=False)]
    out += ["t:" + a + " " + b + " " + c
            for a, b, c in zip(words, words[1:], words[2:], strict=False)]
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
    if _DIGITS.search(text) is None:
        # The words are pieces of `text`: with no digit in it, none has one to replace.
        words = [w.lower() for w in words]
    else:
        words = [_DIGITS.sub("0", w.lower()) for w in words]
    out = ["w:" + w for w in words]
    out += ["b:" + a + "|" + b for a, b in zip(words, words[1:], strict=False)]
    chars = [c for c in normalise_zh(text) if not c.isspace()]
    out += ["c:" + c for c in chars]
    out += ["d:" + a + b for a, b in zip(chars, chars[1:], strict=False)]
    return out
