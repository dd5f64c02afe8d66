"""Page chrome, dates, sentences and languages."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.config import Config
from tracker.extract.chrome import strip_chrome
from tracker.extract.dates import find_date, parse_date_field
from tracker.extract.text.sentences import detect_lang, split_sentences


def test_chrome_lines_and_tail_removed(cfg: Config) -> None:
    text = ("Likes Received\nRate Of Return\nBody one.\n\n\nBody two.\n"
            "The copyright of this article belongs to the original author.\n"
            "Related Reading\n$TSLA junk\n")
    kept = strip_chrome(text, cfg.clean)
    assert kept.text == "Body one.\n\nBody two."
    start = text.index("Body two")
    assert kept.map_span(start, start + 8) == (11, 19)
    assert kept.map_span(text.index("$TSLA"), text.index("$TSLA") + 5) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("来源:马斯克X | 发布时间:2026-03-23 05:57\nbody", datetime(2026, 3, 23, 5, 57, tzinfo=UTC)),
        ("marsbitPublicado a 2026-05-08Actualizado a 2026-05-08", datetime(2026, 5, 8, tzinfo=UTC)),
        ("Posted 2026-05-08T10:00:00+08:00", datetime(2026, 5, 8, 2, 0, tzinfo=UTC)),
        ("By Jane, May 8, 2026. Markets", datetime(2026, 5, 8, tzinfo=UTC)),
        ("2026年5月8日 发布", datetime(2026, 5, 8, tzinfo=UTC)),
        ("8 May 2026", datetime(2026, 5, 8, tzinfo=UTC)),
        # YAML front matter and git write a space before the offset: it was dropped.
        ("---\ndate: 2026-03-04 09:00:00 +0800\n---\n", datetime(2026, 3, 4, 1, 0, tzinfo=UTC)),
        ("2026-03-04 09:00 -05:00 call", datetime(2026, 3, 4, 14, 0, tzinfo=UTC)),
        ("2026-03-04 09:00 Zoom call", datetime(2026, 3, 4, 9, 0, tzinfo=UTC)),
    ],
    ids=["chinese-label", "spanish-label", "iso-with-zone", "month-name", "chinese-date",
         "day-month", "spaced-offset", "spaced-colon-offset", "not-a-zone"],
)
def test_find_date(text: str, expected: datetime) -> None:
    assert find_date(text, UTC) == expected


@pytest.mark.parametrize("text", ["1980 年代", "5 月 6 日", "2nm chips", "2026-13-45", ""],
                         ids=["decade", "no-year", "node", "invalid", "empty"])
def test_find_date_none(text: str) -> None:
    assert find_date(text, UTC) is None


def test_date_in_configured_zone() -> None:
    tz = ZoneInfo("Asia/Shanghai")
    stamp = find_date("发布时间:2026-03-23 05:57", tz)
    assert stamp is not None and stamp.astimezone(UTC).hour == 21


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2026-05-08T10:00:00Z", datetime(2026, 5, 8, 10, tzinfo=UTC)),
     ("1778234400", datetime(2026, 5, 8, 10, tzinfo=UTC)),
     ("1778234400000", datetime(2026, 5, 8, 10, tzinfo=UTC)),
     ("May 8, 2026", datetime(2026, 5, 8, tzinfo=UTC)),
     ("not a date", None)],
    ids=["iso-z", "epoch-s", "epoch-ms", "written", "junk"],
)
def test_parse_date_field(value: str, expected: datetime | None) -> None:
    assert parse_date_field(value, UTC) == expected


def test_sentences_respect_mentions_and_abbreviations() -> None:
    text = "All in all, $Apple Inc.(AAPL.US) stabilized. U.S. power is 0.5 TW! 台积电大涨。英伟达跌"
    protect = [(12, 32)]
    got = [text[s:e] for s, e in split_sentences(text, protect)]
    assert got == ["All in all, $Apple Inc.(AAPL.US) stabilized.", "U.S. power is 0.5 TW!",
                   "台积电大涨。", "英伟达跌"]


@pytest.mark.parametrize(
    ("text", "lang"),
    [("TSLA is still falling so much today!", "en"), ("特斯拉股价暴跌，套牢了", "zh"),
     ("英伟达的 H100、H200、GB200 一货难求", "zh"), ("$ASML(ASML.US)", "en"),
     ("Publicado a 2026-05-08 en la comunidad de los traders", "es"),
     ("テスラの株価が下がった", "ja"), ("삼성전자 주가 상승", "ko"), ("12345 !!", "und"),
     ("$ETH.X LONG 1238.89 ༼ つ ◕_◕ ༽つ༼ つ ◕_◕ ༽つ Bull season about to start", "en"),
     ("AAPLの株価が上がった", "ja"), ("Samsung 주가 상승 ㅋㅋ", "ko")],
    ids=["en", "zh", "zh-mixed", "bare-cashtag", "es", "ja", "ko", "none", "kana-emoticon",
         "ja-with-ticker", "ko-with-name"],
)
def test_detect_lang(text: str, lang: str) -> None:
    assert detect_lang(text) == lang


@given(st.text())
def test_sentences_never_raise(text: str) -> None:
    for s, e in split_sentences(text):
        assert 0 <= s < e <= len(text)
        assert text[s:e].strip() == text[s:e]
