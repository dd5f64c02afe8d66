"""Each mention takes the tone about its own ticker: clause rules for neighbours, lists,
clefts and rivalry (tracker/sentiment/clauses.py, rivalry.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixtures.hangtian import hangtian_analyzer
from tracker.config import SentimentConfig
from tracker.extract.models import Post, RawPost
from tracker.ingest.analyze import Analyzer
from tracker.sentiment import label_for, score_mention
from tracker.sentiment.clauses import clause_bounds, company_marks, mention_words
from tracker.sentiment.rivalry import RIVAL_TONE, rivalry_side

SETTINGS = SentimentConfig()
@pytest.fixture(scope="module")
def analyzer(tmp_path_factory: pytest.TempPathFactory) -> Analyzer:
    return hangtian_analyzer(tmp_path_factory.mktemp("cfg"))


def _post(analyzer: Analyzer, text: str) -> Post:
    post = analyzer.analyze(RawPost("post.txt", text))
    assert post is not None
    return post


def _tones(post: Post) -> dict[str, list[float | None]]:
    out: dict[str, list[float | None]] = {}
    for m in post.mentions:
        out.setdefault(m.ticker, []).append(m.tone)
    return out


def _span(text: str, name: str) -> tuple[int, int]:
    i = text.index(name)
    return i, i + len(name)


def test_a_cleft_gives_the_sentence_to_the_company_in_focus(analyzer: Analyzer) -> None:
    # "What leads the space stocks is 神剑股份 ... limit up": 神剑股份's news, not 航天电子's.
    tones = _tones(_post(analyzer, "航天带头的是神剑股份…涨停"))
    assert tones["600879"] == [0.0]
    assert tones["002361"][0] is not None and tones["002361"][0] > 0


def test_a_cleft_after_a_page_cashtag_leaves_that_ticker_neutral() -> None:
    # A 雪球 post opens with the cashtag of the page it was written on; the neighbour in
    # focus need not be in the securities list. The cashtag is 雪球's whole form, closing $
    # included, as extraction finds it.
    text = "$航天电子(600879.SH)$ 航天带头的是神剑股份…涨停"
    # Neutral, not exactly 0: the clause left is the cashtag alone, which the retrained
    # Chinese model (branch tone) scores near zero rather than at it.
    tone = score_mention(text, *_span(text, "$航天电子(600879.SH)$"), "zh", SETTINGS)
    assert label_for(tone, SETTINGS) == "neutral", tone


def test_a_cleft_before_the_mention_keeps_its_words() -> None:
    text = "今天带头的是中际旭创，直接涨停"
    words = mention_words(text, *_span(text, "中际旭创"))
    assert words.fixed is None and words.text == text


def test_a_cleft_about_the_mention_itself_is_not_a_neighbour() -> None:
    # The focus after the cleft is no company: the words still speak about 航天电子.
    text = "航天电子最让人惊喜的是订单大增"
    others = [_span(text, "航天电子")]
    words = mention_words(text, *others[0], company_marks(text, others))
    assert words.fixed is None and words.text == text


def test_a_company_added_in_the_config_cuts_a_clause(analyzer: Analyzer) -> None:
    post = _post(analyzer, "神剑股份大涨，航天电子暴跌")
    tones = _tones(post)
    assert tones["002361"][0] is not None and tones["002361"][0] > 0.25
    assert tones["600879"][0] is not None and tones["600879"][0] < -0.25


def test_a_part_of_names_only_shares_the_words_after_it() -> None:
    text = "Hyundai Motor, Kia Motors to keep Chinese factories idled until February 16"
    hyundai, kia = _span(text, "Hyundai Motor"), _span(text, "Kia Motors")
    marks = company_marks(text, [hyundai, kia])
    assert clause_bounds(text, *hyundai, marks)[1] == (0, len(text))
    # A part with words of its own still stops at the next company.
    text = "台积电大涨，英伟达暴跌"
    assert clause_bounds(text, *_span(text, "台积电"))[1] == (0, 5)


@pytest.mark.parametrize(
    ("text", "winner", "loser"),
    [("NBIS will eat CRWV's backlog", "NBIS", "CRWV"),
     ("$AMD is crushing $INTC in servers", "$AMD", "$INTC"),
     ("韦尔股份要取代卓胜微当龙头", "韦尔股份", "卓胜微"),
     ("Palantir leaves Snowflake in the dust", "Palantir", "Snowflake"),
     ("$INTC was crushed by $AMD in servers", "$AMD", "$INTC"),
     ("卓胜微被韦尔股份取代", "韦尔股份", "卓胜微")],
    ids=["eat-backlog", "crushing", "zh-replace", "in-the-dust", "passive", "zh-passive"],
)
def test_rivalry_takes_a_side_for_each_company(text: str, winner: str, loser: str) -> None:
    marks = company_marks(text, [_span(text, winner), _span(text, loser)])
    assert rivalry_side(text, *_span(text, winner), marks) == 1
    assert rivalry_side(text, *_span(text, loser), marks) == -1
    assert score_mention(text, *_span(text, winner), "en", SETTINGS,
                         [_span(text, loser)]) == RIVAL_TONE
    assert score_mention(text, *_span(text, loser), "en", SETTINGS,
                         [_span(text, winner)]) == -RIVAL_TONE


@pytest.mark.parametrize(
    "text",
    ["NBIS won't eat CRWV's backlog", "韦尔股份不会取代卓胜微", "I eat at $CMG every day",
     "$CMG: ate a burrito for lunch"],
    ids=["negated", "zh-negated", "eating-out", "no-rival-object"],
)
def test_no_rivalry_without_a_subject_beating_someone(text: str) -> None:
    marks = company_marks(text)
    assert all(rivalry_side(text, a, b, marks) == 0 for a, b in marks)


def test_rivalry_with_no_named_rival_is_praise() -> None:
    text = "$HQ now that's a rocket that puts every major rocket building company to shame"
    assert mention_words(text, 0, 3).fixed == RIVAL_TONE


def test_a_clause_rule_in_one_post_is_the_same_in_a_batch(analyzer: Analyzer) -> None:
    texts = ["NBIS will eat CRWV's backlog", "航天带头的是神剑股份…涨停", "$NVDA up, great."]
    raws = [RawPost("p.txt", t, line=i) for i, t in enumerate(texts)]
    assert analyzer.analyze_many(raws) == [analyzer.analyze(r) for r in raws]


def test_rescore_reads_the_same_clauses(analyzer: Analyzer) -> None:
    from tracker.extract.text.sentences import detect_lang, split_sentences
    from tracker.sentiment.tone import post_and_mention_tones

    post = _post(analyzer, "NBIS will eat CRWV's backlog. 航天带头的是神剑股份…涨停")
    spans = [(m.start, m.end) for m in post.mentions]
    sentences = split_sentences(post.text, protect=spans)
    langs = [detect_lang(post.text[a:b]) for a, b in sentences]
    _, tones = post_and_mention_tones(post.text, sentences, langs, spans, SETTINGS)
    assert tones == [m.tone for m in post.mentions]



def test_rescore_plans_the_same_tags_as_ingest(tmp_path: Path) -> None:
    # A closing list's tags are told apart by the securities' keys: rescore reads the stored
    # keys, ingest the same keys before storing, so a rescore with nothing changed moves no
    # tone (a name and a listing it is written as, "$TM ... Toyota", are one key in both).
    from tracker.config import load_config
    from tracker.ingest.pipeline import ingest
    from tracker.ingest.rescore import rescore
    from tracker.store.database import Store, mentions

    folder = tmp_path / "in"
    folder.mkdir()
    texts = ["$HIVE is immensely undervalued, loading up. $ETH.X $BTC.X",
             "Toyota is crushing it this quarter, buying more. $TM $F",
             "贵州茅台今年的业绩非常好，值得长期持有，继续加仓。$贵州茅台(SH600519)$ $万科A(SZ000002)$",
             "All in CRSR again ¯\\_(ツ)_/¯ $CRSR"]
    for i, text in enumerate(texts):
        (folder / f"p{i}.txt").write_text(text, "utf-8")
    cfg_path = tmp_path / "config.toml"
    cfg_path.write_text("", "utf-8")
    cfg = load_config(cfg_path)
    store = Store(f"sqlite:///{tmp_path / 't.db'}")
    ingest([folder], cfg, store)

    def tones() -> dict[tuple[str, int], float | None]:
        return {(r["post_id"], r["start_offset"]): r["tone"] for r in store.iter_rows(mentions)}

    before = tones()
    assert 0.0 in before.values()  # the tags
    assert any(t is not None and t > 0.25 for t in before.values())
    rescore(store, cfg)
    assert tones() == before
    store.close()
