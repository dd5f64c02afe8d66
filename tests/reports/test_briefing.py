"""Pure parts of the reports: trending rule, sparklines, Markdown escaping, filters, wide shape."""

from __future__ import annotations

import os
import stat
from dataclasses import replace
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fixtures.markdown import table_cells
from tracker.reports.aggregate import ticker_table, wide_table
from tracker.reports.briefing import BriefingSpec, prepare_briefing, render_briefing
from tracker.reports.briefing_tables import carries_words
from tracker.reports.charts import chart_data
from tracker.reports.filters import (
    FilterError,
    MentionFilter,
    apply_filters,
    keep_min_mentions,
    why_empty,
)
from tracker.reports.render import escape_md, period_label, write_atomic
from tracker.reports.sparkline import BARS, sparkline
from tracker.reports.trends import has_baseline, trending

UTC = ZoneInfo("UTC")
COLUMNS = ["post_id", "source", "source_id", "published", "lang", "author", "ticker", "market",
           "name", "kind", "groups", "tone", "label", "sentence", "start", "is_repeat"]


def mention(pid: str, day: str, ticker: str, author: str | None = None, tone: float = 0.0,
            sentence: str = "s", groups: str = "gpu", lang: str = "en",
            kind: str = "cashtag", source: str = "feed/a.jsonl") -> tuple:
    label = "positive" if tone > 0.05 else "negative" if tone < -0.05 else "neutral"
    return (pid, source, pid, f"{day}T10:00Z", lang, author, ticker, "US", f"{ticker} Inc.",
            kind, groups, tone, label, sentence, 0, False)


def frame(rows: list[tuple]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=COLUMNS)
    df["published"] = pd.to_datetime(df["published"], utc=True)
    return df


def history(extra: list[tuple]) -> pd.DataFrame:
    """Four weeks with one AMD post a week by one author, then `extra` in the fifth week."""
    rows = [mention(f"h{w}", f"2026-04-{6 + 7 * w:02d}", "AMD", "eve") for w in range(4)]
    return frame(rows + extra)


def dated(df: pd.DataFrame) -> pd.DataFrame:
    """The briefing's counts per period and symbol, which the trending rule reads."""
    counts = prepare_briefing(df, BriefingSpec(freq="W"), UTC).counts
    assert counts is not None
    return counts.symbols


CURRENT = pd.Timestamp("2026-05-04")


def test_one_account_posting_fifty_times_is_not_a_trend() -> None:
    spam = [mention(f"s{i}", "2026-05-05", "AMD", "bot") for i in range(50)]
    assert trending(dated(history(spam)), CURRENT, "W") == []


def test_many_authors_against_the_baseline_is_a_trend() -> None:
    crowd = [mention(f"c{i}", "2026-05-05", "AMD", f"user{i}") for i in range(3)]
    (trend,) = trending(dated(history(crowd)), CURRENT, "W")
    assert (trend.symbol, trend.voices, trend.baseline, trend.lift) == ("AMD.US", 3, 1.0, 3.0)
    two = [mention(f"c{i}", "2026-05-05", "AMD", f"user{i}") for i in range(2)]
    assert trending(dated(history(two)), CURRENT, "W") == []  # under MIN_VOICES


def test_posts_without_author_count_once_each() -> None:
    anonymous = [mention(f"a{i}", "2026-05-05", "MSFT") for i in range(3)]
    assert [t.symbol for t in trending(dated(history(anonymous)), CURRENT, "W")] == ["MSFT.US"]


def test_no_trend_without_a_week_of_history() -> None:
    assert not has_baseline(pd.Timestamp("2026-05-01"), pd.Timestamp("2026-05-04"), "D")
    assert has_baseline(pd.Timestamp("2026-04-27"), pd.Timestamp("2026-05-04"), "D")
    crowd = [mention(f"c{i}", "2026-05-05", "AMD", f"user{i}") for i in range(5)]
    spec = BriefingSpec(freq="W", since=date(2026, 4, 27))
    text = render_briefing(prepare_briefing(history(crowd), spec, UTC))
    assert "Not enough history to call a trend: the rule needs the 4 weeks" in text


def _hourly(hour: int, pid: str, ticker: str, author: str) -> tuple:
    row = list(mention(pid, "2026-05-05", ticker, author))
    row[3] = f"2026-05-05T{hour:02d}:30Z"
    return tuple(row)


