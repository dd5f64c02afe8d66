"""Every platform's way of writing a security ends as one canonical key (issue 13).

Posts go through the whole Analyzer with the packaged securities (curated list over the listed
universe), so these tests check what a user of `tracker show` sees.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.extract.mention_keys import keys
from tracker.extract.models import Mention, RawPost
from tracker.extract.securities import canonical_key
from tracker.ingest.analyze import Analyzer


def found(analyzer: Analyzer, text: str, title: str | None = None) -> list[Mention]:
    post = analyzer.analyze(RawPost("test", text, title=title))
    return list(post.mentions) if post is not None else []


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("$tsla gap fill", "TSLA"), ("$TSLA gap fill", "TSLA"), ("$$TSLA gap fill", "TSLA"),
        ("$BRK.B cheap", "BRK.B"), ("$BTC.X bid", "BTC.X"), ("$ES_F heavy", "ES_F"),
        ("$CL_F ripping", "CL_F"), ("$招商银行(SH600036)$ 放量", "600036.SS"),
        ("$腾讯控股(00700)$ 回购", "0700.HK"), ("SH600036 主力流入", "600036.SS"),
        ("sh600036 破位", "600036.SS"), ("600036.SH 分批买", "600036.SS"),
        ("600036.SS 股息", "600036.SS"), ("00700.HK 加仓", "0700.HK"),
        ("2330.TW 新高", "2330.TW"), ("$Tesla(TSLA.US) deliveries", "TSLA"),
        ("$贵州茅台（600519.SH）跌了", "600519.SS"), ("$0700.HK buyback", "0700.HK"),
        ("$招商银行(600036)$ 稳", "600036.SS"), ("$五粮液(000858)$ 跌", "000858.SZ"),
        ("$eth.x pop and fade", "ETH.X"), ("$ETH.x We Buyin'", "ETH.X"),
        ("earnings of BRK.B tomorrow", "BRK.B"),
    ],
    ids=["lower", "upper", "double-dollar", "share-class", "crypto", "future-es",
         "future-cl", "xueqiu-sh", "xueqiu-hk", "guba-prefix", "guba-lower", "dot-sh",
         "dot-ss", "dot-hk", "dot-tw", "longbridge", "fullwidth", "dollar-hk",
         "xueqiu-bare-sh", "xueqiu-bare-sz", "crypto-lower", "crypto-mixed",
         "share-class-bare"],
)
def test_every_form_is_one_key(analyzer: Analyzer, text: str, key: str) -> None:
    assert keys(analyzer, text) == [key]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("$BTC.X $ETH.X $ETC.C $VGX.X", ["BTC.X", "ETH.X", "ETC.X", "VGX.X"]),
     ("$BTC.X $ETH.X $DOGE.S $XRP.X", ["BTC.X", "ETH.X", "DOGE.X", "XRP.X"]),
     ("$LUNC.X $BTC.X $LUNA.ETH", ["LUNC.X", "BTC.X", "LUNA.X"]),
     ("$BRK.B and $BTC.X", ["BRK.B", "BTC.X"])],
    ids=["etc-c", "doge-s", "luna-eth", "share-class"],
)
def test_a_coin_tag_with_its_suffix_mistyped_is_the_coin(analyzer: Analyzer, text: str,
                                                        expected: list[str]) -> None:
    # StockTwits' $ETC.X written $ETC.C in a post that lists coins; a class share stays one.
    assert keys(analyzer, text) == expected


def test_a_coin_tag_with_another_suffix_alone_is_no_coin(analyzer: Analyzer) -> None:
    # No $BTC.X beside it: nothing says the suffix is a mistyped X.
    assert "ETC.X" not in keys(analyzer, "$ETC.C is up")


def test_all_forms_of_one_security_are_one_key(analyzer: Analyzer) -> None:
    text = "$招商银行(SH600036)$ SH600036 sh600036 600036.SH 600036.SS"
    assert [canonical_key(m.ticker, m.market) for m in found(analyzer, text)] == \
        ["600036.SS"] * 5


@pytest.mark.parametrize(
    ("text", "key", "instrument"),
    [
        ("$CL_F is not CL", "CL_F", "future"), ("$DJI down 500 points", "DJI", "index"),
        ("$HMC looks cheap", "HMC", "equity"), ("$SPX broke 6000", "SPX", "index"),
        ("$BTC.X holds", "BTC.X", "crypto"), ("$SPY red", "SPY", "etf"),
        ("$DJIA down 300 points", "DJI", "index"), ("$djia drops", "DJI", "index"),
        ("($DOWI)收盘上涨+0.19%", "DJI", "index"), ("（$IUXX）收盘上涨0.11%", "NDX", "index"),
    ],
    ids=["future-keeps-underscore", "dow-not-dji-drones", "honda-us", "index", "crypto",
         "etf", "djia-is-the-dow", "djia-lower-case", "nasdaq-feed-dow",
         "nasdaq-feed-nasdaq-100"],
)
def test_symbol_is_the_right_instrument(analyzer: Analyzer, text: str, key: str,
                                        instrument: str) -> None:
    mentions = found(analyzer, text)
    assert [(canonical_key(m.ticker, m.market), m.instrument) for m in mentions] == [
        (key, instrument)]


# 雪球's own tag (closed by a $) links a listing's page: its US code is a security even where
# today's universe no longer holds it, unless its name is a security the lists know and
# history.csv does not know the code (issue 28, eleventh round).
@pytest.mark.parametrize(
    ("text", "expected"),
    [("$Zymergen(ZY)$ 获增持26.88%", ["ZY"]), ("$滴滴(DIDI)$ 上市首日", ["DIDI"]),
     ("$中国人寿(LFC)$ 估值", ["LFC"]), ("$英伟达(USNVDA)$ 新高", ["NVDA"]),
     ("$澜起科技(MONT)$ 回购", ["688008.SS"]), ("$华为(HUAW)$ 发布会", ["HUAWEI"]),
     ("$AAPL is up (ZY)", ["AAPL"]), ("$美国原油基金(USO)$ 大涨", ["USO"]),
     ("$美国物理治疗(USPH)$ 财报", ["USPH"])],
    ids=["delisted-since", "delisted-since-zh-name", "adr-history-knows",
         "us-prefix", "name-over-old-code", "private-name-over-code", "not-a-xueqiu-tag",
         "listed-code-starting-with-us", "listed-clinic-starting-with-us"],
)
def test_a_xueqiu_tag_names_its_listing(analyzer: Analyzer, text: str,
                                        expected: list[str]) -> None:
    assert keys(analyzer, text) == expected


def test_hong_kong_context_reads_five_digits_as_hong_kong(analyzer: Analyzer) -> None:
    assert keys(analyzer, "港股 $周生生(00116)$ 金价大涨受益") == ["0116.HK"]


def test_market_words_place_a_four_digit_code(analyzer: Analyzer) -> None:
    assert keys(analyzer, "港股今天 $0700 又涨了") == ["0700.HK"]
    assert keys(analyzer, "台股 $2330 創新高") == ["2330.TW"]


@pytest.mark.parametrize(
    "text",
    ["$2400 gain day", "Made $1500 today on scalps", "Lost $2330 on that trade",
     "bought at $1420 sold at $1480", "Account at $5300 now", "$1,250 profit today",
     "$2330 + $100 = $2430", "Worth $2454 after fees", "Up $4200 on the week",
     "今天 $2330 块的东西", "亏了 $2400元", "$3500 gain week, finally",
     "The $5 billion in revenue (Q3) was a beat", "We pay $40 per share (ADR)",
     "Revenue came in at $5.2bn for the quarter (Q3)"],
    ids=["gain", "made", "lost", "at", "account", "comma", "arithmetic", "worth", "up",
         "kuai", "yuan", "gain-week", "amount-q3", "amount-adr", "bn-q3"],
)
def test_money_is_not_a_ticker(analyzer: Analyzer, text: str) -> None:
    assert keys(analyzer, text) == []


def test_parenthesised_word_after_a_cashtag_is_not_a_ticker(analyzer: Analyzer) -> None:
    assert keys(analyzer, "$AAPL is up (ADR)") == ["AAPL"]
    assert keys(analyzer, "$AAPL strong quarter (Q3)") == ["AAPL"]


def test_numeric_context_can_be_required() -> None:
    from tracker.extract.cashtags import find_cashtags
    assert [(h.ticker, h.market) for h in find_cashtags("mastered by $2382")] == [
        ("2382", "TW")]
    assert find_cashtags("mastered by $2382", numeric_needs_hint=True) == []
    assert [(h.ticker, h.market) for h in find_cashtags(
        "台股 $2382", numeric_needs_hint=True)] == [("2382", "TW")]


@pytest.mark.parametrize(
    "text",
    ["回复@做招商茅台安克股东: 说得对", "@紫金矿业粉丝 你怎么看", "//@腾讯控股吧:转发微博",
     "联系我 moutai@example.com", "链接 https://xueqiu.com/S/SH600036 自己看",
     "email me at nvda@example.com", "see https://example.com/TSLA/chart",
     "follow me @TSLA_fan", "比亚迪宋 卖得好", "京东肉饼 真好吃", "松下录像机 坏了",
     "比亚迪汉 开起来很舒服", "人形机器人 是未来方向", "太平洋 很大",
     "J.B. Hunt trucks across the U.S. and A.B. tests",
     "我刚刚关注了雪球组合 $贵州茅台(ZH2475384)$ ，当前净值 1.0340 。",
     "一下雪球组合 $科创50趋势跟踪(ZH2195186)$ 调仓",
     "CHECK HTTPS://WWW.FINVIZ.COM/quote.ashx?t=WKHS NOW", "see Https://example.com/WKHS",
     "LOOK AT WWW.EXAMPLE.COM/WKHS"],
    ids=["reply-handle", "handle", "repost-handle", "email-zh", "url-code", "email-en",
         "url-symbol", "handle-symbol", "byd-song", "jd-pie", "panasonic-recorder",
         "byd-han", "robot-word", "pacific-word", "initials-not-class-shares",
         "portfolio-tag", "portfolio-named-after-index", "url-in-capitals",
         "url-scheme-title-case", "www-in-capitals"],
)
def test_no_mention_inside_handles_links_or_products(analyzer: Analyzer, text: str) -> None:
    assert keys(analyzer, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [("AWWW.$GME IS BACK", ["GME"]), ("WOWWW....WKHS IS BACK", ["WKHS"])],
    ids=["www-ending-a-word", "www-before-dots"],
)
def test_www_in_capitals_inside_a_word_opens_no_link(analyzer: Analyzer, text: str,
                                                     expected: list[str]) -> None:
    # WWW. in capitals opens a link only at a word's start before a host (spans._OPAQUE).
    assert keys(analyzer, text) == expected


def test_title_is_searched_like_the_body(analyzer: Analyzer) -> None:
    post = analyzer.analyze(RawPost("test", "nice", title="$TSLA to the moon"))
    assert post is not None
    assert [(m.ticker, post.text[m.start:m.end]) for m in post.mentions] == [("TSLA", "$TSLA")]
    assert post.id == analyzer.analyze(RawPost("test", "nice")).id  # the id is the body's


def test_title_already_leading_the_body_is_read_once(analyzer: Analyzer) -> None:
    post = analyzer.analyze(RawPost("test", "$TSLA to the moon\nnice", title="$TSLA to the moon"))
    assert post is not None and len(post.mentions) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("GME to the moon, spy puts", ["GME", "SPY"]),
        ("PLTR calls printing today", ["PLTR"]),
        ("pltr to the moon", ["PLTR"]),
        ("I spy with my little eye something green", []),
        ("YOLO ALL IN on DD from a CEO who said EPS will hit ATH", []),
        ("The USA is not the only market, IT matters too", []),
        ("ON the other hand I think AI is overhyped", []),
        ("bought SOFI shares", ["SOFI"]),
    ],
    ids=["gme-spy", "pltr-calls", "lower-moon", "spy-word", "jargon", "usa-it", "on-ai",
         "sofi"],
)
def test_bare_tickers(analyzer: Analyzer, text: str, expected: list[str]) -> None:
    assert keys(analyzer, text) == expected


def test_listed_chinese_names_are_whole_words(analyzer: Analyzer) -> None:
    text = "紫金矿业 航天电子 中国卫星 湖南黄金 五洲新春 赛微电子 小米 长飞 涨停"
    assert keys(analyzer, text) == ["601899.SS", "600879.SS", "600118.SS", "002155.SZ",
                                    "603667.SS", "300456.SZ", "1810.HK", "601869.SS"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("回本卖出比亚迪，继续持有", ["002594.SZ"]), ("索尼发布新主机", ["SONY"]),
     ("诺基亚官方动态", ["NOK"]), ("丰田销量", ["TM"]), ("阿里涨2%", ["9988.HK"]),
     ("百度和京东都跌了", ["9888.HK", "9618.HK"]), ("网易新游戏上线", ["9999.HK"]),
     ("腾讯回购", ["0700.HK"]), ("BYD sales are up", ["1211.HK"]),
     ("Alibaba and Baidu are up", ["BABA", "BIDU"])],
    ids=["a-share-over-hong-kong", "new-york-over-tokyo", "new-york-over-helsinki",
         "new-york-over-tokyo-toyota", "hong-kong-over-new-york",
         "hong-kong-over-new-york-two", "hong-kong-over-new-york-netease",
         "hong-kong-home-kept", "english-post-unchanged", "english-post-new-york"],
)
def test_a_chinese_post_names_the_a_share_else_hong_kong_else_new_york(
        analyzer: Analyzer, text: str, expected: list[str]) -> None:
    assert keys(analyzer, text) == expected


@pytest.mark.parametrize(
    ("text", "day", "expected"),
    [("蔚来交付新高", "2021-06-01", ["NIO"]), ("蔚来交付新高", "2023-06-01", ["9866.HK"]),
     ("阿里涨2%", "2019-01-01", ["BABA"]), ("阿里涨2%", "2021-06-01", ["9988.HK"]),
     ("中国移动分红", "2021-06-01", ["0941.HK"]), ("中国移动分红", "2023-06-01", ["600941.SS"]),
     ("阿里ADR涨了", "2023-06-01", ["BABA"]),
     ("中国电信分红", "2021-06-01", ["0728.HK"]), ("中国电信分红", "2023-06-01", ["601728.SS"]),
     ("中海油分红很高", "2021-06-01", ["0883.HK"])],
    ids=["nio-before-its-hong-kong-listing", "nio-after", "alibaba-before", "alibaba-after",
         "china-mobile-before-its-a-share", "china-mobile-after", "marker-wins",
         "china-telecom-before-its-home-a-share", "china-telecom-after",
         "cnooc-before-its-home-a-share"],
)
def test_a_chinese_post_names_a_listing_trading_on_its_day(
        analyzer: Analyzer, text: str, day: str, expected: list[str]) -> None:
    post = analyzer.analyze(RawPost("test", text, published_field=f"{day}T08:00:00Z"))
    assert [canonical_key(m.ticker, m.market) for m in post.mentions] == expected


def test_an_undated_chinese_post_is_bounded_by_its_files_day(analyzer: Analyzer) -> None:
    def keys_by(mtime: float | None) -> list[str]:
        post = analyzer.analyze(RawPost("test", "蔚来交付新高", file_mtime=mtime))
        return [canonical_key(m.ticker, m.market) for m in post.mentions]

    # A file last written on 2021-07-01 holds no post of 2022, when 9866.HK listed; an
    # undated post with no file day is read as of today.
    assert keys_by(datetime(2021, 7, 1, tzinfo=UTC).timestamp()) == ["NIO"]
    assert keys_by(datetime(2023, 7, 1, tzinfo=UTC).timestamp()) == ["9866.HK"]
    assert keys_by(None) == ["9866.HK"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("$阿里巴巴(BABA)$ 阿里涨了", ["BABA"]), ("$阿里巴巴-SW(09988)$ 阿里涨了", ["9988.HK"]),
     ("阿里ADR涨了", ["BABA"]), ("京东 ADR 跌了", ["JD"])],
    ids=["new-york-tag", "hong-kong-tag", "adr-marker", "adr-marker-spaced"],
)
def test_a_chinese_posts_tag_or_marker_names_the_listing(
        analyzer: Analyzer, text: str, expected: list[str]) -> None:
    assert keys(analyzer, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("数据来源：同花顺、WIND，风险提示：投资需谨慎", []), ("来源：富途资讯 杰富瑞上调评级", []),
     ("Source: FactSet, as of Friday", []), ("同花顺 今天涨停了", ["300033.SZ"]),
     ("ARM架构带来的担忧", []), ("Arm 指令集授权", [])],
    ids=["data-source-list", "news-source", "english-source", "named-as-a-share",
         "architecture", "instruction-set"],
)
def test_a_cited_source_or_an_architecture_is_no_mention(analyzer: Analyzer, text: str,
                                                         expected: list[str]) -> None:
    assert keys(analyzer, text) == expected


def test_a_name_takes_the_listing_the_post_writes(analyzer: Analyzer) -> None:
    assert keys(analyzer, "$TM Toyota hybrid sales strong") == ["TM"]
    assert keys(analyzer, "$比亚迪(SZ002594)$ 海外工厂投产，比亚迪 销量新高") == ["002594.SZ"]


# Lines in the way Reddit and 雪球 users write, with the keys a reader sees in each.
REDDIT_LINES = [
    ("GME to the moon, spy puts", ["GME", "SPY"]),
    ("Bought SPY calls before CPI, prayers up", ["SPY"]),
    ("QQQ and SPY both at ATH, what now", ["QQQ", "SPY"]),
    ("PLTR and SOFI both green today", ["PLTR", "SOFI"]),
    ("nvda calls printing", ["NVDA"]),
    ("tsla shares down after delivery miss", ["TSLA"]),
    ("RIVN shares down again, what a bag", ["RIVN"]),
    ("SMCI calls are a casino", ["SMCI"]),
    ("$2400 gain day, thank you market", []),
    ("My wife's boyfriend says hi", []),
    ("Sir, this is a Wendy's", []),
    ("DD: why I think the FED pivots", []),
    ("Edit: TLDR buy the dip", []),
    ("EV stocks: TSLA, RIVN, LCID all red today", ["TSLA", "RIVN", "LCID"]),
    ("$3000 in calls went to zero", []),
    ("AMC and GME shares both halted", ["AMC", "GME"]),
    ("Loaded up on QQQ shares this morning", ["QQQ"]),
    ("TQQQ shares go brrr", ["TQQQ"]),
    ("UVXY calls for the crash", ["UVXY"]),
    ("amc calls expired worthless", ["AMC"]),
    ("gme shares up 20% premarket", ["GME"]),
    ("Theta gang rise up", []),
    ("Cash is a position too", []),
    ("AAPL vs MSFT, which one for the next decade? Bought shares of both",
     ["AAPL", "MSFT"]),
    ("@GME_Official thanks for the update", []),
]
XUEQIU_LINES = [
    ("$招商银行(SH600036)$ 今天放量上涨，银行股要起飞了", ["600036.SS"]),
    ("$腾讯控股(00700)$ 回购不停，港股通继续买", ["0700.HK"]),
    ("$贵州茅台(SH600519)$ 跌破1500了，抄底吗", ["600519.SS"]),
    ("$宁德时代(SZ300750)$ 固态电池进展超预期", ["300750.SZ"]),
    ("$小米集团-W(01810)$ SU7订单火爆", ["1810.HK"]),
    ("$美团-W(03690)$ 外卖大战继续烧钱", ["3690.HK"]),
    ("$紫金矿业(SH601899)$ 铜价新高，业绩稳了", ["601899.SS"]),
    ("$特斯拉(TSLA)$ 交付数据不及预期", ["TSLA"]),
    ("白酒：$贵州茅台(SH600519)$ $五粮液(SZ000858)$ 都在跌", ["600519.SS", "000858.SZ"]),
    ("光模块 $中际旭创(SZ300308)$ $新易盛(SZ300502)$ 继续新高", ["300308.SZ", "300502.SZ"]),
    ("回复@做招商茅台安克股东: 说得对", []),
    ("今天赚了2400块，开心", []),
    ("亏了3000元，心态崩了", []),
    ("$2400 日内赚了一笔，收工", []),
    ("比亚迪宋 卖得好，家用首选", []),
    ("京东肉饼 真好吃", []),
    ("中国平安 估值太低了，市净率不到1", ["601318.SS"]),
    ("工业富联 AI服务器订单爆满", ["601138.SS"]),
    ("上证指数 又跌破3000点了", ["000001.SS"]),
    ("属于上证180、上证380指数成份股", ["000010.SS", "000009.SS"]),
    ("恒生指数 大涨4%", ["HSI.HK"]),
    ("比特币 突破十万美元", ["BTC.X"]),
    ("港股 $周生生(00116)$ 金价大涨受益", ["0116.HK"]),
    ("SH600036招商银行 放量突破", ["600036.SS"]),
    ("腾讯控股（00700.HK）业绩超预期", ["0700.HK"]),
    ("链接 https://xueqiu.com/S/SH600036 自己看", []),
]


@pytest.mark.parametrize(("text", "expected"), REDDIT_LINES + XUEQIU_LINES,
                         ids=[f"reddit-{i}" for i in range(len(REDDIT_LINES))]
                         + [f"xueqiu-{i}" for i in range(len(XUEQIU_LINES))])
def test_reddit_and_xueqiu_lines(analyzer: Analyzer, text: str, expected: list[str]) -> None:
    assert keys(analyzer, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("$BTC.X $LTC $ETH.X Iceberg ahead", ["BTC.X", "LTC.X", "ETH.X"]),
     ("$LINK $ETH.X lets go", ["LINK.X", "ETH.X"]), ("$LTC dividend is safe", ["LTC"])],
    ids=["litecoin-among-coins", "chainlink", "ltc-properties-alone"],
)
def test_a_coins_symbol_without_its_suffix_is_the_coin_in_a_crypto_post(
        analyzer: Analyzer, text: str, expected: list[str]) -> None:
    # A post that writes a coin's cashtag ($BTC.X) drops the suffix on the others (issue
    # 28, sixth round); alone, $LTC is LTC Properties.
    assert keys(analyzer, text) == expected


# A stoplisted word written as a lower-case cashtag is a word alone ("$coin is down" may be
# anything), and the security among other cashtags, as StockTwits lists them.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$SPY $BTC.X $coin Told you crypto was a scam", ["SPY", "BTC.X", "COIN"]),
        ("$ETH.X $btc  https://youtu.be/x", ["ETH.X", "BTC.X"]),
        ("$coin is down", []),
        ("$TSLA cost me $usd 500", ["TSLA"]),
    ],
    ids=["coin-among-tags", "btc-among-coins", "coin-alone", "currency-among-tags"],
)
def test_a_stoplisted_lower_case_cashtag_counts_among_others(
        analyzer: Analyzer, text: str, expected: list[str]) -> None:
    assert keys(analyzer, text) == expected


# WTI written bare is the crude benchmark (both of real_train's were labelled CL_F); the
# cashtag stays W&T Offshore's symbol.
@pytest.mark.parametrize(
    ("text", "expected"),
    [("with WTI going up, I was thinking of energy", ["CL_F"]), ("$WTI is cheap", ["WTI"])],
    ids=["bare-is-crude", "cashtag-is-the-share"],
)
def test_wti_bare_is_crude(analyzer: Analyzer, text: str, expected: list[str]) -> None:
    assert keys(analyzer, text) == expected


# Polygon, Aave and Uniswap are curated coins: their names count in a crypto post; Polygon,
# a common word, needs that context.
@pytest.mark.parametrize(
    ("text", "expected"),
    [("$ETH.X Polygon Launches New Scaling Solution", ["ETH.X", "MATIC.X"]),
     ("$ETH.X Aave Touts New Decentralized Stablecoin GHO", ["ETH.X", "AAVE.X"]),
     ("I drew a polygon in math class", []),
     # Ethereum Classic, Lido DAO, Fantom and The Sandbox (the eleventh round).
     ("$ETH.X The original coin is ETH Classic", ["ETH.X", "ETC.X"]),
     ("Tokens Swell in Value With ETH, ETC Leading the Pack $ETH.X", ["ETH.X", "ETC.X"]),
     ("$ETH.X Lido DAO price moves higher as the Merge moves closer", ["ETH.X", "LDO.X"]),
     ("$ETH.X Lido Finance Unveils Plans To Expand", ["ETH.X", "LDO.X"]),
     ("Chainlink Keepers Are Going Live on Fantom Mainnet $BTC.X",
      ["LINK.X", "FTM.X", "BTC.X"]),
     ("$ETH.X Ethereum and The Sandbox Lead the Altcoins", ["ETH.X", "SAND.X"]),
     ("The kids built a sandbox at the lido, etc.", [])],
    ids=["polygon-in-a-crypto-post", "aave", "polygon-the-shape", "eth-classic",
         "etc-beside-eth", "lido-dao", "lido-finance", "fantom", "the-sandbox",
         "words-without-a-coin"],
)
def test_curated_coin_names(analyzer: Analyzer, text: str, expected: list[str]) -> None:
    assert keys(analyzer, text) == expected
