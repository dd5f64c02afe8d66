"""Turn a file's bytes into text: UTF-8 (with or without BOM), UTF-16 (a spreadsheet's
"Unicode text" export), else the encoding that charset-normalizer finds among those posts
come in (GB18030, Big5, Shift-JIS, Latin-1)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from tracker.errors import SourceError

# The encodings exports and saved pages come in besides UTF-8. Detection among a few is
# both faster and surer than among all: Big5 told apart from GB18030 is what matters.
CANDIDATES = ("gb18030", "big5", "shift_jis", "euc_kr", "cp1252", "latin_1")
# Above this share of odd characters (charset-normalizer's "chaos"), a guess is a guess.
_CHAOS_SURE = 0.1


@dataclass(frozen=True)
class Decoded:
    """A file's text, the encoding it was read in, and a note when that was a guess."""

    text: str
    encoding: str
    note: str | None = None

# GB18030 decodes nearly any byte string, so a file of binary junk would pass as Chinese;
# NUL bytes and a high share of control characters say "binary" before we try it.
_CONTROL_OK = {"\n", "\r", "\t", "\f", "\v"}


def _looks_binary(data: bytes) -> bool:
    return b"\x00" in data[:65536]


def _mostly_text(text: str) -> bool:
    if not text:
        return True
    sample = text[:20000]
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in _CONTROL_OK) or ch == "\ufffd")
    return bad / len(sample) < 0.01


def utf16_encoding(data: bytes) -> str | None:
    """The UTF-16 encoding `data` is in, from its byte-order mark or, without one, from NUL
    bytes on one side of each pair only (ASCII text in UTF-16 is half NUL); else None."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf-16"
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd * 4 >= len(sample) // 2 and even == 0:
        return "utf-16-le"
    if even * 4 >= len(sample) // 2 and odd == 0:
        return "utf-16-be"
    return None


# What a Latin-1 (cp1252) line holds above ASCII: accented letters and typographic
# punctuation. GB18030's Chinese bytes, read as cp1252, nearly always include one of the
# other signs (B0-BF, the commonest characters' lead bytes, are ±²³ and the like).
_LATIN_PLAUSIBLE = frozenset("ŠšŒœŽžŸƒ…“”‘’–—€•™«»°·¡¿\u00a0©®£") | frozenset(
    chr(c) for c in range(0xC0, 0x100) if chr(c) not in "×÷")


_NAMES = {"cp1252": "Latin-1 (cp1252)", "gb18030": "GB18030"}


def _gb2312(char: str) -> bool:
    """Whether `char` is in GB2312, where nearly all of a Chinese post's characters are."""
    raw = char.encode("gb18030")
    return len(raw) == 2 and 0xA1 <= raw[0] <= 0xF7 and 0xA1 <= raw[1] <= 0xFE


def decode_line(raw: bytes) -> tuple[str, str]:
    """A line that is not UTF-8, and the encoding it was read in: GB18030, unless it is not
    GB18030 at all, or its bytes read as Latin text (cp1252) and as GB18030 give mostly
    characters outside GB2312, the mojibake of Latin-1 accents ("Crème" read as "Cr鑝e").

    On the development posts: no Chinese line or snippet of the xueqiu set (13,932) was
    taken for Latin-1, and 1,793 of 1,801 English lines holding accents saved as cp1252
    were read right (the others hold signs such as ¢ or ¥ and stay GB18030).
    """
    try:
        chinese: str | None = raw.decode("gb18030")
    except UnicodeDecodeError:
        chinese = None
    try:
        latin = raw.decode("cp1252")
    except UnicodeDecodeError:  # five bytes cp1252 leaves undefined
        latin = raw.decode("latin_1")
    if chinese is None:
        return latin, "cp1252"
    if all(ch < "\x80" or ch in _LATIN_PLAUSIBLE for ch in latin):
        wide = [ch for ch in chinese if ch >= "\x80"]
        if 2 * sum(not _gb2312(ch) for ch in wide) >= len(wide):
            return latin, "cp1252"
    return chinese, "gb18030"


def _not_gbk(raw: bytes) -> bool:
    """Whether a line that is UTF-8 beyond ASCII is surely no GBK line that happens to be
    valid UTF-8 too (a short one may be): as GB18030 it is no text, or mostly characters
    outside GB2312, the mojibake of UTF-8 Chinese ("贵州" read as "璐靛窞")."""
    try:
        chinese = raw.decode("gb18030")
    except UnicodeDecodeError:
        return True
    wide = [ch for ch in chinese if ch >= "\x80"]
    return 2 * sum(not _gb2312(ch) for ch in wide) >= len(wide) or _latin_words(raw)