def test_no_trend_on_a_corpus_shorter_than_the_baseline() -> None:
    # Five hours of data: one AMD voice an hour, then a crowd in the last hour. The hourly
    # rule needs 168 hours before the current one; the data has four, so nothing trends,
    # and the briefing says how much history there is and how much the rule needs.
    rows = [_hourly(h, f"h{h}", "AMD", "eve") for h in range(4)]
    rows += [_hourly(4, f"c{i}", "AMD", f"user{i}") for i in range(16)]
    briefing = prepare_briefing(frame(rows), BriefingSpec(freq="H"), UTC)
    assert briefing.periods[0] == pd.Timestamp("2026-05-05 00:00")
    text = render_briefing(briefing)
    trending_part = text.split("## Trending")[1].split("##")[0]
    assert "Not enough history to call a trend: the rule needs the 168 hours before this " \
        "one (history from 2026-04-28); the data holds 4 hours before it, from " \
        "2026-05-05." in trending_part
    assert "History for trends and sparklines: 2026-05-05 to 2026-05-05 (5 hours)." in text


def test_an_early_since_does_not_invent_history() -> None:
    # --since a month before the first post: the history still starts with the data.
    crowd = [mention(f"c{i}", "2026-05-05", "AMD", f"user{i}") for i in range(5)]
    spec = BriefingSpec(freq="D", since=date(2026, 4, 1))
    briefing = prepare_briefing(frame(crowd), spec, UTC)
    assert briefing.periods == [pd.Timestamp("2026-05-05")]
    assert "Not enough history to call a trend" in render_briefing(briefing)


@pytest.mark.parametrize("span", ["latest", "all"])
def test_a_since_after_the_last_mention_is_an_empty_briefing(span: str) -> None:
    # The history would start after it ends: no period to brief (it raised IndexError).
    crowd = [mention(f"c{i}", "2026-05-05", "AMD", f"user{i}") for i in range(5)]
    spec = BriefingSpec(freq="D", since=date(2026, 5, 6), span=span)
    briefing = prepare_briefing(frame(crowd), spec, UTC)
    assert briefing.periods == []
    assert render_briefing(briefing) == "# Briefing\n\nNo dated mentions to report.\n"


def test_whole_span_briefing_counts_every_dated_post() -> None:
    rows = [mention("a", "2026-03-23", "TSLA", "x", -0.5),
            mention("b", "2026-05-08", "NVDA", "y", 0.4, groups="gpu"),
            mention("c", "2026-05-08", "TSLA", "z", 0.2, groups="")]
    briefing = prepare_briefing(frame(rows), BriefingSpec(freq="D", span="all"), UTC)
    text = render_briefing(briefing)
    assert text.startswith("# Briefing: 2026-03-23 to 2026-05-08\n")
    assert "Every dated post from 2026-03-23 to 2026-05-08 (2 days with posts)." in text
    assert "In this span: 3 mentions of 2 tickers in 3 posts" in text
    assert "| 1 | TSLA.US | TSLA Inc. | 2 | 2 | 2 | -0.150 |" in text
    assert "| gpu | 2 | 2 | -0.050 | NVDA.US (1), TSLA.US (1) |" in text
    assert "calls no trend" in text
    assert briefing.chart_periods[0] == pd.Timestamp("2026-03-23")
    assert briefing.chart_periods[-1] == pd.Timestamp("2026-05-08")


def test_briefing_quotes_pick_extremes_and_escape() -> None:
    rows = [mention("p1", "2026-05-05", "AMD", "a", 0.5, "good | fine"),
            mention("p2", "2026-05-05", "AMD", "b", 0.9, "=great\n# news <b>"),
            mention("p3", "2026-05-06", "AMD", "c", -0.4, "bad `x`")]
    text = render_briefing(prepare_briefing(history(rows), BriefingSpec(freq="W"), UTC))
    quotes = text.split("## Quotes")[1]
    # the source is the file's name with the record id; a mid-text # needs no escape
    assert "| AMD.US | ▲ +0.900 | =great # news &lt;b&gt; | a.jsonl#p2 | b |" in quotes
    assert "| AMD.US | ▼ -0.400 | bad \\`x\\` | a.jsonl#p3 | c |" in quotes


def test_empty_frame_briefing() -> None:
    text = render_briefing(prepare_briefing(frame([]), BriefingSpec(), UTC))
    assert text == "# Briefing\n\nNo dated mentions to report.\n"


