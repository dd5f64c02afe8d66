"""HTML to text: security-tag spans survive with exact offsets; broken markup does not crash."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.extract.html import html_to_text, looks_like_html

SPAN = ('<span class="security-tag" counter_id="ST/US/{t}" name="{n}">${n}({t}.US)</span>')


def test_spans_keep_offsets_into_the_text() -> None:
    html = "<p>Bros, " + SPAN.format(t="TSLA", n="Tesla") + " fell.</p><p>Next</p>"
    text, spans, _ = html_to_text(html, collapse_whitespace=True)
    assert text == "Bros, $Tesla(TSLA.US) fell.\nNext\n"
    (span,) = spans
    assert text[span.start:span.end] == "$Tesla(TSLA.US)"
    assert span.counter_id == "ST/US/TSLA"


def test_unclosed_span_closes_at_the_end() -> None:
    text, spans, _ = html_to_text('x <span class="security-tag" counter_id="ST/US/A">$A',
                                  collapse_whitespace=False)
    assert [(text[s.start:s.end], s.counter_id) for s in spans] == [("$A", "ST/US/A")]


OPEN = '<span class="security-tag" counter_id="ST/US/{t}" name="{n}">'


@pytest.mark.parametrize(("html", "label"), [
    ("<p>Loving " + OPEN + "$Tesla(TSLA.US) today. Also $NVDA.</p><p>Next</p>", "$Tesla(TSLA.US)"),
    ("Loving " + OPEN + "$Apple Inc.(AAPL.US) and $NVDA", "$Apple Inc.(AAPL.US)"),
    ("看好" + OPEN + "$腾讯控股(00700)$ 还有 $NVDA", "$腾讯控股(00700)$"),
    ("Loving " + OPEN + "TSLA today. Also $NVDA", "TSLA"),
    ("Loving " + OPEN + "$Tesla(TSLA.US) <span class=x>$NVDA</span> up", "$Tesla(TSLA.US)"),
], ids=["closed-by-parent", "name-with-spaces", "xueqiu-form", "bare-word", "before-a-span"])
def test_an_unclosed_security_tag_ends_after_its_label(html: str, label: str) -> None:
    # It used to run to its parent's end or the post's, taking the $NVDA after it as its own.
    text, spans, _ = html_to_text(html.format(t="TSLA", n="Tesla"), collapse_whitespace=False)
    assert [text[s.start:s.end] for s in spans] == [label]
    assert "$NVDA" in text[spans[0].end:]


def test_an_unclosed_security_tag_leaves_later_mentions_to_find() -> None:
    from tracker.extract.cashtags import find_cashtags

    html = "<p>Loving " + OPEN.format(t="TSLA", n="Tesla") + "$Tesla(TSLA.US) and $NVDA</p>"
    text, spans, _ = html_to_text(html, collapse_whitespace=True)
    hits = find_cashtags(text, spans)
    assert [(h.ticker, h.kind) for h in hits] == [("TSLA", "security_tag"), ("NVDA", "cashtag")]


@pytest.mark.parametrize("tail", ["<!-- <p>$TSLA old</p>", "<![CDATA[ $TSLA"],
                         ids=["comment", "cdata"])
def test_a_comment_left_open_at_the_end_is_hidden(tail: str) -> None:
    # As a browser hides it; it was text, and the commented-out $TSLA a mention.
    text, _, _ = html_to_text("<p>$NVDA up</p>" + tail, collapse_whitespace=True)
    assert text == "$NVDA up\n"


@pytest.mark.parametrize(("html", "text"), [
    ("a < b and c <", "a < b and c <"),
    ("$NVDA up 5 <3 $TSLA", "$NVDA up 5 <3 $TSLA"),
    ("a <= b <p>x</p>", "a <= b \nx\n"),
    ("<p>$AABB</p> <Crypto & Gold 👑 offered 1,750 $ETH",
     "$AABB\n <Crypto & Gold 👑 offered 1,750 $ETH"),
    ("<b>新股</b>收益X<N，就这么简单 $茅台", "新股收益X<N，就这么简单 $茅台"),
], ids=["less-than", "heart", "less-or-equal", "sign-before-a-word", "sign-in-chinese"])
def test_a_less_than_sign_in_text_stays_text(html: str, text: str) -> None:
    # A post's "<Crypto" or "X<N" looks like a tag cut short; it is text, and what follows it
    # holds mentions.
    assert html_to_text(html, collapse_whitespace=False)[0] == text


@pytest.mark.parametrize("html", [
    "<head><title>Nvidia beats</title></head><body><svg><title>Close</title></svg>"
    "<p>$NVDA up</p><svg><title>Share</title></svg></body>",
    "<head><title>Nvidia beats</title></head><body><p>$NVDA up</p><title>Other</title></body>",
    "<head><title>Nvidia beats</head><body><p>$NVDA up</p></body>",
    "<svg><title>icon</title></svg><title>Nvidia beats</title><p>$NVDA up</p>",
    "<head><title>Nvidia beats</head><body><p>$NVDA up</p><title>Other</title></body>",
], ids=["svg-titles", "second-title", "title-left-open", "svg-title-first",
        "title-left-open-then-another"])
def test_the_title_is_the_pages_first_and_ends_where_the_body_starts(html: str) -> None:
    # SVG icons' titles were run on to the page's ("Nvidia beatsCloseShare"), and a title
    # left open took the whole page: the post was "empty after cleaning".
    text, _, title = html_to_text(html, collapse_whitespace=True)
    assert (title, text) == ("Nvidia beats", "$NVDA up\n")


def test_nested_spans_each_recorded() -> None:
    html = ('<span class="security-tag" counter_id="ST/US/A"><b>$A</b> '
            '<span class="security-tag" counter_id="ST/US/B">$B</span></span>')
    text, spans, _ = html_to_text(html, collapse_whitespace=False)
    assert sorted(text[s.start:s.end] for s in spans) == ["$A $B", "$B"]


def test_scripts_styles_and_title() -> None:
    html = ("<html><head><title>Big news</title><style>p{}</style></head>"
            "<body><script>var x='$TSLA'</script><p>A &amp; B</p></body></html>")
    text, spans, title = html_to_text(html, collapse_whitespace=True)
    assert "$TSLA" not in text and "A & B" in text and title == "Big news"


@pytest.mark.parametrize("html", [
    "<html><head><title>T</title><body><p>$NVDA is up</p>",  # no </head>
    "<html><head><meta charset=utf-8><p>$NVDA is up</p>",  # no <body> either
    "<head><title>T</title>\n$NVDA is up",  # text ends the head
], ids=["no-head-end", "no-body", "bare-text"])
def test_a_head_left_open_ends_where_a_browser_ends_it(html: str) -> None:
    # The whole body used to be skipped as part of <head>: the post was "empty after cleaning".
    text, _, title = html_to_text(html, collapse_whitespace=True)
    assert text.strip() == "$NVDA is up"
    assert title in ("T", None)


def test_what_stands_in_a_closed_head_stays_out() -> None:
    html = ("<html><head><title>T</title><style>p {}</style><script>x = 1</script>"
            "<noscript>enable js</noscript></head><body>$NVDA is up</body></html>")
    assert html_to_text(html, collapse_whitespace=True)[0] == "$NVDA is up"


def test_plain_text_is_not_html() -> None:
    assert not looks_like_html("a < b and c > d")
    assert looks_like_html("a <p>b</p>")


@given(st.text())
def test_never_raises(html: str) -> None:
    text, spans, _ = html_to_text(html, collapse_whitespace=False)
    for span in spans:
        assert 0 <= span.start < span.end <= len(text)