def _gbk_as_utf8(raw: bytes) -> bool:
    """Whether a line that is valid UTF-8 reads as GBK Chinese rather than as text: as
    GB18030 it is all GB2312 characters, and as UTF-8 it holds no CJK character and only
    letters, combining marks or unassigned code points beyond ASCII (`2,茅台` in GBK is
    `2,ę́` in UTF-8). Said of a line in a file that holds GB18030 lines too.

    On the development posts: 1,304 of the 1,349 GBK snippets that are valid UTF-8 (each
    Chinese post's first 1 to 16 characters after a row number) pass, and none of their
    4,872 Chinese or 3,318 non-ASCII English posts saved as UTF-8 (£, ¢, ° and « are signs,
    not letters)."""
    try:
        chinese = raw.decode("gb18030")
    except UnicodeDecodeError:
        return False
    if (not all(ch < "\x80" or _gb2312(ch) for ch in chinese) or _latin_words(raw)
            or _alphabet_words(raw)):
        return False
    for ch in raw.decode("utf-8"):
        if ch < "\x80":
            continue
        kind = unicodedata.category(ch)
        if kind[0] not in "LMC" or kind in ("Cc", "Cf", "Cs") or _cjk(ch):
            return False
    return True


# Letters of the modern Greek (with tonos) and Russian Cyrillic alphabets, the ranges a
# Greek or Russian line is written in.
_ALPHABETS = (re.compile("[\u0386\u0388-\u038a\u038c\u038e-\u03a1\u03a3-\u03ce]+"),
              re.compile("[\u0400-\u045f]+"))
_WORD = re.compile(r"[^\W\d_]+")


def _alphabet_words(raw: bytes) -> bool:
    """Whether a UTF-8 line is Greek or Russian text: its characters beyond ASCII are all
    letters of one of the two alphabets, and one word of them has three or more letters,
    not one letter repeated, in one case or capitalised (`как дела`, `και`, `ΟΤΕ`). A GBK
    line whose bytes are valid UTF-8 reads as such letters for some characters (`小小` is
    `СС`, `谢谢` `лл`, `为维` `Ϊά`), mixed with rarer ones and in short runs: of the 45,118
    substrings of 1 to 16 characters of the development set's Chinese posts whose GBK bytes
    are valid UTF-8, none passes. Shorter Greek or Russian words (`да`) do not either."""
    text = raw.decode("utf-8")
    wide = {ch for ch in text if ch >= "\x80"}
    for alphabet in _ALPHABETS:
        if wide and all(alphabet.fullmatch(ch) for ch in wide):
            return any(len(word) >= 3 and len(set(word.lower())) > 1
                       and (word.islower() or word.isupper() or word.istitle())
                       for word in _WORD.findall(text) if alphabet.fullmatch(word))
    return False


def _cjk(char: str) -> bool:
    return unicodedata.name(char, "").startswith(("CJK", "HIRAGANA", "KATAKANA", "HANGUL"))


def _latin_words(raw: bytes) -> bool:
    """Whether a UTF-8 line's only non-ASCII characters are accented Latin letters inside
    words (`Crème brûlée`, `Größe`, `São`): each beside an ASCII letter. GBK Chinese that
    happens to be valid UTF-8 comes out as such letters only for characters of seven rows
    (lead bytes C3-C9) and in runs, one per character, never beside an ASCII letter; as
    GB18030 `Crème` is `Cr猫me`, all GB2312, so `_not_gbk`'s own test took it for GBK and a
    CSV of one such row and one GBK row was read whole as Shift-JIS or refused."""
    text = raw.decode("utf-8")
    found = False
    for i, ch in enumerate(text):
        if ch < "\x80":
            continue
        if not ch.isalpha() or not unicodedata.name(ch, "").startswith("LATIN"):
            return False
        beside = text[i - 1:i] + text[i + 1:i + 2]
        if not any(c.isascii() and c.isalpha() for c in beside):
            return False
        found = True
    return found


