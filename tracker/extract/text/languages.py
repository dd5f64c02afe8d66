"""Which Latin-script language a sentence is in: py3langid's model, trusted only where
there are words enough for it; CJK scripts are told apart by counting (sentences.py).

py3langid (langid.py's maintained fork) ships its model in its 4.6 MB wheel and classifies
a tweet in about half a millisecond. On tests/data/lang_short_posts.jsonl (200 tweet-length
posts in en, es, pt, it, de, fr) it is right on every post where function-word counting was
right on 65% (Italian never: it was called English). lingua was as accurate there but its
wheel is 96 MB and it was ~80x slower per post.
"""

from __future__ import annotations

import re
from typing import Any

from tracker.extract.text.once import once
from tracker.extract.text.patterns import CASHTAG

# The languages a Latin-script sentence may be given. Restricting the model to the ones
# finance posts come in makes it surer on short text; Dutch, Indonesian and Polish are in
# so that they are not forced into English (and its scorer).
LATIN_LANGS = ("en", "es", "pt", "it", "de", "fr", "nl", "id", "pl")
# Cashtags, hashtags, @handles and links carry no language; below this many letters of
# words the model guesses, and the caller's fallback is surer.
MIN_LETTERS = 12
# The model's cost grows with the text; the first few hundred characters tell the language.
MAX_CHARS = 400
# A sentence of a finance post this short (letters of words, cashtags aside) is English
# unless the model puts another language clearly ahead: on "$AAPL no innovation" or
# "$UGAZ Fall Baby Fall!" it leans to Italian or German by a hair (docs/mentions.md).
SHORT_LETTERS = 60
# How far (log-probability, py3langid's raw score) the top language must lead English on
# such a sentence to win: English trailed by 0.1 to 4.4 on the short English posts of the
# development sample, other languages led it by 8.7 or more.
ENGLISH_MARGIN = 6.0
_NOT_WORDS = re.compile(r"[#@][^\s#@]*|https?://\S+|www\.\S+|\$\S*")
_LETTER = re.compile(r"[^\W\d_]")


@once
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)
    ident.set_languages(list(LATIN_LANGS))
    return ident


def words_only(text: str) -> str:
    """`text` without the tokens that belong to no language: cashtags (the one grammar, so
    "$Tesla(TSLA.US)" goes whole), then hashtags, handles, links and stray "$" tokens."""
    return _NOT_WORDS.sub(" ", CASHTAG.sub(" ", text))


def latin_lang(text: str, finance: bool = False) -> str | None:
    """The language of a Latin-script sentence, or None when it has too few letters of
    words to tell (a bare "$ASML(ASML.US)" line, "🚀🚀 $GME").

    With `finance` (the post names a security), a short sentence is English unless another
    language leads it by ENGLISH_MARGIN.
    """
    words = words_only(text[:MAX_CHARS])
    letters = len(_LETTER.findall(words))
    if letters < MIN_LETTERS:
        return None
    if finance and letters <= SHORT_LETTERS:
        ranked = _identifier().rank(words)
        top, best = ranked[0]
        english = next(score for lang, score in ranked if lang == "en")
        return "en" if english >= best - ENGLISH_MARGIN else str(top)
    lang, _score = _identifier().classify(words)
    return str(lang)
