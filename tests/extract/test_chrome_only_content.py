"""Chrome rules never drop a post's only content: a short post whose one line carries a date
label keeps its words, and loses only the label."""

from __future__ import annotations

import pytest

from tracker.config import Config
from tracker.extract.chrome import strip_chrome
from tracker.extract.models import RawPost
from tracker.ingest.analyze import Analyzer


@pytest.mark.parametrize("text, kept", [
    ("$NVDA rallies hard. Posted on 2026-05-04", "$NVDA rallies hard."),
    ("英伟达大涨 $NVDA 发布于 2026-05-04", "英伟达大涨 $NVDA"),
    ("Posted on 2026-05-04 10:30 by ann: $AAPL up\n发布时间：2026年5月4日 12:30 涨了\n",
     "by ann: $AAPL up\n涨了"),
    ("Posted on 2026-05-04", ""),  # nothing but the label: nothing to keep
], ids=["en", "zh", "two-lines-with-times", "label-only"])
def test_only_content_keeps_its_words(session_cfg: Config, text: str, kept: str) -> None:
    result = strip_chrome(text, session_cfg.clean)
    assert result.text == kept
    assert "".join(text[s:e] for s, e in result.ranges) == kept


def test_date_line_beside_other_content_is_still_chrome(session_cfg: Config) -> None:
    text = "$TSLA looks strong today.\nPosted on 2026-05-04 by the desk"
    assert strip_chrome(text, session_cfg.clean).text == "$TSLA looks strong today."


@pytest.mark.parametrize("text", ["$NVDA rallies hard. Posted on 2026-05-04",
                                  "英伟达大涨 $NVDA 发布于 2026-05-04"], ids=["en", "zh"])
def test_short_dated_post_is_analysed_not_dropped(analyzer: Analyzer, text: str) -> None:
    post = analyzer.analyze(RawPost(source="a.txt", text=text))
    assert post is not None
    assert {m.ticker for m in post.mentions} == {"NVDA"}
    assert post.published is not None and post.published.date().isoformat() == "2026-05-04"
