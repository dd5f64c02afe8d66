"""Turn HTML (whole pages or inline spans in text) into plain text, keeping security tags."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

_BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav",
    "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
}
_SKIP_TAGS = {"script", "style", "noscript", "template", "svg"}
# What may stand in <head>. As in a browser, any other element, or text, ends the head even
# without </head>: a page missing it kept none of its body.
_HEAD_TAGS = {"base", "link", "meta", "noscript", "script", "style", "template", "title"}
_VOID_TAGS = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed",
              "source", "track", "wbr"}
_TAG_RE = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9-]*|/[a-zA-Z]|!--)")
# A comment or CDATA section left open at the end; not a tag cut short, which in a post's
# text is most often a sign ("X<N", "<Crypto & Gold"), not markup.
_UNFINISHED = re.compile(r"<!(?:--|\[CDATA\[)")
_WS_RE = re.compile(r"[ \t\r\n\f\v]+")
_COUNTER_ID_RE = re.compile("counter_id", re.IGNORECASE)
# What a security tag writes inside itself: Longbridge's `$Apple Inc.(AAPL.US)`, 雪球's
# `$腾讯控股(00700)$`, else one word. A tag left unclosed ends there, not at the end of its
# parent or of the post, which would take every mention after it as part of the tag.
_TAG_LABEL_RE = re.compile(r"\s*(?:\$[^\s$()<>][^\n$()<>]{0,80}\([^\s()]{1,24}\)\$?|\S+)")


# Where a page states its own publication time, best first.
_META_DATES = ("article:published_time", "og:published_time", "datepublished", "pubdate",
               "publishdate", "date", "dc.date", "dcterms.created")


@dataclass(frozen=True)
class TagSpan:
    """A security-tag element: where its text lies in the output, and what it names."""

    start: int
    end: int
    counter_id: str
    name: str | None


def tag_attrs(attrs: list[tuple[str, str | None]]) -> dict[str, str]:
    """A start tag's attributes by lower-case name. Of one given twice the first counts, as
    in a browser (the HTML standard drops the later ones); a dict of the pairs kept the last,
    so `counter_id="ST/US/TSLA" counter_id="ST/US/NVDA"` around `$Tesla(TSLA.US)` was NVDA."""
    amap: dict[str, str] = {}
    for key, value in attrs:
        amap.setdefault(key.lower(), value or "")
    return amap


class _FirstTag(HTMLParser):
    """The attributes of the first start tag fed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attrs: list[tuple[str, str | None]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.attrs is None:
            self.attrs = attrs


def doubled_counter_ids(text: str) -> list[list[str]]:
    """The differing `counter_id` values of each tag in `text` that gives more than one, in
    order (`tag_attrs` reads the first): what the reader warns of, naming the record.

    Only a tag holding two `counter_id`s is parsed, so a post pays one scan for the word."""
    hits = [m.start() for m in _COUNTER_ID_RE.finditer(text)]
    if len(hits) < 2:
        return []
    # Each hit's tag starts at the last "<" before it: after the hit before, or that one's.
    # Every search is bounded by its neighbours, so the scan stays linear in the text.
    per_tag: dict[int, list[int]] = {}
    start, after = -1, 0
    for at in hits:
        start = max(start, text.rfind("<", after, at))
        per_tag.setdefault(start, []).append(at)
        after = at
    starts = sorted(per_tag)
    found = []
    for start, bound in zip(starts, [*starts[1:], len(text)], strict=True):
        held = per_tag[start]
        end = text.find(">", held[-1], bound)
        if start < 0 or end < 0 or len(held) < 2:
            continue
        reader = _FirstTag()
        reader.feed(text[start:end + 1])
        values = [(v or "").strip() for k, v in reader.attrs or [] if k == "counter_id"]
        distinct = list(dict.fromkeys(values))
        if len(distinct) > 1:
            found.append(distinct)
    return found


def looks_like_html(text: str) -> bool:
    """True when `text` holds at least one tag, so the HTML parser is worth running."""
    return _TAG_RE.search(text) is not None


class _Converter(HTMLParser):
    def __init__(self, collapse: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.collapse = collapse
        self.parts: list[str] = []
        self.length = 0
        self.skip_depth = 0
        self.title: str | None = None
        self._in_title = False
        self._title_done = False
        self._in_head = False
        # Open elements: (tag, security-tag attrs or None, start offset).
        self.stack: list[tuple[str, dict[str, str] | None, int]] = []
        self.spans: list[TagSpan] = []
        # Security tags closed by something other than their own end tag (a parent's end
        # tag, the end of the input): finish() trims each to its label.
        self._unclosed: set[int] = set()
        # Publication times the page states in <meta> (by name) and the first <time datetime>.
        self.meta_dates: dict[str, str] = {}
        self.time_datetime: str | None = None

    def _date_attrs(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            amap = {k.lower(): (v or "") for k, v in attrs}
            key = (amap.get("property") or amap.get("name") or amap.get("itemprop") or "")
            if key.lower() in _META_DATES and amap.get("content"):
                self.meta_dates.setdefault(key.lower(), amap["content"].strip())
        elif tag == "time" and self.time_datetime is None:
            value = next((v for k, v in attrs if k.lower() == "datetime" and v), None)
            if value:
                self.time_datetime = value.strip()

    @property
    def published(self) -> str | None:
        for key in _META_DATES:
            if key in self.meta_dates:
                return self.meta_dates[key]
        return self.time_datetime

    def _emit(self, text: str) -> None:
        if text:
            self.parts.append(text)
            self.length += len(text)

    def _newline(self) -> None:
        if self.parts and not self.parts[-1].endswith("\n"):
            self._emit("\n")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("meta", "time"):
            self._date_attrs(tag, attrs)
        if self._in_title and (tag == "body" or tag in _BLOCK_TAGS):
            # A <title> left open ends where the body starts: it took the whole page, and
            # the post was "empty after cleaning".
            self._end_title()
        if tag == "head":
            self._in_head = True
            return
        if self._in_head and tag not in _HEAD_TAGS:
            self._in_head = False
        if tag in _SKIP_TAGS:
            self.skip_depth += 1
            return
        if tag == "title":
            self._in_title = True
            return
        if tag in _BLOCK_TAGS:
            self._newline()
        if tag in _VOID_TAGS:
            return
        amap = tag_attrs(attrs)
        is_tag = "security-tag" in amap.get("class", "").split() or "counter_id" in amap
        self.stack.append((tag, amap if is_tag else None, self.length))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("meta", "time"):
            self._date_attrs(tag, attrs)
        if tag in _BLOCK_TAGS:
            self._newline()

    def _end_title(self) -> None:
        self._in_title = False
        # The page's title is its first: an SVG icon's <title> ("Close", "Share") and any
        # later one were run on to it.
        self._title_done = self.title is not None

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self._in_head = False
            if self._in_title:
                self._end_title()
            return
        if tag in _SKIP_TAGS:
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        if tag == "title":
            self._end_title()
            return
        # Close up to the matching open tag; browsers forgive unclosed inner tags, so do we.
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                for open_tag in reversed(self.stack[i + 1:]):
                    self._close(open_tag, unclosed=True)
                self._close(self.stack[i])
                del self.stack[i:]
                break
        if tag in _BLOCK_TAGS:
            self._newline()

    def _close(self, open_tag: tuple[str, dict[str, str] | None, int], *,
               unclosed: bool = False) -> None:
        _, amap, start = open_tag
        if amap is not None and self.length > start:
            if unclosed:
                self._unclosed.add(len(self.spans))
            self.spans.append(TagSpan(start, self.length, amap.get("counter_id", ""),
                                      amap.get("name") or None))

    def handle_data(self, data: str) -> None:
        if self._in_title:
            if not self.skip_depth and not self._title_done:
                self.title = (self.title or "") + data
            return
        if self.skip_depth:
            return
        if self._in_head:
            if not data.strip():
                return
            self._in_head = False
        if self.collapse:
            data = _WS_RE.sub(" ", data)
        self._emit(data)

    def finish(self) -> tuple[str, list[TagSpan], str | None]:
        if _UNFINISHED.match(self.rawdata):
            # A comment or CDATA left open at the end: a browser hides it to the end, where
            # HTMLParser.close() made text of it, so a commented-out "<!-- <p>$TSLA" was a
            # mention.
            self.rawdata = ""
        self.close()
        for open_tag in reversed(self.stack):
            self._close(open_tag, unclosed=True)
        self.stack.clear()
        text = "".join(self.parts)
        for i in self._unclosed:
            self.spans[i] = _trim_to_label(text, self.spans[i])
        spans = sorted((s for s in self.spans if s.end > s.start), key=lambda s: (s.start, -s.end))
        title = _WS_RE.sub(" ", self.title).strip() if self.title else None
        return text, spans, title


def _trim_to_label(text: str, span: TagSpan) -> TagSpan:
    """An unclosed security tag's span, ended after the label written in it."""
    match = _TAG_LABEL_RE.match(text, span.start, span.end)
    end = match.end() if match else span.start
    return TagSpan(span.start, end, span.counter_id, span.name)


@dataclass(frozen=True)
class HtmlPage:
    """What a page holds for the tracker: its text, security tags, title and stated date."""

    text: str
    tags: list[TagSpan]
    title: str | None
    published: str | None  # as written in <meta> or <time datetime>; parse_date_field reads it


def read_html(html: str, *, collapse_whitespace: bool) -> HtmlPage:
    """The page in `html`; see html_to_text."""
    conv = _Converter(collapse_whitespace)
    conv.feed(html)
    text, tags, title = conv.finish()
    return HtmlPage(text, tags, title, conv.published)


def html_to_text(html: str, *, collapse_whitespace: bool) -> tuple[str, list[TagSpan], str | None]:
    """Plain text of `html`, the security-tag spans in it, and the page's <title>.

    `collapse_whitespace` is for real HTML pages, where source line breaks mean nothing;
    text files with inline spans keep their own line breaks.
    """
    page = read_html(html, collapse_whitespace=collapse_whitespace)
    return page.text, page.tags, page.title