def _mostly_utf8(data: bytes) -> Decoded | None:
    """`data` read line by line when it is UTF-8 but for a few lines (a row pasted from a
    Latin-1 spreadsheet into a UTF-8 CSV): those lines as `decode_line` reads them, the rest
    as UTF-8, rather than the whole file in one guessed encoding (or none), which cost every
    row for one. None when the lines that are UTF-8 beyond ASCII do not outnumber the others
    (then the file is in another encoding), unless one of them is surely no GBK (`_not_gbk`:
    a 雪球 export's GBK rows pasted into a UTF-8 CSV, as many as its own or more, made the
    whole file GB18030 and its UTF-8 rows mojibake)."""
    lines = data.split(b"\n")
    texts: list[str] = []
    bad: list[int] = []
    read_as: set[str] = set()
    utf8 = sure = 0
    maybe_gbk: list[int] = []
    for number, raw in enumerate(lines, start=1):
        try:
            texts.append(raw.decode("utf-8-sig" if number == 1 else "utf-8"))
            if not raw.isascii():
                utf8 += 1
                surely = _not_gbk(raw)
                sure += surely
                if not surely and _gbk_as_utf8(raw.removeprefix(b"\xef\xbb\xbf")):
                    maybe_gbk.append(number)
        except UnicodeDecodeError:
            text, encoding = decode_line(raw)
            texts.append(text)
            read_as.add(encoding)
            bad.append(number)
            if len(bad) >= 100 and len(bad) > utf8 and not sure:
                return None  # a file in another encoding: not worth a pass to its end
    if utf8 <= len(bad) and not sure:
        return None
    if "gb18030" in read_as and maybe_gbk:
        # The file's other lines are GBK: a short GBK line whose bytes happen to be UTF-8
        # too (`2,茅台` read as `2,ę́`) is one of them, not the rare UTF-8 line it spells.
        for number in maybe_gbk:
            texts[number - 1] = lines[number - 1].removeprefix(b"\xef\xbb\xbf").decode(
                "gb18030")
        bad = sorted(bad + maybe_gbk)
    else:
        maybe_gbk = []
    shown = ", ".join(str(n) for n in bad[:3]) + (", ..." if len(bad) > 3 else "")
    lines_said = f"line {shown} is" if len(bad) == 1 else f"{len(bad):,} lines ({shown}) are"
    names = " or ".join(_NAMES[e] for e in sorted(read_as, reverse=True))
    also = ""
    if maybe_gbk:
        shown = ", ".join(str(n) for n in maybe_gbk[:3]) + (", ..." if len(maybe_gbk) > 3
                                                            else "")
        also = (f" (of them, {'line' if len(maybe_gbk) == 1 else 'lines'} {shown} would read "
                "as UTF-8 too, but not as text: GBK, like the others)")
    return Decoded("\n".join(texts), "utf-8",
                   f"{lines_said} not UTF-8, unlike the rest{also}; read as {names}, a guess; "
                   "if that text looks wrong, convert those lines to UTF-8")


def decode_file(data: bytes, path: str) -> Decoded:
    """Decode `data` read from `path`, saying which encoding was used and whether it was a
    guess; or raise SourceError naming the file."""
    encoding = utf16_encoding(data)
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            text = None
        if text is not None and _mostly_text(text):
            return Decoded(text, encoding)  # else binary after all: reported below
    if _looks_binary(data):
        # A stray NUL in a UTF-8 text file costs that byte, not the file (JSON Lines files
        # are read per line and report the line instead).
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = None
        nuls = text.count("\x00") if text is not None else 0
        if text is not None and nuls <= max(3, len(text) // 100):
            text = text.replace("\x00", "")
            if _mostly_text(text):
                return Decoded(text, "utf-8",
                               f"{nuls:,} NUL byte{'s' if nuls > 1 else ''} removed")
        raise SourceError(path, "binary file (NUL bytes), not UTF-8, UTF-16 or text in another "
                          "known encoding; skipped")
    try:
        return Decoded(data.decode("utf-8-sig"), "utf-8")
    except UnicodeDecodeError as exc:
        # A file cut mid-character by a scraper is still UTF-8: keep all but the torn tail.
        if exc.reason == "unexpected end of data" and len(data) - exc.start < 4:
            return Decoded(data[: exc.start].decode("utf-8-sig"), "utf-8")
        bad_at = exc.start
    mixed = _mostly_utf8(data)
    if mixed is not None:
        return mixed
    # Imported only for a file that is not UTF-8: 0.01 s of every start otherwise.
    import charset_normalizer

    matches = charset_normalizer.from_bytes(data, cp_isolation=list(CANDIDATES))
    best = matches.best()
    if best is None:
        raise SourceError(
            path,
            f"not UTF-8 (bad byte at offset {bad_at}), nor GB18030, Big5, Shift-JIS or "
            "Latin-1 text; convert it to UTF-8 (e.g. iconv -f <encoding> -t utf-8) and "
            "ingest again",
        )
    others = [m.encoding for m in matches if m.encoding != best.encoding]
    if others:
        # A short text fits several encodings and the detector's pick is close to chance;
        # the first candidate that fits, in CANDIDATES' order (Chinese first), is likelier.
        fits = {m.encoding: m for m in matches}
        best = next(fits[name] for name in CANDIDATES if name in fits)
        others = [m.encoding for m in matches if m.encoding != best.encoding]
    text = str(best)
    if not _mostly_text(text):
        raise SourceError(path, "not text in a known encoding (looks binary); skipped")
    note = None
    if others or best.chaos > _CHAOS_SURE:
        also = f" (it could also be {', '.join(others)})" if others else ""
        note = (f"not UTF-8; read as {best.encoding}, a guess{also}; if the text looks "
                "wrong, convert the file to UTF-8")
    return Decoded(text, best.encoding, note)
