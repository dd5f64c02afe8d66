"""Property tests: every parser takes any string without raising, and offsets stay honest.

Text is drawn from an alphabet rich in what the parsers look for ($, parentheses, dots,
digits, CJK, markup, line breaks), so the interesting paths are hit, not only plain text.
"""

from __future__ import annotations

from datetime import UTC

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tracker.config import Config
from tracker.extract.chrome import strip_chrome
from tracker.extract.dates import find_date, parse_date_field
from tracker.extract.groups import find_sections, group_of
from tracker.extract.models import RawPost
from tracker.extract.text.sentences import MAX_SENTENCE_CHARS, detect_lang, split_sentences
from tracker.ingest.analyze import Analyzer
from tracker.sources import read_text

PIECES = ["$", "$TSLA", "$Tesla(TSLA.US)", "$贵州茅台（600519.SH）", "$2382", "$20 billion",
          "(", ")", "（", "）", ".", "。", "!", "?", " ", "\n", "\r\n", "\u2028", "\x00",
          "2026-05-08", "发布时间:", "May 8, 2026", "The first category is equipment",
          "第一类是设备", "Related Reading", "<span class=\"security-tag\" counter_id=\"ST/US/NVDA\">",
          "</span>", "<p>", "<table><tr><td>", "&amp;", "Inc.", "a", "英伟达", "\ud800", "🚀"]
texts = st.one_of(st.text(), st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
fast = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


@fast
@given(texts)
def test_dates_never_raise(text: str) -> None:
    stamp = find_date(text, UTC)
    assert stamp is None or stamp.tzinfo is not None
    field = parse_date_field(text, UTC)
    assert field is None or 1900 <= field.year <= 2200


@fast
@given(texts)
def test_groups_never_raise_and_sections_lie_inside(text: str) -> None:
    sections = find_sections(text, {"equipment": ("equipment", "设备")})
    for section in sections:
        assert 0 <= section.start <= section.end <= len(text)
    for start in range(0, len(text), 7):
        group_of(text, start, sections)


@fast
@given(texts)
def test_chrome_never_raises_and_maps_spans_back(session_cfg: Config, text: str) -> None:
    kept = strip_chrome(text, session_cfg.clean)
    offset = 0
    for s, e in kept.ranges:
        assert kept.text[offset:offset + e - s] == text[s:e]
        offset += e - s
    assert offset == len(kept.text)


@fast
@given(texts)
def test_sentences_lie_inside_and_in_order(text: str) -> None:
    spans = split_sentences(text)
    last = 0
    for s, e in spans:
        assert last <= s < e <= len(text) and e - s <= MAX_SENTENCE_CHARS
        last = e
        detect_lang(text[s:e])


@fast
@given(texts, st.sampled_from([".jsonl", ".json", ".csv", ".txt", ".html", ".md", ".pdf"]))
def test_readers_never_raise(session_cfg: Config, text: str, suffix: str) -> None:
    for item in read_text(text, "f" + suffix, suffix, session_cfg.input):
        # UnreadableFile: a JSON file none of whose records can be told apart.
        assert item.__class__.__name__ in ("RawPost", "SourceError", "UnreadableFile")


@pytest.mark.slow
@fast
@given(texts, st.booleans())
@example('<A 0=""COUNTER_ID="0">0\r0', False)  # a tag's text across a sentence break
@example("深成指", False)  # a universe row's listed name (instruments.csv), no curated alias
def test_analyze_offsets_point_at_the_ticker(analyzer: Analyzer, text: str, html: bool) -> None:
    post = analyzer.analyze(RawPost(source="p.txt", text=text, is_html=html))
    if post is None:
        return
    post.text.encode("utf-8")  # storable
    for m in post.mentions:
        assert 0 <= m.start < m.end <= len(post.text)
        written = post.text[m.start:m.end].upper()
        if m.kind in ("name", "bare_ticker"):
            # A name mention's text is one of the names the security goes by (its name,
            # aliases and listed names: Security.names, which the matcher reads), or its
            # symbol, now or before.
            sec = analyzer.securities.lookup(m.ticker, m.market)
            assert sec is not None
            aliases = {a.upper() for a in (*sec.names(), sec.ticker, *sec.former)}
            assert written in aliases
        else:
            assert (m.ticker in written or (m.name or "").upper() in written
                    or m.kind == "security_tag")
        assert m.sentence in post.text
