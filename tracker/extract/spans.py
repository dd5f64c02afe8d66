"""Spans of a post that name no security: user handles, replies, URLs and e-mail addresses.

A handle like `@做招商茅台安克股东` or a link like `https://example.com/TSLA` holds company names
and symbols that nobody meant as a mention; extraction skips these spans.
"""

from __future__ import annotations

import re

# 回复@name: and @name (Weibo and 雪球 handles hold Chinese characters), e-mail addresses and
# links. An e-mail address is tried first so that its "@domain" is not taken for a handle.
_OPAQUE = re.compile(
    r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+"
    r"|(?:https?://|www\.)[^\s<>\"'（）()【】，。]+"
    r"|(?:回复|回覆)?@[\w\-·]+[:：]?"
)


def opaque_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each handle, URL and e-mail address in `text`, in order."""
    if "@" not in text and "www." not in text and "://" not in text:
        return []
    return [m.span() for m in _OPAQUE.finditer(text)]
