"""Turn a file's bytes into text: UTF-8 (with or without BOM), UTF-16 (a spreadsheet's
"Unicode text" export), else GB18030/GBK."""

from __future__ import annotations

from tracker.errors import SourceError

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


def _utf16(data: bytes) -> str | None:
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


def decode_bytes(data: bytes, path: str) -> str:
    """Decode `data` read from `path`, or raise SourceError naming the file."""
    encoding = _utf16(data)
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            text = None
        if text is not None and _mostly_text(text):
            return text  # else binary after all: reported below
    if _looks_binary(data):
        raise SourceError(path, "binary file (NUL bytes), not UTF-8, UTF-16 or GB18030 text; "
                          "skipped")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # A file cut mid-character by a scraper is still UTF-8: keep all but the torn tail.
        if exc.reason == "unexpected end of data" and len(data) - exc.start < 4:
            return data[: exc.start].decode("utf-8-sig")
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise SourceError(
            path,
            f"not UTF-8 or GB18030/GBK text (bad byte at offset {exc.start}); "
            "convert it to UTF-8 (e.g. iconv -f <encoding> -t utf-8) and ingest again",
        ) from exc
    if not _mostly_text(text):
        raise SourceError(path, "not UTF-8 or GB18030/GBK text (looks binary); skipped")
    return text