@given(st.lists(st.integers(min_value=0, max_value=10_000), max_size=40))
def test_sparkline_shape(values: list[int]) -> None:
    line = sparkline(values)
    assert len(line) == len(values) and set(line) <= set(BARS)
    if any(values):
        assert line[values.index(max(values))] == "█"
        assert all((c == "▁") == (v == 0) for c, v in zip(line, values, strict=True))



@given(st.text())
def test_escaped_text_stays_in_one_cell(text: str) -> None:
    escaped = escape_md(text)
    assert "\n" not in escaped and "\r" not in escaped and "<" not in escaped
    assert table_cells(f"| a | {escaped} | b |") == 3
    assert not escaped.startswith(("#", ">", "- ", "+ ", "=="))
    assert not set(escaped) & set("\u061c\u200b\u200e\u202e\u2066\ufeff")


@pytest.mark.parametrize(("text", "expected"), [
    ("a|b", "a\\|b"), ("x\ny", "x y"), ("`code`", "\\`code\\`"), ("<script>", "&lt;script&gt;"),
    ("# h", "\\# h"), ("> q", "&gt; q"), ("- item", "\\- item"), ("1. one", "1\\. one"),
    ("-0.25", "-0.25"), ("[a](b)", "\\[a\\](b)"), ("$TSLA $NVDA", "&#36;TSLA &#36;NVDA"),
    ("~~x~~", "&#126;&#126;x&#126;&#126;"), ("= x", "&#61; x"), ("a=b", "a=b"),
    ("a\u202eb", "ab"), ("AT&T", "AT&amp;T"), ("a\u061cb", "ab"), ("T\u200bSLA", "TSLA"),
    ("\ufeffhi", "hi"), ("a\u2060b", "ab"), ("👨\u200d👩", "👨\u200d👩"),
], ids=["pipe", "newline", "code", "html", "heading", "quote", "bullet", "ordered", "number",
        "link", "math", "strike", "setext", "inner-equals", "bidi", "entity",
        "arabic-letter-mark", "zero-width-space", "bom", "word-joiner", "emoji-joiner-kept"])
def test_escape_md(text: str, expected: str) -> None:
    assert escape_md(text) == expected


def test_filters() -> None:
    df = frame([mention("p1", "2026-05-05", "AMD", groups="gpu;semis"),
                mention("p2", "2026-05-05", "TSM", groups="foundry", lang="zh"),
                mention("p3", "2026-05-05", "NVDA", kind="name", source="other/b.txt")])
    pick = lambda **kw: list(apply_filters(df, MentionFilter(**kw))["ticker"])  # noqa: E731
    assert pick(tickers=("amd", "TSM.US")) == ["AMD", "TSM"]
    assert pick(langs=("zh",)) == ["TSM"]
    assert pick(kinds=("name",)) == ["NVDA"]
    assert pick(sources=("feed",)) == ["AMD", "TSM"]
    assert pick(sources=("*.txt",)) == ["NVDA"]
    kept = apply_filters(df, MentionFilter(groups=("gpu",)))
    assert list(kept["groups"]) == ["gpu", "gpu"]  # only the chosen groups are reported
    with pytest.raises(FilterError, match="unknown mention kind 'tag'"):
        MentionFilter(kinds=("tag",))


def test_min_mentions_and_wide_shape() -> None:
    df = frame([mention("p1", "2026-05-04", "AMD"), mention("p2", "2026-05-06", "AMD"),
                mention("p3", "2026-05-06", "TSM")])
    table = keep_min_mentions(ticker_table(df, "D", UTC), "ticker", 2)
    assert set(table["ticker"]) == {"AMD"}
    wide = wide_table(ticker_table(df, "D", UTC), "ticker", "mentions", "D")
    assert list(wide.columns) == ["period", "AMD.US", "TSM.US"]
    assert wide.values.tolist()[1][1:] == [0, 0]  # 2026-05-05: a row, with zeros
    tone = wide_table(ticker_table(df, "D", UTC), "ticker", "tone", "D")
    assert pd.isna(tone.iloc[1]["AMD.US"])


