"""Which Latin-script language a sentence is in: py3langid's model, trusted only where
there are words enough for it; CJK scripts are told apart by counting (sentences.py).

py3langid (langid.py's maintained fork) ships its model in its 4.6 MB wheel and classifies
a tweet in about half a millisecond. On tests/data/lang_short_posts.jsonl (200 tweet-length
posts in en, es, pt, it, de, fr) it is right on every post where function-word counting was
right on 65% (Italian never: it was called English). lingua was as accurate there but its
wheel is 96 MB and it was ~80x slower per post.

The model ships inside tracker (tracker/data/langid_latin.npz, written by
scripts/build_langid.py) restricted to LATIN_LANGS: py3langid's own file is an LZMA archive
of all its languages, 68 MB unpacked, whose loading cost 0.5-1 s of every process's start and
100 MB at its peak; the restricted copy holds the same arrays for these languages and loads
in a fifth of the time. tests/extract/text/test_languages.py checks it still equals
py3langid's model.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
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


# The restricted model's file, and the arrays it holds (py3langid's names, modelio.py).
LATIN_MODEL = "langid_latin.npz"
_MODEL_ARRAYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")


def latin_model_arrays() -> dict[str, Any]:
    """py3langid's own model restricted to LATIN_LANGS, as set_languages restricts it: what
    scripts/build_langid.py writes to LATIN_MODEL (loads the full model: about a second)."""
    import numpy as np
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    full = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)
    full.set_languages(list(LATIN_LANGS))
    return {
        "ptc": full.nb_ptc,  # Fortran order, as set_languages' slice leaves it
        "pc": full.nb_pc,
        "classes": np.array(full.nb_classes),
        "nextmove": np.frombuffer(full.tk_nextmove, dtype=f"u{full.tk_nextmove.itemsize}"),
        "nextmove_row": np.frombuffer(full.tk_row, dtype=f"u{full.tk_row.itemsize}"),
        "out_feat": np.array(full.tk_output, dtype=np.int32),
    }


def latin_model_path() -> Path:
    """Where the packaged, restricted model is."""
    return Path(str(resources.files("tracker.data").joinpath(LATIN_MODEL)))


# The stdlib array's typecode for an unsigned integer of each size.
_TYPECODES = {2: "H", 4: "I", 8: "L"}


def _as_array(values: Any) -> array:
    # The stdlib array py3langid's DFA walk indexes (its modelio._to_array).
    out = array(_TYPECODES[values.dtype.itemsize])
    out.frombytes(memoryview(values).cast("B"))  # no copy on the way: the DFA is 39 MB
    return out


def _nextmove(data: Any) -> Sequence[int]:
    """The DFA's state table, mapped from the user's cache when it holds the one this model
    file gives (tracker.data.user_cache). Why: inflating it from the packaged file took
    0.1 s of every start and a transient 30 MiB more than the table's 39 MB, all of which
    was held even by a process that read one post."""
    import numpy as np

    from tracker.data.user_cache import cached_table

    # The item size from the array's header alone: reading the array is what is saved.
    with data.zip.open("nextmove.npy") as member:
        version = np.lib.format.read_magic(member)
        header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                  else np.lib.format.read_array_header_2_0)
        _shape, _fortran, dtype = header(member)
    typecode = _TYPECODES[dtype.itemsize]
    return cached_table("langid-nextmove", [latin_model_path(), Path(__file__)], typecode,
                        lambda: _as_array(data["nextmove"]))


@once
def _identifier() -> Any:
    import numpy as np
    from py3langid.langid import LanguageIdentifier

    with np.load(latin_model_path(), allow_pickle=False) as data:
        ptc, pc, classes, row, out_feat = (data[k] for k in _MODEL_ARRAYS if k != "nextmove")
        nextmove = _nextmove(data)
    return LanguageIdentifier(ptc, pc, classes.tolist(), nextmove, out_feat.tolist(),
                              norm_probs=False, tk_row=_as_array(row))


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
