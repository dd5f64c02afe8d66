"""A post's genre, news or social: declared by its source, implied by its format, or read
from its text by a small model.

News (headlines, wire copy, articles) is scored with the tone model's news head, social
posts with the shared weights (tracker.sentiment.get_scorer). The detector is a logistic
regression over a few hundred thousand n-grams and shape marks, trained by
scripts/train_sentiment.py on the datasets' sources: the news files against the forum and
social files (training.NEWS_SOURCES), one model per language, shipped as
tracker/data/sentiment/<lang>_genre.npz. Chinese reads characters, not jieba words, so
detecting costs no segmentation.
"""

from __future__ import annotations

import math
import re
from array import array
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from itertools import repeat
from pathlib import Path
from typing import Any

import numpy as np

from tracker.data.user_cache import cached
from tracker.sentiment.features import _EMOJI, _URL, normalise_en, normalise_zh
from tracker.sentiment.model import sublinear_count, sublinear_tf

GENRES = ("news", "social")
# Languages with a detector; a post in any other language is social.
DETECTED_LANGS = ("en", "zh")
# A long post's genre shows in its opening: the detector reads this many characters.
READ_CHARS = 600
_EN_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?|[!?]")
# The first-person mark's rule: one of these words whole, in any case, or 我, 俺, 咱.
FIRST_PERSON_RULE = r"(?i)\b(?:i|i'm|im|my|me|we|our|lol|imo)\b|我|俺|咱"
# The same matches, written to open with a class of characters (each word's first letter in
# any case, `re`'s folds of i included), so that `re` skips to the next one in C; each
# word's rest after its first letter and the word boundary before it as look-behinds. The
# plain form, opening with `\b`, was tried at every position: 7-10 against 3.5-4 us a
# StockTwits post (tests/sentiment/test_genre_marks.py: both find one in the same texts).
_FIRST_PERSON = re.compile(
    r"[IiıİMmWwOoLl我俺咱](?:(?<=[我俺咱])|(?<!\w[\s\S])"
    r"(?i:(?<=i)(?:'m|mo|m)?|(?<=m)[ye]|(?<=w)e|(?<=o)ur|(?<=l)ol)\b)")
_HANDLE = re.compile(r"(?<!\w)@\w+")
_EMOJI_CHAR = re.compile(_EMOJI)
_NO_BIGRAMS: dict[str, int] = {}
# Up to this many known n-grams, a text's sums are added in plain floats; past it, numpy's
# per-call cost is the smaller (timed on StockTwits and 雪球 posts).
_PLAIN_ROWS = 100


def _marks(text: str) -> list[str]:
    # The shape marks of `text` (already cut to READ_CHARS).
    marks = ["m:len" + str(min(6, int(math.log2(1 + len(text)))))]
    if _URL.search(text):
        marks.append("m:url")
    # A handle has its "@": tested first, as the look-behind leaves `re` no prefix to scan
    # for (2 us a StockTwits post).
    if "@" in text and _HANDLE.search(text):
        marks.append("m:handle")
    if _EMOJI_CHAR.search(text):
        marks.append("m:emoji")
    if _FIRST_PERSON.search(text):
        marks.append("m:first")
    return marks


def _units(text: str, lang: str) -> list[str]:
    # The words (en) or characters (zh) of `text` (already cut to READ_CHARS). None holds
    # a space, so a bigram's token splits at its one space into its two units.
    if lang == "zh":
        return [c for c in normalise_zh(text) if not c.isspace()]
    return _EN_WORD.findall(normalise_en(text, mask=True))


def genre_tokens(text: str, lang: str) -> list[str]:
    """What the detector reads: word (en) or character (zh) uni- and bigrams, and shape marks
    (a link, a handle, an emoji, first-person words, the length)."""
    text = text[:READ_CHARS]
    units = _units(text, lang)
    pairs = zip(units, units[1:], strict=False)
    grams = ["u:" + u for u in units] + ["v:" + a + " " + b for a, b in pairs]
    return _marks(text) + grams


VocabTables = tuple[dict[str, int], dict[str, int], dict[str, dict[str, int]]]


def vocab_tables(vocab: Sequence[str]) -> VocabTables:
    """A detector's vocabulary (its rows' tokens) by family: marks by token, unigrams by
    unit, bigrams by their first unit, then their second. A bigram token that does not split
    at one space into two units is none that `_units`' units make, so it is left out."""
    marks: dict[str, int] = {}
    unigrams: dict[str, int] = {}
    bigrams: dict[str, dict[str, int]] = {}
    for i, token in enumerate(vocab):
        family, gram = token[:2], token[2:]
        if family == "u:":
            unigrams[gram] = i
        elif family == "v:":
            first, space, second = gram.partition(" ")
            if space and first and second and " " not in second:
                bigrams.setdefault(first, {})[second] = i
        else:
            marks[token] = i
    return marks, unigrams, bigrams


