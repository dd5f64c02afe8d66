"""Training rows from labelled real posts are the texts the scorer reads for each mention."""

from __future__ import annotations

from tracker.config import SentimentConfig
from tracker.extract.text.sentences import detect_lang, split_sentences
from tracker.sentiment.mention_rows import mention_rows
from tracker.sentiment.tone import post_and_mention_tones
from tracker.sources.gold import GoldMention, GoldPost


def _post(text: str, *mentions: tuple[str, str, str], lang: str = "en") -> GoldPost:
    return GoldPost("f.jsonl", 1, "p1", "s", lang, text, None,
                    tuple(GoldMention(k, t, s) for k, s, t in mentions))


def test_each_mention_gets_its_own_clause_and_label() -> None:
    post = _post("TSLA tanks while NVDA soars", ("TSLA", "TSLA", "neg"), ("NVDA", "NVDA", "pos"))
    rows = list(mention_rows(post, SentimentConfig()))
    assert [(k, lab) for k, _, lab in rows] == [("TSLA", "neg"), ("NVDA", "pos")]
    assert rows[0][1] != rows[1][1]
    assert "soars" in rows[1][1] and "soars" not in rows[0][1]


def test_the_row_text_is_what_ingest_scores() -> None:
    # The model trained on a row must see the text whose tone the mention gets: score the
    # row text and compare with the pipeline's tone for that mention.
    text = "Earnings were fine.\nMy picks:\n$AMD\n$MU\nBoth will run hard this year."
    post = _post(text, ("AMD", "$AMD", "pos"), ("MU", "$MU", "pos"))
    rows = dict((k, t) for k, t, _ in mention_rows(post, SentimentConfig()))
    settings = SentimentConfig()
    spans = [(text.index("$AMD"), text.index("$AMD") + 4), (text.index("$MU"), text.index("$MU") + 3)]
    sentences = split_sentences(text, protect=spans)
    langs = [detect_lang(text[a:b], finance=True) for a, b in sentences]
    _, tones = post_and_mention_tones(text, sentences, langs, spans, settings)
    from tracker.sentiment import get_scorer

    scorer = get_scorer("en", settings)
    assert scorer is not None
    assert [scorer.score(rows["AMD"]), scorer.score(rows["MU"])] == tones
    # A bare list item reads the list's prose, not its own cashtag.
    assert rows["AMD"] != "$AMD"


def test_a_tag_under_prose_about_another_security_reads_its_own_text() -> None:
    # Its label (neutral) must not teach the model that the prose about $HIVE is neutral.
    post = _post("$HIVE is immensely undervalued. $ETH.X $BTC.X",
                 ("HIVE", "$HIVE", "pos"), ("ETH.X", "$ETH.X", "neu"), ("BTC.X", "$BTC.X", "neu"))
    rows = {k: t for k, t, _ in mention_rows(post, SentimentConfig())}
    assert "undervalued" in rows["HIVE"]
    assert rows["ETH.X"] == rows["BTC.X"] == "$ETH.X $BTC.X"


def test_a_mention_the_text_does_not_name_gives_no_row() -> None:
    post = _post("Nothing here names it.", ("TSLA", "Tesla", "pos"))
    assert list(mention_rows(post, SentimentConfig())) == []


def test_a_mention_in_another_language_gives_no_row() -> None:
    # A Chinese post's English sentence is scored by the English model: no Chinese row.
    post = _post("I love this stock, $AAPL is great.", ("AAPL", "$AAPL", "pos"), lang="zh")
    assert list(mention_rows(post, SentimentConfig())) == []
