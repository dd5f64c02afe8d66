"""Split cleaned text into sentences with offsets, and tell each one's language."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from itertools import accumulate

from tracker.extract.text.languages import latin_lang
from tracker.extract.text.lazy_pattern import lazy_pattern
from tracker.extract.text.patterns import CJK, SENTENCE_END, is_cjk

_END = lazy_pattern(SENTENCE_END)
_ABBREV = {"inc", "corp", "co", "ltd", "plc", "mr", "mrs", "ms", "dr", "vs", "etc", "e.g",
           "i.e", "u.s", "u.k", "no", "st", "jr", "sr", "jan", "feb", "mar", "apr", "jun", "jul",
           "aug", "sep", "sept", "oct", "nov", "dec", "approx", "est"}
# A "sentence" longer than this (a post without punctuation, a table flattened to text) is
# cut at a space or comma: each mention stores its sentence, and scorers read it whole.
MAX_SENTENCE_CHARS = 1000
_SOFT_BREAKS = frozenset(" \t,，、;；:：")
_WORD_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.")
# Longer than every abbreviation: a word before a period is read back this far at most, so
# a 200,000-letter word (or a line of 99,000 short sentences) costs linear time.
_ABBREV_REACH = max(map(len, _ABBREV)) + 1

_EN = frozenset("the and is are was were of to in that this it for on with as be by not but "
                "have has at from will its an or they you we he she what which who would could "
                "there their been more than about into can all my me just if how".split())
_OTHER = {
    "es": frozenset("el la los las de que y en un una es por para con del se su al lo como "
                    "más pero sus le ya este esta son entre".split()),
    "fr": frozenset("le la les des et est un une du que qui dans pour pas sur au avec ce il "
                    "elle sont aux ces".split()),
    "de": frozenset("der die das und ist nicht ein eine zu den mit von sich auf für dem des "
                    "im wir sie es".split()),
    "pt": frozenset("o os as um uma não que em com para do da dos das no na se por mais".split()),
}
_WORD = lazy_pattern(r"[A-Za-zÀ-ÿ']+")
# Words (cashtag letters included) of a line short enough for the finance rule above.
_SHORT_WORDS = 12
_KANA_CHAR = lazy_pattern("[\u3040-\u30ff]")
_HANGUL_CHAR = lazy_pattern("[\uac00-\ud7af]")
_LATIN_CHAR = lazy_pattern("[A-Za-z\u00c0-\u00ff]")
_ASCII_LETTER = lazy_pattern("[A-Za-z]")
_LANG_ORDER = ("en", *_OTHER)
# Each function word and the languages it belongs to, so a sentence's words are read once.
_FUNCTION_WORDS: dict[str, tuple[str, ...]] = {}
for _lang, _vocab in (("en", _EN), *_OTHER.items()):
    for _w in _vocab:
        _FUNCTION_WORDS[_w] = (*_FUNCTION_WORDS.get(_w, ()), _lang)


def split_sentences(text: str, protect: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """(start, end) of each sentence: lines split after end punctuation.

    Never splits inside a `protect` span (a mention such as "$Apple Inc.(AAPL.US)") or after
    a common abbreviation; a run-on longer than MAX_SENTENCE_CHARS is cut at a space or
    comma. Spans exclude surrounding whitespace; empty ones are dropped.
    """
    spans: list[tuple[int, int]] = []
    # Protected spans sorted by start, so "is this cut inside one?" is a bisection.
    guarded = sorted(protect)
    guard_starts = [s for s, _ in guarded]
    guard_reach = list(accumulate((e for _, e in guarded), max))

    def protected(cut: int) -> bool:
        i = bisect_left(guard_starts, cut)  # spans starting before the cut
        return i > 0 and guard_reach[i - 1] > cut

    pos = 0
    for line in text.split("\n"):
        line_start, line_end = pos, pos + len(line)
        pos = line_end + 1
        start = line_start
        for match in _END.finditer(text, line_start, line_end):
            cut = match.end()
            if protected(cut):
                continue
            if match.group().startswith(".") and len(match.group()) == 1:
                word = _word_before(text, line_start, match.start())
                nxt = text[cut:cut + 1]
                if word and (word.lower() in _ABBREV or len(word) == 1):
                    continue
                if nxt and not nxt.isspace() and not is_cjk(nxt):
                    continue  # 3.5, U.S.A, example.com
            _add(text, start, cut, guard_starts, guard_reach, spans)
            start = cut
        _add(text, start, line_end, guard_starts, guard_reach, spans)
    return spans


def _add(text: str, s: int, e: int, guard_starts: list[int], guard_reach: list[int],
         spans: list[tuple[int, int]]) -> None:
    # text[s:e] appended to `spans` as one sentence or more (split_sentences). Not a closure
    # inside split_sentences: one that calls itself is a reference cycle, which kept each
    # post's spans and texts alive until the next collection (docs/performance.md,
    # "one-post ingest's fixed cost, branch speed29").
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    while e - s > MAX_SENTENCE_CHARS:
        cut = _soft_break(text, s, s + MAX_SENTENCE_CHARS)
        i = bisect_left(guard_starts, cut)
        if i > 0 and guard_reach[i - 1] > cut:
            cut = guard_reach[i - 1]  # never inside a mention: cut after it
        if cut >= e:
            break
        _add(text, s, cut, guard_starts, guard_reach, spans)
        s = cut
        while s < e and text[s].isspace():
            s += 1
    if s < e:
        spans.append((s, e))


def _word_before(text: str, start: int, end: int) -> str:
    """The word of letters and dots that ends at `end` (from its first letter), read back no
    further than an abbreviation could reach; "" when there is none or it is longer."""
    i = end
    floor = max(start, end - _ABBREV_REACH)
    while i > floor and text[i - 1] in _WORD_CHARS:
        i -= 1
    if i == floor:
        # The word may go on: it is too long to matter unless only dots come before.
        j = i
        while j > start and text[j - 1] == ".":
            j -= 1
        if j > start and text[j - 1] in _WORD_CHARS:
            return ""
    while i < end and text[i] == ".":
        i += 1
    return text[i:end]


def _soft_break(text: str, start: int, limit: int) -> int:
    """Where to cut a run-on sentence at or before `limit`: after a space or comma if one is
    in the second half of the window, else at `limit` itself."""
    half = start + (limit - start) // 2
    for i in range(limit, half, -1):
        if text[i - 1] in _SOFT_BREAKS:
            return i
    return limit


def detect_lang(text: str, finance: bool = False) -> str:
    """zh, ja, ko, or a Latin-script language (tracker.extract.text.languages.LATIN_LANGS) for one
    sentence; "und" when it has no letters.

    Script decides CJK; among Latin-script languages, py3langid's model does where the
    sentence has words enough, else function words, and English wins ties, since a bare
    "$ASML(ASML.US)" line in an English post is English. With `finance` (the post names a
    security), a short sentence with two English function words and fewer of any other
    language's is English without the model, and the model must put another language well ahead of
    English to win one (languages.latin_lang).
    """
    lang = _script_lang(text)
    if lang is not None:
        return lang
    words = _WORD.findall(text)
    hits = _function_word_hits(words)
    lang = _function_word_rule(words, hits, finance)
    if lang is not None:
        return lang
    lang = latin_lang(text, finance)
    return lang if lang is not None else _function_word_lang(hits)


def detect_langs(texts: Sequence[str], finance: Sequence[bool]) -> list[str]:
    """`detect_lang` of each of `texts` (with its `finance`), the sentences that need the
    model read by it all at once (language_batch.latin_langs): the same answers, for a batch's
    sentences at a fraction of the model's cost."""
    out: list[str] = []
    asked: list[tuple[int, str, bool, dict[str, int]]] = []
    for text, in_finance in zip(texts, finance, strict=True):
        lang = _script_lang(text)
        if lang is None:
            words = _WORD.findall(text)
            hits = _function_word_hits(words)
            lang = _function_word_rule(words, hits, in_finance)
            if lang is None:
                asked.append((len(out), text, in_finance, hits))
        out.append(lang or "")
    if asked:
        # Here, not at the top: numpy is no import of `tracker -h`.
        from tracker.extract.text.language_batch import latin_langs

        found = latin_langs([a[1] for a in asked], [a[2] for a in asked])
        for (i, _text, _finance, hits), lang in zip(asked, found, strict=True):
            out[i] = lang if lang is not None else _function_word_lang(hits)
    return out