class GenreModel:
    """P(news) from a text's `genre_tokens`: tf-idf (sublinear, l2) times the weights."""

    def __init__(self, path: Path) -> None:
        data = np.load(path, allow_pickle=False)
        # The vocabulary by family, so that a text's rows are found without spelling its
        # tokens ("u:" + c, "v:" + a + " " + b) and hashing each. Built once per model file
        # and kept in the user's cache: with the build, loading a detector took 16 ms of a
        # process's first post in its language; with the tables read back, 6.5 ms.
        self._marks, self._unigrams, self._bigrams = cached(
            "genre", [path, Path(__file__)], lambda: vocab_tables(
                bytes(data["vocab"]).decode("utf-8").split("\n")))
        # Each row's idf and weight as float64 in two flat arrays: a short text's few rows
        # are read one by one as Python floats (an index each, where numpy's gather and
        # tolist cost 5 us a StockTwits post), a long text's through numpy views of them.
        self._idf = array("d", data["idf"].astype(np.float64).tobytes())
        self._coef = array("d", data["coef"].astype(np.float64).tobytes())
        self.intercept = float(data["intercept"])
        self.lang = str(data["lang"])

    def token_rows(self, text: str) -> list[int]:
        """The vocabulary row of each of `genre_tokens(text, self.lang)`, in that order (-1
        for a token the vocabulary does not hold)."""
        text = text[:READ_CHARS]
        rows = [self._marks.get(m, -1) for m in _marks(text)]
        units = _units(text, self.lang)
        rows += map(self._unigrams.get, units, repeat(-1))
        rows += map(dict.get, map(self._bigrams.get, units, repeat(_NO_BIGRAMS)), units[1:],
                    repeat(-1))
        return rows

    def news_probability(self, text: str) -> float:
        # Each known token's row and count, counted in C in order of first occurrence: a
        # row is one token, so the same terms in the same order as counting the tokens.
        counts = Counter(self.token_rows(text))
        counts.pop(-1, None)
        if not counts:
            return 1.0 / (1.0 + math.exp(-self.intercept))
        if len(counts) > _PLAIN_ROWS:
            # tf-idf (sublinear) w of each row and the sums of w * w and w * weight, in
            # numpy: the same products as one row at a time, added in the same order by
            # add.accumulate, which sums strictly left to right (np.sum would pair them).
            rows = np.fromiter(counts, dtype=np.intp, count=len(counts))
            tf = np.fromiter(counts.values(), dtype=np.intp, count=len(counts))
            w = sublinear_tf(tf) * np.frombuffer(self._idf).take(rows)
            norm = float(np.add.accumulate(w * w)[-1])
            z = float(np.add.accumulate(np.concatenate((
                [self.intercept], w * np.frombuffer(self._coef).take(rows))))[-1])
        else:
            # The same, in plain floats: the same IEEE products and sums, in the same
            # order, without a dozen numpy calls (a fifth of a short post's detection).
            norm = 0.0
            z = self.intercept
            idfs, coefs = self._idf, self._coef
            for row, n in counts.items():
                idf = idfs[row]
                w = idf if n == 1 else sublinear_count(n) * idf
                norm += w * w
                z += w * coefs[row]
        if norm:
            z = self.intercept + (z - self.intercept) / math.sqrt(norm)
        return 1.0 / (1.0 + math.exp(-z))

    def genre(self, text: str) -> str:
        """"news" when the text is more likely news than not, else "social"."""
        return "news" if self.news_probability(text) >= 0.5 else "social"


def model_path(lang: str) -> Path:
    """Where the packaged detector of `lang` is."""
    return Path(str(resources.files("tracker.data").joinpath("sentiment", f"{lang}_genre.npz")))


@lru_cache(maxsize=4)
def _model(lang: str) -> GenreModel | None:
    path = model_path(lang)
    return GenreModel(path) if path.exists() else None


def detect_genre(text: str, lang: str) -> str:
    """"news" or "social" for a post's text in `lang`, by the packaged detector (social for a
    language without one)."""
    model = _model(lang) if lang in DETECTED_LANGS else None
    return "social" if model is None else model.genre(text)


def fit_genre(texts: Sequence[str], is_news: Sequence[bool], lang: str, path: Path,
              c: float = 1.0) -> Any:
    """Fit the detector of `lang` (classes weighted equally) and write it to `path`; returns
    the fitted classifier and vectorizer. Needs scikit-learn (the `train` extra)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = TfidfVectorizer(analyzer=lambda t: genre_tokens(t, lang), sublinear_tf=True,
                          min_df=3)
    x = vec.fit_transform(texts)
    y = np.asarray(is_news, dtype=int)
    from tracker.sentiment.training import one_blas_thread

    clf = LogisticRegression(C=c, max_iter=2000, class_weight="balanced", random_state=0)
    with one_blas_thread():
        clf.fit(x, y)
    blob = "\n".join(vec.get_feature_names_out()).encode("utf-8")
    np.savez_compressed(path, vocab=np.frombuffer(blob, dtype=np.uint8),
                        idf=vec.idf_.astype(np.float32), coef=clf.coef_[0].astype(np.float32),
                        intercept=np.array(clf.intercept_[0]), lang=np.array(lang))
    return clf, vec
