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


# What the state table's columns are indexed by. py3langid walks its DFA one byte of UTF-8
# at a time through a table of 256 columns per row; only 197 of those columns differ (the
# bytes no feature tells apart go to the same states from every row), so the table keeps
# one column per class of bytes, and a text's bytes are translated to their classes before
# the walk (bytes.translate, in C): the same states in the same order, on a table of 30 MB
# instead of 39, whose pages a run maps in as it walks them (34-35 MiB resident by the end
# of a 1,000-post ingest).


def byte_classes(rows: Any) -> tuple[bytes, list[int]]:
    """(each byte's class, as a bytes.translate table; the first byte of each class) for a
    table of 256 columns per row: bytes whose columns are equal share a class. Classes are
    numbered in the order of their first byte, so the same table always gives the same
    classes. One column is copied at a time (153 kB), not the table."""
    import hashlib

    import numpy as np

    classes = bytearray(256)
    firsts: list[int] = []
    by_digest: dict[bytes, list[int]] = {}
    for byte in range(256):
        column = np.ascontiguousarray(rows[:, byte])
        same = by_digest.setdefault(hashlib.blake2b(column.tobytes()).digest(), [])
        klass = next((k for k in same if np.array_equal(rows[:, firsts[k]], column)), None)
        if klass is None:
            klass = len(firsts)
            firsts.append(byte)
            same.append(klass)
        classes[byte] = klass
    return bytes(classes), firsts


def _narrow(rows: Any, firsts: list[int]) -> array:
    # The table with one column per class, written straight into the array that is cached:
    # no numpy copy of it on the way (the model's own table is 39 MB already).
    import numpy as np

    out = array(_TYPECODES[rows.dtype.itemsize], bytes(rows.shape[0] * len(firsts)
                                                        * rows.dtype.itemsize))
    np.take(rows, firsts, axis=1, out=np.frombuffer(out, dtype=rows.dtype).reshape(
        rows.shape[0], len(firsts)))
    return out


def _tables(data: Any) -> tuple[bytes, Sequence[int]]:
    """The byte classes and the DFA's state table over them, mapped from the user's cache
    when it holds the ones this model file gives (tracker.data.user_cache). Why: inflating
    the table from the packaged file took 0.1 s of every start and a transient 30 MiB more
    than the table itself, all of which was held even by a process that read one post."""
    import numpy as np

    from tracker.data.user_cache import cached_table

    # The item size from the array's header alone: reading the array is what is saved.
    with data.zip.open("nextmove.npy") as member:
        version = np.lib.format.read_magic(member)
        header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                  else np.lib.format.read_array_header_2_0)
        _shape, _fortran, dtype = header(member)
    typecode = _TYPECODES[dtype.itemsize]
    built: list[tuple[bytes, array]] = []

    def classed() -> tuple[bytes, array]:
        # Both cache entries come from one reading of the model file's 39 MB table.
        if not built:
            rows = data["nextmove"].reshape(-1, 256)
            classes, firsts = byte_classes(rows)
            built.append((classes, _narrow(rows, firsts)))
        return built[0]

    sources = [latin_model_path(), Path(__file__)]
    classes = cached_table("langid-byte-classes", sources, "B",
                           lambda: array("B", classed()[0]))
    table = cached_table("langid-nextmove", sources, typecode, lambda: classed()[1])
    return bytes(classes), table


def _identifier_class() -> Any:
    from py3langid.langid import LanguageIdentifier

    class ClassedIdentifier(LanguageIdentifier):  # type: ignore[misc]
        """py3langid's identifier walking a table with one column per class of bytes.

        Its walk reads `self._rowbase[state] + byte` for a table 256 columns wide; here
        each row is as wide as the classes are many and each byte is its class
        (tests/extract/text/test_languages.py holds the scores to py3langid's own model)."""

        __slots__ = ("_byte_classes",)

        def __init__(self, *args: Any, tk_row: array, byte_classes: bytes,
                     **kwargs: Any) -> None:
            # py3langid would make its offsets of 256-column rows from tk_row (4 MiB of
            # ints, thrown away at once): it is given no rows, and the offsets are made here.
            super().__init__(*args, tk_row=array(tk_row.typecode), **kwargs)
            self.tk_row = tk_row  # type: ignore[misc]  # a slot of py3langid's class
            self._byte_classes = byte_classes
            width = max(byte_classes) + 1
            # One int object per row, shared by the states that have it (104,583 states,
            # 38,346 rows): 2 MiB less than one per state.
            offsets = {r: r * width for r in set(tk_row)}
            self._rowbase = list(map(offsets.__getitem__, tk_row))  # type: ignore[misc]

        def _encode(self, text: Any) -> bytes:
            return super()._encode(text).translate(self._byte_classes)  # type: ignore[no-any-return]

    return ClassedIdentifier


@once
def _identifier() -> Any:
    import numpy as np

    with np.load(latin_model_path(), allow_pickle=False) as data:
        ptc, pc, classes, row, out_feat = (data[k] for k in _MODEL_ARRAYS if k != "nextmove")
        byte_class, nextmove = _tables(data)
    # Each state's feature (-1 for none) as an array of C ints, not a list of Python ints:
    # 0.4 MB where the list held 3.9 MiB (100,053 distinct ints), for a walk about 15%
    # slower (3 microseconds per StockTwits text, each int made as it is read).
    features = array("i", out_feat.astype(np.int32).tobytes())
    return _identifier_class()(ptc, pc, classes.tolist(), nextmove, features,
                               norm_probs=False, tk_row=_as_array(row),
                               byte_classes=byte_class)


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
