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

from tracker.once import once
from tracker.text.patterns import CASHTAG

# The languages a Latin-script sentence may be given. Restricting the model to the ones
# finance posts come in makes it surer on short text; Dutch, Indonesian and Polish are in
# so that they are not forced into English (and its scorer).
LATIN_LANGS = ("en", "es", "pt", "it", "de", "fr", "nl", "id", "pl")
# Cashtags, hashtags, @handles and links carry no language; below this many letters of
# words the model guesses, and the caller's fallback is surer.
MIN_LETTERS = 12
# The model's cost grows with the text; the first few hundred characters tell the language.
MAX_CHARS = 400
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


def latin_lang(text: str) -> str | None:
    """The language of a Latin-script sentence, or None when it has too few letters of
    words to tell (a bare "$ASML(ASML.US)" line, "🚀🚀 $GME")."""
    words = words_only(text[:MAX_CHARS])
    if len(_LETTER.findall(words)) < MIN_LETTERS:
        return None
    lang, _score = _identifier().classify(words)
    return str(lang)
