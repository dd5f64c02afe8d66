"""The features the tone models read: n-grams of a normalised text, plus lexicon scores.

Training (scripts/train_sentiment.py) and scoring both call these functions, so the model
never sees text prepared one way in training and another way in use.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from tracker.text.patterns import CASHTAG

_URL = re.compile(r"https?://\S+|www\.\S+")
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
# English only: what a tweet, a headline and a forum post share once the medium is gone.
_HANDLE = re.compile(r"(?<!\w)@\w+")
_MONEY = re.compile(
    r"\$\d+(?:[.,]\d+)*\s?(?:[kmb]n?|million|billion|trillion)?\b", re.IGNORECASE)
# "+5%" and "-3%" say which way; "5%" alone does not.
_PERCENT = re.compile(r"([+\-\u2212]?)\d+(?:[.,]\d+)*\s?%")
_PERCENT_TOKEN = {"+": " pctup ", "-": " pctdown ", "\u2212": " pctdown ", "": " pct "}
_EN_WORD = re.compile(r"[a-z_]+(?:'[a-z]+)?|0|[!?]")

# An n-gram family: its token prefix, n, and what joins the n units in the token.
Family = tuple[str, int, str]
EN_FAMILIES: tuple[Family, ...] = (("w:", 1, " "), ("b:", 2, " "), ("t:", 3, " "))
ZH_WORD_FAMILIES: tuple[Family, ...] = (("w:", 1, "|"), ("b:", 2, "|"))
ZH_CHAR_FAMILIES: tuple[Family, ...] = (("c:", 1, ""), ("d:", 2, ""))
# A text's units (words or characters), each sequence with the families built on it, in
# the order its tokens are listed.
Units = list[tuple[Sequence[str], tuple[Family, ...]]]


def normalise_en(text: str) -> str:
    """Lower case; urls and "…" dropped; handles, cashtags, amounts, percentages and numbers
    replaced by placeholders (usr, tkr, money, pctup/pctdown/pct, 0).

    Urls are dropped rather than replaced: headlines and forum posts rarely carry them, so a
    model that leaned on them would not carry over.
    """
    # Each pattern needs a literal character or prefix: a text without it skips the scan.
    if _may_hold_url(text):
        text = _URL.sub(" ", text)
    text = text.replace("\u2026", " ")
    if "@" in text:
        text = _HANDLE.sub(" usr ", text)
    if "$" in text:
        # Cashtags become one placeholder: the model learns how people talk about a stock,
        # not which stocks they liked in the training period.
        text = CASHTAG.sub(" tkr ", text)
        text = _MONEY.sub(" money ", text)
    if "%" in text:
        text = _PERCENT.sub(lambda m: _PERCENT_TOKEN[m.group(1)], text)
    text = _DIGITS.sub(" 0 ", text)
    return text.lower()


def _may_hold_url(text: str) -> bool:
    return "http" in text or "www." in text


def ngram_tokens(units: Units) -> list[str]:
    """The tokens of every family over its units: prefix + the n units joined."""
    out: list[str] = []
    for seq, families in units:
        for prefix, n, sep in families:
            out += [prefix + sep.join(g) for g in zip(*(seq[i:] for i in range(n)), strict=False)]
    return out


def en_units(text: str) -> Units:
    """The words of an English text, for word uni-, bi- and trigrams."""
    return [(_EN_WORD.findall(normalise_en(text)), EN_FAMILIES)]


def en_tokens(text: str) -> list[str]:
    """Word uni-, bi- and trigrams of an English text."""
    return ngram_tokens(en_units(text))


def normalise_zh(text: str) -> str:
    """Chinese text with urls, cashtags and numbers replaced, latin letters lower-cased."""
    if _may_hold_url(text):
        text = _URL.sub(" ", text)
    if "$" in text:
        text = CASHTAG.sub("$", text)
    text = _DIGITS.sub("0", text)
    return text.lower()


def zh_units(words: Sequence[str], text: str) -> Units:
    """Words (from jieba's `words`) for word uni- and bigrams, and the non-space characters
    of `text` for character uni- and bigrams.

    Characters back the words up where jieba splits slang differently from one post to the
    next; `text` is the clause the words came from.
    """
    if _DIGITS.search(text) is None:
        # The words are pieces of `text`: with no digit in it, none has one to replace.
        words = [w.lower() for w in words]
    else:
        words = [_DIGITS.sub("0", w.lower()) for w in words]
    # split() drops exactly the characters str.isspace() calls whitespace.
    chars = list("".join(normalise_zh(text).split()))
    return [(words, ZH_WORD_FAMILIES), (chars, ZH_CHAR_FAMILIES)]


def zh_tokens(words: Sequence[str], text: str) -> list[str]:
    """Word unigrams and bigrams (from jieba's `words`) and character uni- and bigrams."""
    return ngram_tokens(zh_units(words, text))


def _splits(s: str, n: int, sep: str) -> Iterator[tuple[str, ...]]:
    # Every way to read `s` as n units joined by `sep`: a unit may itself hold `sep`.
    if n == 1:
        yield (s,)
        return
    if sep:
        cuts = [(p, p + len(sep)) for p in range(len(s)) if s.startswith(sep, p)]
    else:
        cuts = [(p, p) for p in range(len(s) + 1)]
    for end, start in cuts:
        for rest in _splits(s[start:], n - 1, sep):
            yield (s[:end], *rest)


_NONE: dict[str, Any] = {}


class NgramIndex:
    """Vocabulary indexes of a text's n-grams, found without building the n-gram strings.

    Each family's vocabulary is a tree of dicts, one level per unit, so a lookup hashes
    units whose hashes Python has already cached instead of a new string per n-gram.
    `indexes(units)` equals `[vocab.get(t) for t in ngram_tokens(units)]`.
    """

    def __init__(self, vocab: Mapping[str, int], families: Sequence[Family]) -> None:
        self._trees: dict[Family, dict[str, Any]] = {}
        for family in families:
            prefix, n, sep = family
            tree: dict[str, Any] = {}
            for token, i in vocab.items():
                if token.startswith(prefix):
                    for parts in _splits(token[len(prefix):], n, sep):
                        node = tree
                        for part in parts[:-1]:
                            node = node.setdefault(part, {})
                        node[parts[-1]] = i
            self._trees[family] = tree

    def indexes(self, units: Units) -> list[int | None]:
        """Each n-gram's vocabulary index (None if not in it), in ngram_tokens' order."""
        out: list[int | None] = []
        for seq, families in units:
            for family in families:
                tree = self._trees[family]
                n = family[1]
                if n == 1:
                    out += map(tree.get, seq)
                elif n == 2:
                    out += [tree.get(a, _NONE).get(b) for a, b in zip(seq, seq[1:], strict=False)]
                elif n == 3:
                    out += [tree.get(a, _NONE).get(b, _NONE).get(c)
                            for a, b, c in zip(seq, seq[1:], seq[2:], strict=False)]
                else:
                    out += [_walk(tree, g) for g in zip(*(seq[i:] for i in range(n)), strict=False)]
        return out


def _walk(tree: dict[str, Any], gram: tuple[str, ...]) -> int | None:
    node: Any = tree
    for unit in gram:
        node = node.get(unit)
        if node is None:
            return None
    return node  # type: ignore[no-any-return]
