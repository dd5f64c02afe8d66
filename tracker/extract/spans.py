"""Spans of a post that name no security: user handles, replies, URLs, e-mail addresses and
雪球 portfolios.

A handle like `@做招商茅台安克股东`, a link like `https://example.com/TSLA` or a portfolio's tag
like `$替换创50为科创50(ZH2484018)$` holds company names and symbols that nobody meant as a
mention; extraction skips these spans.
"""

from __future__ import annotations

import re

# 回复@name: and @name (Weibo and 雪球 handles hold Chinese characters), e-mail addresses and
# links. An e-mail address is tried first so that its "@domain" is not taken for a handle.
# A link's scheme in any case, and `WWW.` or `Www.` opening a host as `www.` does: a post in
# capitals writes `HTTPS://WWW.FINVIZ.COM/quote.ashx?t=WKHS` (the symbols in it were read as
# mentions where neither the scheme nor `www.` was in lower case). Not `WWW.` ending a word
# or before more dots ("WOWWW....", "AWWW.").
_OPAQUE = re.compile(
    r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+"
    r"|(?:(?i:https?://)|www\.|(?<!\w)(?:WWW|Www)\.(?=\w))[^\s<>\"'（）()【】，。]+"
    r"|(?:回复|回覆)?@[\w\-·]+[:：]?"
    # A 雪球 portfolio (组合) is tagged like a share, with a ZH code: its name is the owner's
    # (`$贵州茅台(ZH2475384)$`), and a portfolio is no traded security (docs/labelling.md).
    r"|\$[^$\n]{1,40}\(ZH\d{5,9}\)\$"
)


def opaque_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each handle, URL, e-mail address and portfolio tag in `text`, in
    order."""
    if ("@" not in text and "://" not in text and "(ZH" not in text
            and "www." not in text and "WWW." not in text and "Www." not in text):
        return []
    return [m.span() for m in _OPAQUE.finditer(text)]