def _script_lang(text: str) -> str | None:
    # The language the script decides (CJK, kana, hangul, or no letters: "und"); None for
    # a Latin-script sentence, which words and the model decide.
    if text.isascii():
        # No CJK, kana or hangul can be in it: half of all sentences skip three scans.
        return "und" if _ASCII_LETTER.search(text) is None else None
    # Counting by regex runs in C: about twice as fast as a loop over the characters.
    cjk = len(CJK.findall(text))
    kana = len(_KANA_CHAR.findall(text))
    hangul = len(_HANGUL_CHAR.findall(text))
    latin = len(_LATIN_CHAR.findall(text))
    # One CJK character, kana or hangul syllable carries about as much as a short Latin
    # word: a few kana in an English line are an emoticon ("༼ つ ◕_◕ ༽つ LONG"), not Japanese.
    if kana and kana * 5 >= cjk and (kana + cjk) * 4 >= latin:
        return "ja"
    if hangul and hangul >= cjk and hangul * 4 >= latin:
        return "ko"
    if cjk and cjk * 4 >= latin:
        return "zh"
    if not latin:
        return "zh" if cjk else "und"
    return None


def _function_word_rule(words: list[str], hits: dict[str, int], finance: bool) -> str | None:
    # "en" where the function words leave no doubt (the model would agree, at a fraction
    # of its cost), else None.
    # Plainly English (a quarter of the words are English function words, and at least
    # four): no other language shares that many of these words (German "was", "will" and
    # Dutch "is", "in" fall short).
    if hits["en"] >= 4 and hits["en"] * 4 >= len(words) and all(
            hits[lang] * 3 <= hits["en"] for lang in _OTHER):
        return "en"
    # A short line of a finance post with two English function words and more of them
    # than of any other language's: "$TSLA is in the money", "Get in my bags". One is not
    # enough: "in" is Italian, German and Dutch too.
    if finance and hits["en"] >= 2 and len(words) <= _SHORT_WORDS and all(
            hits[lang] < hits["en"] for lang in _OTHER):
        return "en"
    return None


def _function_word_hits(words: list[str]) -> dict[str, int]:
    hits = dict.fromkeys(_LANG_ORDER, 0)
    for word in words:
        for lang in _FUNCTION_WORDS.get(word.lower(), ()):
            hits[lang] += 1
    return hits


def _function_word_lang(hits: dict[str, int]) -> str:
    best, best_hits = "en", hits["en"]
    for lang in _OTHER:
        if hits[lang] > best_hits and hits[lang] >= 2:
            best, best_hits = lang, hits[lang]
    return best