def test_briefing_periods_follow_the_time_zone() -> None:
    df = frame([mention("p1", "2026-05-03", "AMD")])
    df["published"] = pd.to_datetime(["2026-05-03T23:30Z"], utc=True)
    utc = prepare_briefing(df, BriefingSpec(freq="W"), UTC)
    shanghai = prepare_briefing(df, BriefingSpec(freq="W"), ZoneInfo("Asia/Shanghai"))
    assert utc.current == pd.Timestamp("2026-04-27")  # Sunday night in UTC
    assert shanghai.current == pd.Timestamp("2026-05-04")  # Monday morning in Shanghai


def test_chart_labels_without_a_chinese_font() -> None:
    from tracker.reports.charts import chart_label

    assert chart_label("贵州茅台 600519.SS", None) == "???? 600519.SS"
    assert chart_label("贵州茅台", "Noto Sans CJK SC") == "贵州茅台"
    assert chart_label("NVDA.US", None) == "NVDA.US"


def test_write_atomic_gives_reports_ordinary_permissions(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        target = tmp_path / "r.csv"
        write_atomic(target, "a\n")
        assert stat.S_IMODE(target.stat().st_mode) == 0o644
        target.chmod(0o640)
        write_atomic(target, "b\n")  # a rewrite keeps the mode the user chose
        assert stat.S_IMODE(target.stat().st_mode) == 0o640 and target.read_text() == "b\n"
        assert [p.name for p in tmp_path.iterdir()] == ["r.csv"]
    finally:
        os.umask(old)


HOSTILE_FILTERS = ("<script>alert(1)</script>", "[x](javascript:alert(1))")


def test_briefing_filters_line_is_escaped() -> None:
    # Issue 14: --tickers and --groups were echoed unescaped into the briefing.
    rows = [mention("p1", "2026-05-05", "AMD", "a", 0.5, "fine")]
    spec = BriefingSpec(freq="W", filters=(f"tickers AMD, {HOSTILE_FILTERS[0]}",
                                           f"groups {HOSTILE_FILTERS[1]}"))
    text = render_briefing(prepare_briefing(history(rows), spec, UTC))
    line = next(ln for ln in text.splitlines() if ln.startswith("Filters:"))
    assert line == ("Filters: tickers AMD, &lt;script&gt;alert(1)&lt;/script&gt;; "
                    "groups \\[x\\](javascript:alert(1)).  ")


def test_wide_top_keeps_the_most_mentioned_and_sums_the_rest() -> None:
    df = frame([mention("p1", "2026-05-04", "AMD", tone=0.5), mention("p2", "2026-05-04", "AMD"),
                mention("p3", "2026-05-04", "TSM", tone=-0.5),
                mention("p4", "2026-05-06", "NVDA", tone=0.3)])
    table = ticker_table(df, "D", UTC)
    wide = wide_table(table, "ticker", "mentions", "D", top=1)
    assert list(wide.columns) == ["period", "AMD.US", "other"]
    assert wide.values.tolist()[0][1:] == [2, 1] and wide.values.tolist()[2][1:] == [0, 1]
    tone = wide_table(table, "ticker", "tone", "D", top=1)
    assert tone.iloc[0]["other"] == -0.5 and tone.iloc[2]["other"] == 0.3
    assert pd.isna(tone.iloc[1]["other"])
    assert list(wide_table(table, "ticker", "mentions", "D", top=3).columns) == [
        "period", "AMD.US", "NVDA.US", "TSM.US"]  # no 'other' when nothing is left over


def test_why_empty_names_the_filter_and_the_nearest_keys() -> None:
    df = frame([mention("p1", "2026-05-04", "AMD", lang="en", groups="gpu"),
                mention("p2", "2026-05-04", "TSM", lang="zh", groups="foundry")])
    assert why_empty(df, MentionFilter(tickers=("AMD",))) is None
    assert why_empty(df, MentionFilter(tickers=("amdd",))) == \
        "no mentions of amdd; did you mean AMD.US?"
    assert why_empty(df, MentionFilter(tickers=("ZZZZ",))) == \
        "no mentions of ZZZZ; stored tickers include AMD.US, TSM.US"
    assert why_empty(df, MentionFilter(tickers=("AMD",), groups=("foundry",))) == \
        "no mentions in groups foundry; the mentions kept so far are in gpu"
    assert why_empty(df, MentionFilter(tickers=("AMD",), langs=("zh",))) == \
        "no mentions in languages zh; the mentions kept so far have en"


def test_chart_gaps_are_gaps_and_the_default_window_is_the_last_periods_with_data() -> None:
    days = ["2018-01-02", *[f"2026-05-{d:02d}" for d in (1, 2, 5, 6)]]
    df = frame([mention(f"p{i}", day, "AMD") for i, day in enumerate(days)]
               + [mention("q", "2026-05-05", "TSM")])
    mentions, tone = chart_data(df, "ticker", "D", UTC, last=4)
    assert mentions.index[0] == pd.Timestamp("2026-05-01")  # the 2018 outlier is left out
    assert pd.isna(mentions.loc[pd.Timestamp("2026-05-03"), "AMD.US"])  # nobody spoke: a gap
    assert mentions.loc[pd.Timestamp("2026-05-05"), "TSM.US"] == 1
    assert mentions.loc[pd.Timestamp("2026-05-01"), "TSM.US"] == 0  # others spoke: a zero
    assert len(chart_data(df, "ticker", "D", UTC)[0]) > 3000  # no window: all of it


def test_a_quote_carries_words() -> None:
    # Issue 27: `$NVIDIA(NVDA.US)` alone stood as NVDA's positive example.
    rows = [mention("p1", "2026-05-05", "NVDA", "a", 0.9, "$NVIDIA(NVDA.US)"),
            mention("p2", "2026-05-05", "NVDA", "b", 0.4, "$NVIDIA(NVDA.US) sells every chip"),
            mention("p3", "2026-05-05", "NVDA", "c", -0.8, "$NVDA $AMD NVDA.US")]
    text = render_briefing(prepare_briefing(frame(rows), BriefingSpec(freq="D"), UTC))
    quotes = text.split("## Quotes")[1]
    assert "▲ +0.400 | &#36;NVIDIA(NVDA.US) sells every chip |" in quotes
    assert "+0.900" not in quotes and "▼ -" not in quotes


@pytest.mark.parametrize(("sentence", "words"), [
    ("$NVIDIA(NVDA.US)", False), ("$TSLA $NVDA", False), ("SH600036 600036.SH !", False),
    ("$贵州茅台(SH600519)$", False), ("$贵州茅台(SH600519)$ 大涨", True),
    ("$TSLA up", True), ("Buy $TSLA", True), ("$TSLA 1 2 3", False)],
    ids=["named", "two-plain", "written-codes", "zh-named", "zh-word", "after", "before",
         "numbers"])
def test_carries_words(sentence: str, words: bool) -> None:
    assert carries_words(sentence) is words


def test_the_briefing_names_every_ticker() -> None:
    # Issue 27: the top-10 table and the groups' top three left LRCX and TEL unnamed.
    rows = [mention(f"p{i}", "2026-05-05", f"T{i:02d}", f"a{i}", 0.2, "good chips")
            for i in range(14) for _ in range(14 - i)]
    text = render_briefing(prepare_briefing(frame(rows), BriefingSpec(freq="D"), UTC))
    assert "Also mentioned this day: T10.US (4), T11.US (3), T12.US (2), T13.US (1)." in text
    assert all(f"T{i:02d}.US" in text for i in range(14))


def test_the_briefing_counts_posts_that_named_no_ticker() -> None:
    rows = [mention("p1", "2026-05-05", "AMD", "a", 0.2, "good chips")]
    briefing = prepare_briefing(frame(rows), BriefingSpec(freq="D"), UTC)
    assert briefing.post_range() == (pd.Timestamp("2026-05-05"), pd.Timestamp("2026-05-06"))
    text = render_briefing(replace(briefing, silent_posts=2))
    assert "This day: 1 mention of 1 ticker in 1 post; 2 posts named no ticker; 0 undated " \
        "posts left out." in text
    whole = prepare_briefing(frame(rows), BriefingSpec(freq="D", span="all",
                                                       until=date(2026, 5, 9)), UTC)
    assert whole.post_range() == (None, pd.Timestamp("2026-05-10"))


@pytest.mark.parametrize(("start", "freq", "label"), [
    ("2026-03-23", "W", "2026-03-23 – 03-29"), ("2026-03-30", "W", "2026-03-30 – 04-05"),
    ("2026-12-28", "W", "2026-12-28 – 2027-01-03"), ("2026-05-01", "M", "2026-05"),
    ("2026-05-04", "D", "2026-05-04"), ("2026-05-04 09:00", "H", "2026-05-04 09:00")],
    ids=["week", "week-across-months", "week-across-years", "month", "day", "hour"])
def test_period_label(start: str, freq: str, label: str) -> None:
    assert period_label(pd.Timestamp(start), freq) == label
