"""Bare tickers (issue 28): a symbol is a whole word, and a symbol that is also a word or a
trading term needs trading context. Through the whole Analyzer, as `tracker show` reads."""

from __future__ import annotations

import functools
from datetime import date

import pytest

from tests.extract.mention_keys import keys
from tracker.extract.models import RawPost
from tracker.extract.name_rules import POPULAR_BARE, POPULAR_WORDS
from tracker.extract.names import get_matcher
from tracker.extract.securities import canonical_key, load_securities
from tracker.ingest.analyze import Analyzer


# Each word holds a symbol that counts on its own (BAC, META, DIA, SPY, GME, ...) and has a
# trading word beside it, so only the edge check keeps it out.
@pytest.mark.parametrize(
    "text",
    ["I bought back in today", "metal calls are hot", "diamond hands, buy more",
     "spyware stock is a scam", "gmexyz calls", "this season calls for puts",
     "cannot sell now", "I often buy dips", "Back in calls", "Metal shares up",
     "Diamond hands hold"],
    ids=["back", "metal", "diamond", "spyware", "gmexyz", "season", "cannot", "often",
         "title-back", "title-metal", "title-diamond"],
)
def test_a_symbol_inside_a_word_is_no_ticker(analyzer: Analyzer, text: str) -> None:
    assert keys(analyzer, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [("bac calls", ["BAC"]), ("meta calls", ["META"]), ("spy puts", ["SPY"]),
     ("gme! calls", ["GME"]), ("(spy puts)", ["SPY"])],
    ids=["bac", "meta", "spy", "gme-bang", "brackets"],
)
def test_a_whole_word_symbol_still_counts(analyzer: Analyzer, text: str,
                                          expected: list[str]) -> None:
    assert keys(analyzer, text) == expected


# --- common English words ---------------------------------------------------------------

SECURITIES = load_securities()
# Upper-case symbols that count on sight: the curated list's and Reddit's favourites.
ON_SIGHT = {s.ticker for s in load_securities(universe=False) if s.market == "US"} | POPULAR_BARE


@functools.cache
def common() -> list[str]:
    """The 10,000 most frequent English words (wordfreq, a dev dependency), as a bare symbol
    could spell them. Read by the tests that use them, not when the module is collected: a
    pytest-xdist worker collects every module and runs half (wordfreq and its list, 0.19 s of
    CPU)."""
    from wordfreq import top_n_list

    return sorted({w for w in top_n_list("en", 10000)
                   if w.isascii() and w.isalpha() and 2 <= len(w) <= 5})


# Sentences with no trading word in them, in the cases prose writes a word.
NEUTRAL = ("we saw {w} there, and that was all", "{W} is what she said at the time")


# Undated, and on days when symbols delisted since were held (bare.gone_holder: a dated
# post's symbol may be a company gone since, ALEX in 2018 Alexander & Baldwin).
@pytest.mark.parametrize("day", [None, date(2018, 6, 1), date(2021, 6, 15)], ids=str)
def test_no_common_word_is_a_ticker_without_trading_context(day: date | None) -> None:
    matcher = get_matcher(SECURITIES)
    found = {}
    for word in common():
        for form in NEUTRAL:
            for written in (word, word.title(), word.upper()):
                text = form.format(w=written, W=written)
                every = matcher.find(text, day=day)
                hits = [h for h in every if h.kind == "bare_ticker"]
                # An upper-case symbol of the curated list (SPY, SNAP, UPS) counts on sight:
                # on the development sample every one of them was the ticker (docs/mentions.md).
                if hits and not (written.isupper() and hits[0].ticker in ON_SIGHT):
                    found[text] = hits[0].ticker
            # Capitals with the Shift key let go for the last letter (SNAp, SONy): no more
            # than the capitals (the loop's last text, so its hits) read (bare.BARE_SLIPPED).
            read = {h.ticker for h in every}
            slipped = word[:-1].upper() + word[-1]
            text = form.format(w=slipped, W=slipped)
            for h in matcher.find(text, day=day):
                if h.kind == "bare_ticker" and h.ticker not in read:
                    found[text] = h.ticker
    assert found == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [("CAN calls are cheap", ["CAN"]), ("bought TEAM shares", ["TEAM"]),
     ("testing the 50 SMA today", []), ("RSI oversold, buying calls", []),
     ("AAPL held the 50 DMA", ["AAPL"]),
     ("EMA calls printing", ["EMA"]), ("a note on an ETN, leveraged", []),
     ("I CAN'T sell now", []), ("AMC's float is huge, buy", ["AMC"]),
     ("Bought SPXS last Thursday. Up 26% YTD. AMA", ["SPXS"]),
     # The future by its curated name, not Dow Inc by the bare term (issue 28, tenth round).
     ("DOW Futures DOWN!", ["YM_F"]), ("shares of ETN rose", ["ETN"]),
     ("Lord POW speaks today, buy the dip", []), ("ALOT of calls expired", []),
     ("SPT breakout, buying more", [])],
    ids=["can-calls", "team-shares", "sma", "rsi", "dma", "ema-calls", "etn-note", "cant",
         "possessive", "ama", "dow", "shares-of", "pow", "alot", "spt"],
)
def test_words_and_trading_terms_need_context(analyzer: Analyzer, text: str,
                                              expected: list[str]) -> None:
    assert keys(analyzer, text) == expected


def test_popular_symbols_that_are_words_are_marked() -> None:
    words = {w.upper() for w in common()}
    assert {s for s in POPULAR_BARE if s in words} <= POPULAR_WORDS


# --- Reddit's forms -------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [("gme!", ["GME"]), ("filter gme pls", ["GME"]), ("AMC/GME", ["AMC", "GME"]),
     ("amc/gme forever", ["AMC", "GME"]), ("#gme #amc", ["GME", "AMC"]),
     ("GME is kinda holding too and BB", ["GME", "BB"]),
     ("Gamestop is the play", ["GME"]), ("gamestop and chill", ["GME"]),
     ("DraftKings is up", ["DKNG"]), ("Pltr finally alive", ["PLTR"]),
     ("BrainChip is the future of edge AI", ["BRCHF"]),
     ("#spy 440 gang", ["SPY"]), ("spy/qqq correct", ["SPY", "QQQ"]),
     ("I spy with my little eye", []), ("meta mask swap fees", []),
     ("r/GME is a subreddit", []), ("snap chat filter", []),
     ("mRNA vaccines work", []), ("Northwestern won the game", []),
     ("Ready for lift off...CLOV about to rocket", ["CLOV"]), ("file.TXT is open", []),
     ("Opinions on HACK etf", ["HACK"]), ("time to HACK the system", []),
     ("华夏MSCI A股ETF小幅净流入", [])],
    ids=["bang", "filter-pls", "slash-pair", "lower-slash-pair", "hashtags", "and-bb",
         "title-name", "lower-name", "listed-camel-name", "title-symbol", "brainchip",
         "word-hashtag",
         "word-slash-pair", "spy-word", "meta-word", "subreddit", "snap-word", "mrna-word",
         "camel-name-lower-is-word", "after-ellipsis", "after-word-dot", "word-symbol-etf",
         "word-symbol-alone", "etf-a-few-words-off"],
)
def test_reddit_forms(analyzer: Analyzer, text: str, expected: list[str]) -> None:
    assert keys(analyzer, text) == expected


# --- a symbol that is a word, used as the word --------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [("WISH poppin off", ["WISH"]), ("Thank you WISH boys for picking me up", ["WISH"]),
     ("The WISH train is just getting started", ["WISH"]),
     ("Damn I WISH I would've sold on Tuesday", []), ("Today feels like a day to make a WISH", []),
     ("I SPY with my little eye", []), ("I WISH calls were cheaper", ["WISH"]),
     ("I am gonna hold my BB, CLNE and NOK", ["BB", "CLNE", "NOK"]),
     ("Lets go BABA you bitch", ["BABA"])],
    ids=["wish-ticker", "after-you", "after-the", "after-I", "after-a", "spy-after-I",
         "ticker-word-beside", "after-my", "before-you"],
)
def test_an_upper_case_word_symbol_after_a_pronoun_or_article_is_the_word(
        analyzer: Analyzer, text: str, expected: list[str]) -> None:
    # ContextLogic traded as WISH (Wish, the shopping app) on NASDAQ from 2020; in WSB's June
    # 2021 threads most upper-case WISHes are the ticker, those after "I" or "a" the word.
    assert keys(analyzer, text) == expected


# --- a word symbol nobody held on the post's day ------------------------------------------

@pytest.mark.parametrize(
    ("text", "day", "expected"),
    [("bought WEED calls today", "2018-03-01", []),
     ("bought WEED calls today", "2023-03-01", ["WEED"]),
     ("bought WEED calls today", None, ["WEED"]),
     ("I'm holding a few JAN calls at 185 and 190", "2018-01-02", []),
     ("bought RIVN calls", "2018-03-01", ["RIVN@UNKNOWN"])],
    ids=["word-before-listing", "word-after-listing", "undated", "month-before-listing",
         "no-word-symbol-stays"],
)
def test_a_word_symbol_nobody_held_on_the_day_is_no_mention(
        analyzer: Analyzer, text: str, day: str | None, expected: list[str]) -> None:
    # The US WEED listed in 2022: in 2018 it was Canopy Growth's Toronto symbol. A symbol
    # that is no word (RIVN) keeps its level: `RIVN@UNKNOWN`, as before.
    post = analyzer.analyze(RawPost("test", text, published_field=day and f"{day}T12:00:00Z"))
    assert [canonical_key(m.ticker, m.market) for m in post.mentions] == expected


# --- symbols of companies delisted since ---------------------------------------------------

@pytest.mark.parametrize(
    ("text", "day", "expected"),
    [("TWTR taking a hit today", "2018-06-01", ["TWTR@2022"]),
     ("Should I buy shares of AET?", "2018-06-01", ["AET@2018"]),
     ("TWTR taking a hit today", "2026-11-01", []), ("TWTR taking a hit today", None, []),
     ("we saw ALEX there, and that was all", "2018-06-01", []),
     ("ALEX calls printing", "2018-06-01", ["ALEX@2026"]),
     ("TWTR 让人失望", "2018-06-01", []),
     # On the raw active list of 2026-04-09 and in no later listing (issue 28, sixteenth
     # round): Juniper Networks. Icahn Enterprises' units are a share of the universe (a
     # partnership's units are its shares), listed, not a holder that left.
     ("JNPR closing out the trade", "2018-06-01", ["JNPR@2026"]),
     ("IEP... TIME TO BUY?", "2018-06-01", ["IEP"]),
     ("JNPR closing out the trade", None, []),
     # A word symbol with context, but the initials of a company the post names: Texas
     # Instruments' TI, not Telecom Italia's of 2018; alone, Telecom Italia's.
     ("vested stock in Texas Instruments. I had 1500 RSUs for TI stock", "2018-02-07",
      ["TXN"]),
     ("I had 1500 RSUs for TI stock", "2018-02-07", ["TI@2019"])],
    ids=["twitter-2018", "aetna-2018", "after-delisting", "undated", "word", "word-with-context",
         "in-chinese", "active-list-juniper", "active-list-units", "active-list-undated",
         "word-with-context-spelling-a-name", "word-with-context-alone"],
)
def test_a_dated_post_reads_symbols_of_companies_delisted_since(
        analyzer: Analyzer, text: str, day: str | None, expected: list[str]) -> None:
    post = analyzer.analyze(RawPost("test", text, published_field=day and f"{day}T12:00:00Z"))
    assert [canonical_key(m.ticker, m.market) for m in post.mentions] == expected


@pytest.mark.parametrize(
    ("text", "day", "expected"),
    [("My FLT to Denver got cancelled.", "2018-06-01", []),
     ("Press CTL + C to copy.", "2018-06-01", []),
     ("Our PKI certificates expire tomorrow.", "2018-06-01", []),
     ("The ECA backed the loan.", "2018-06-01", []),
     ("GDI came in weaker than GDP this quarter.", "2018-06-01", []),
     ("DDR memory prices keep rising.", "2018-03-02", []),
     # In a table of symbols in capitals, on sight: Gardner Denver (IR since 2020).
     ("ENPH\tSHORT\nGDI\tSHORT\nNGVT\tSHORT", "2018-02-28", ["ENPH", "IR", "NGVT"]),
     # With context they are the company's old symbol, keyed as the company is today.
     ("Bought FLT shares today", "2018-06-01", ["CPAY"]),
     ("Watching CTL, VZ, AAPL", "2018-06-01", ["LUMN", "VZ", "AAPL"]),
     ("Loaded up on $FLT", "2018-06-01", ["CPAY"]),
     # A renamed company's old symbol that is no abbreviation still counts on sight.
     ("UTX is cheap", "2018-06-01", ["RTX"]),
     ("Bought DDR calls, retail REITs look cheap", "2018-03-02", ["SITC"])],
    ids=["flight", "control", "pki", "eca", "gdi", "ddr-memory", "gdi-table", "flt-shares",
         "ctl-list", "flt-cashtag", "utx-on-sight", "ddr-calls"],
)
def test_a_renamed_symbol_that_is_an_abbreviation_needs_context_in_prose(
        analyzer: Analyzer, text: str, day: str, expected: list[str]) -> None:
    # renames.csv made these the old symbols of FleetCor, CenturyLink, PerkinElmer, Encana
    # and Gardner Denver: on sight, a 2018 "FLT to Denver" was Corpay.
    post = analyzer.analyze(RawPost("test", text, published_field=f"{day}T12:00:00Z"))
    assert [canonical_key(m.ticker, m.market) for m in post.mentions] == expected


@pytest.mark.parametrize(
    ("text", "day", "expected"),
    [("I have $103 to invest in Robinhood", "2018-06-01", []),
     ("I have $103 to invest in Robinhood", "2022-06-01", ["HOOD"]),
     ("I have $103 to invest in Robinhood", None, ["HOOD"]),
     ("Arm shares jumped after the chip licensing deal", "2021-06-01", []),
     ("Arm shares jumped after the chip licensing deal", "2024-06-01", ["ARM"]),
     # A post about its coming listing, in the half year before it (SPOT listed 2018-04-03).
     ("Spotify IPO? Anyone have a guess where it'll open", "2018-03-13", ["SPOT"]),
     ("When Spotify goes public, buy it", "2018-02-01", ["SPOT"]),
     ("Spotify IPO? Anyone have a guess", "2017-06-01", []),
     ("Spotify playlists are great for the gym", "2018-03-13", []),
     ("Robinhood launched a new pre-IPO listing", "2021-06-23", [])],
    ids=["robinhood-2018", "robinhood-2022", "robinhood-undated", "arm-2021", "arm-2024",
         "ipo-weeks-before", "goes-public", "ipo-talk-too-early", "no-listing-talk",
         "pre-ipo-product"],
)
def test_a_company_named_before_it_listed_is_no_mention(
        analyzer: Analyzer, text: str, day: str | None, expected: list[str]) -> None:
    post = analyzer.analyze(RawPost("test", text, published_field=day and f"{day}T12:00:00Z"))
    assert [canonical_key(m.ticker, m.market) for m in post.mentions] == expected


def test_a_date_read_from_the_text_does_not_date_the_listings(analyzer: Analyzer) -> None:
    # A date the post talks about, before 茅台 listed (2001-08-27), is not when it was
    # written: 茅台 stays a mention.
    post = analyzer.analyze(RawPost("test", "2001年3月29日，茅台酒正式获得原产地保护，茅台股价大涨"))
    assert post.published_from == "text"
    assert [canonical_key(m.ticker, m.market) for m in post.mentions] == ["600519.SS"]


# --- a foreign company's US listing ------------------------------------------------------

def test_a_bare_us_listing_of_a_foreign_company_keys_the_us_listing(analyzer: Analyzer) -> None:
    # Nokia's row is Helsinki's (NOKIA.HE) with NOK.US as a listing: a bare NOK is the US
    # symbol, as a $NOK cashtag is, never a Helsinki "NOK.HE" that lists nothing.
    assert keys(analyzer, "Been holding that NOK a while, calls printing") == ["NOK"]
    assert keys(analyzer, "$NOK and nok calls") == ["NOK"]


# --- listed symbols that are no English word -----------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [("WKHS ready for takeoff", ["WKHS"]), ("CLNE ✌️👀", ["CLNE"]),
     ("Holy balls GSAT", ["GSAT"]), ("ARWR surge! Great future outlook.", ["ARWR"]),
     ("TELL me why", []), ("BODY of work", []),
     ("Dream Finders Homes (DFH) is up", ["DFH"]),
     # Its own name without the listed name's commas (Motorola Solutions, Inc.): not another
     # name's initials, so not Micro-Star's MSI (2377.TW) either.
     ("Motorola Solutions Inc (MSI) has been upgraded to outperform", ["MSI"]),
     ("The Royal Bank of Canada has been buying. Apparently RBC knows something", []),
     ("半导体制造最不宽容「PPT 承诺」的行业", [])],
    ids=["wkhs", "clne-emoji", "gsat", "arwr", "tell-word", "body-word", "own-initials",
         "own-initials-unpunctuated", "other-initials", "chinese-loan-word"],
)
def test_an_uncommon_listed_symbol_counts_on_sight(analyzer: Analyzer, text: str,
                                                   expected: list[str]) -> None:
    assert keys(analyzer, text) == expected


# --- listed names that are no English word --------------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [("Workhorse has got that momentum", ["WKHS"]), ("Krispy Kreme IPO this week", ["DNUT"]),
     ("Tilray yessssssir", ["TLRY"]), ("palantir to the moon", ["PLTR"]),
     ("the 4 gods of Solana sheeple", ["SOL.X"]), ("Clover grows wild in the meadow", []),
     ("my purple shirt", []), ("owning the recursion engine", []),
     ("WORKHORSE PEOPLE, LETS GO", ["WKHS"]),
     ("SoFi is grossly undervalued", ["SOFI"]), ("DeFi tokens rally", [])],
    ids=["workhorse", "krispy", "tilray", "palantir-lower", "solana-coin-not-share",
         "clover-word", "purple-word", "rare-word-in-lower-case", "upper-case-name",
         "short-camel-spells-symbol", "short-camel-spells-none"],
)
def test_a_listed_name_that_is_no_word_counts(analyzer: Analyzer, text: str,
                                              expected: list[str]) -> None:
    assert keys(analyzer, text) == expected


# --- the curated indices', futures' and coins' English names -------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [("Did S&P500 trade below 2812 today?", ["SPX"]),
     ("the Dow goes 600pts lower", ["DJI"]), ("DJIA is up 0.6% so far today", ["DJI"]),
     ("Dow futures march higher", ["YM_F"]), ("Nasdaq 100 down 2%", ["NDX"]),
     ("Why Dogecoin Is Getting Hammered", ["DOGE.X"]),
     ("Ripple effects everywhere", []), ("Dow Jones & Company owns the WSJ", []),
     ("EUR/USD is flat", []), ("the S&P is only down 5.5%", ["SPX"]),
     ("tweets about bitcoin earnings", ["BTC.X"]), ("ethereum price up", ["ETH.X"]),
     ("This gives me optimism about the stock", []),
     ("VIX Alerts: be ready to pull the trigger", ["VIX"]), ("spx down 8% today", ["SPX"]),
     ("Has anyone considered what to do if DJI goes public?", []),
     # A coin's symbol in lower or title case, with the context an ambiguous name needs
     # (docs/mentions.md, tenth round): a crypto post's other cashtags, a market word.
     ("$ETH.X it will dump hard once btc craps to 12k", ["ETH.X", "BTC.X"]),
     ("Sq offer btc trading for everyone", ["BTC.X"]), ("Btc price is about to dump", ["BTC.X"]),
     ("$BTC.X there is more volume in eth today", ["BTC.X", "ETH.X"]),
     ("btc", []), ("Is r/BTC just r/WallStreetBets in disguise?", []),
     ("$ETH.X hit the wall right as bitty decides to melt", ["ETH.X", "BTC.X"]),
     ("an itty bitty spider", [])],
    ids=["sp500", "the-dow", "djia", "dow-futures", "nasdaq-100", "dogecoin",
         "ripple-word", "dow-jones-the-firm", "no-currency-pair", "the-s-and-p",
         "bitcoin-lower", "ethereum-lower", "optimism-word", "vix-bare", "spx-lower",
         "dji-the-drone-maker", "btc-beside-a-coin", "btc-trading", "btc-title-price",
         "eth-lower", "btc-alone", "subreddit", "bitty", "itty-bitty"],
)
def test_curated_instruments_by_english_name(analyzer: Analyzer, text: str,
                                             expected: list[str]) -> None:
    assert keys(analyzer, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Yall buy wkhs", ["WKHS"]), ("Spce shorts r fuk", ["SPCE"]),
     ("Clf rocket engaging", ["CLF"]), ("spce", []), ("200 ema being tested, bullish", []),
     ("rsi momentum past 50, calls", []), ("TQQQ shares go brrr", ["TQQQ"]),
     ("Wkhs get to 18 my beast", ["WKHS"]), ("Gsat running", ["GSAT"]),
     ("I missed u bby", []),
     # A curated symbol that is no word reads so too (issue 28, tenth round).
     ("Buy tvix on open tomorrow?", ["TVIX"]), ("Tvix", ["TVIX"]), ("gsat", []),
     # ... and two such listed side by side give each other the context.
     ("ttcf and clf discount", ["TTCF", "CLF"]), ("spce clf", [])],
    ids=["lower-buy", "title-shorts", "title-rocket", "lower-alone", "ema-term", "rsi-term",
         "drawn-out-word", "title-alone", "title-alone-gsat", "lower-chat-word",
         "curated-lower-buy", "curated-title-alone", "lower-alone-gsat", "lower-pair",
         "lower-pair-by-space"],
)
def test_an_uncommon_symbol_in_lower_case_needs_context(analyzer: Analyzer, text: str,
                                                        expected: list[str]) -> None:
    assert keys(analyzer, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("wkhs", ["WKHS"]), ("the one with the vax that works, nvax", ["NVAX"]),
     ("itub", ["ITUB"]), ("ttcf clf", ["TTCF"]),
     # Spelled in English text, so context is still needed: a chat word, a rare word.
     ("I missed u bby", []), ("spce", []),
     # A TeX command is no symbol, nor a cashtag before it.
     ("for all $q\\geq 1$ it holds", []), ("\\geq", [])],
    ids=["listed", "listed-in-prose", "curated", "curated-beside-spelled", "chat-word",
         "rare-word", "tex-in-math", "tex-alone"],
)
def test_a_symbol_no_english_text_spells_counts_in_lower_case_on_sight(
        analyzer: Analyzer, text: str, expected: list[str]) -> None:
    # Issue 28, fourteenth round: on the development posts +24 right pairs, none wrong.
    assert keys(analyzer, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Everything is red today except Tripadvisor (TRIP)", ["TRIP"]),
     ("We went on a holiday (TRIP) to see it", []), ("a trip (TRIP) with friends", [])],
    ids=["own-name", "no-name", "word-not-name"],
)
def test_a_word_symbol_in_brackets_after_its_company_name(analyzer: Analyzer, text: str,
                                                         expected: list[str]) -> None:
    assert keys(analyzer, text) == expected


def test_a_list_of_symbols_in_capitals_reads_a_word_symbol_beside_another(
        analyzer: Analyzer) -> None:
    # A list of symbols reads as an all-caps passage; a semicolon separates a list too.
    assert "RAIL" in keys(analyzer, "The lowest rated stocks: AMC; AMBC; DHT; FLS; RAIL")
    assert "LIFT" not in keys(analyzer, "JNUG LIFT OFF. YELLEN ILY")
    assert "CAN" not in keys(analyzer, "$WISH CAN STILL GO UP TO $15 TODAY, NOT TOO LATE")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("TSLA PLUG SNDL PLTR RIOT ... and one unmentionable", ["TSLA", "PLUG", "SNDL", "PLTR",
                                                              "RIOT"]),
     ("DKNG PLTR PLUG 🔌🔌🔌", ["DKNG", "PLTR", "PLUG"]),
     ("Good sign for crypto. ETSY TDOC UPST BROS CHWY", ["ETSY", "TDOC", "UPST", "BROS",
                                                         "CHWY"]),
     ("JNUG LIFT OFF tonight", ["JNUG"]), ("Time to pull the PLUG TSLA is done", ["TSLA"]),
     # DRS on r/wallstreetbets is the Direct Registration System (shares moved out of a
     # broker's name), not Leonardo DRS: a stop word, however many symbols stand beside it;
     # written as a cashtag it is the company.
     ("$GME $AMC DRS NFA", ["GME", "AMC"]), ("Leonardo $DRS beat earnings", ["DRS"])],
    ids=["between-and-after", "after-two", "list-of-many", "one-neighbour", "no-run",
         "drs-the-jargon", "drs-the-cashtag"],
)
def test_a_word_symbol_in_a_run_of_symbols_separated_by_spaces(
        analyzer: Analyzer, text: str, expected: list[str]) -> None:
    # Two symbols that count alone around it, by spaces alone, make a list; one does not.
    assert keys(analyzer, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("CLOV NATION TONIGHT WE DINE IN HELL", ["CLOV"]),
     ("ALRIGHT FELLAS, DEACTIVATED SELL BUTTON, WKHS TO 50+ EOW", ["WKHS"]),
     ("WE SNAP AND CAT AROUND ALL DAY LONG", []),
     ("STOP TELLING ME THE EMA IS TESTED", []),
     ("WISH GANG BUY THE DIPPP", ["WISH"]), ("SHORT SNAP DD INSIDE", ["SNAP"]),
     ("I WISH I HAD SOLD ON TUESDAY", []), ("NOMURA RAISES MU PT to $100", ["MU"]),
     ("I AM SO FN HAPPY TODAY, WHAT A DAY", [])],
    ids=["clov", "wkhs", "common-word-symbols", "trading-term", "favourite", "favourite-snap",
         "favourite-as-the-word", "curated-word-with-trading-word", "curated-word-alone"],
)
def test_an_all_caps_passage_reads_only_symbols_that_are_no_word(
        analyzer: Analyzer, text: str, expected: list[str]) -> None:
    assert keys(analyzer, text) == expected


# --- curated two-letter symbols -------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [("Has GE found its bottom? Hovering above $16", ["GE"]),
     ("Who else is planning to add JD this week?", ["JD"]),
     ("KO is as steady and stable as they come", ["KO"]),
     ("General Electric (GE) is cheap here", ["GE"]),
     ("The Home Depot (HD) reports Tuesday", ["HD"]),
     ("MA-15 crossed above MA-50 on the daily", []),
     ("My professor worked for MU, AMA", ["MU"]),
     ("把 GE 的仓位清了", []),
     ("go to the US and buy", [])],
    ids=["ge", "jd", "ko", "own-name-alias", "own-name-with-article", "moving-average",
         "trading-term-beside", "near-chinese", "stoplisted"],
)
def test_a_curated_two_letter_symbol_counts_in_upper_case(
        analyzer: Analyzer, text: str, expected: list[str]) -> None:
    assert keys(analyzer, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Which is a better long term investment? SHOP or NKE?", ["SHOP", "NKE"]),
     ("Why is DIS so cheap right now?", ["DIS"]), ("I panicked sold shop at 113", ["SHOP"]),
     ("Finna buy 1 COIN soon", []), ("Switch brokers for 5% off your average COST", [])],
    ids=["shop", "dis", "shop-lower-with-trading-word", "coin-stays-stoplisted",
         "cost-stays-stoplisted"],
)
def test_stoplisted_favourites_that_posts_write_as_tickers(
        analyzer: Analyzer, text: str, expected: list[str]) -> None:
    assert keys(analyzer, text) == expected


# Curated rows for symbols Reddit wrote that no list held (HMNY, TTCF, ITUB) or that are
# words (SENS, WOOF): on sight in upper case, as the curated symbols are.
@pytest.mark.parametrize(
    ("text", "expected"),
    [("Time to buy HMNY puts", ["HMNY"]),
     ("investing in Helios & Matheson (MoviePass) stock", ["HMNY"]),
     ("TTCF just went VERTICAL", ["TTCF"]), ("ITUB leggo", ["ITUB"]),
     ("SENS gonna pop. Cup and handle almost complete", ["SENS"]),
     ("Soooo is WOOF done?", ["WOOF"]), ("the dog said woof", []),
     ("Clover calls going crazy", ["CLOV"]), ("I found a four leaf clover", []),
     ("Clover Health Investments Corp.", ["CLOV"]),
     ("Which is better, SHOP, APPL, or NKE?", ["SHOP", "AAPL", "NKE"]),
     ("Why are TCHEY and BABA down?", ["TCEHY", "BABA"]), ("TRLY it's your time", ["TLRY"]),
     ("Apple or JnJ?", ["AAPL", "JNJ"]), ("Bought my Wal-Mart shares at $48", ["WMT"]),
     ("$AABB hit the REAL MOTHER LODE for its shareholders", ["AABB"]),
     ("They said draftkings has mob ties", ["DKNG"]), ("BUYING DRAFT KINGS, DONT CARE", ["DKNG"]),
     ("the draft kings picked", []),
     ("just overtaken Bitcoin Gold!!", []),
     ("Dropbox files to go public with over $1.1 billion in annual revenue", ["DBX"]),
     ("KR merger talks with TGT", ["KR", "TGT"]), ("Why is WM so down?", ["WM"]),
     ("Long APRN @ 2.14", ["APRN"]), ("Thoughts on HEAR (Turtle Beach Corp)", ["HEAR"]),
     ("I HEAR YOU", []), ("What's the deal with FNMA and FMCC", ["FNMA"]),
     ("waste management is a boring business", []),
     # Symbols no shared list holds (the eleventh round): over the counter, or delisted.
     ("Get in AABB ASAP", ["AABB"]), ("LFIN down 10%", ["LFIN"]),
     ("Longfin DD inside", ["LFIN"]), ("thoughts on SRNE?", ["SRNE"]),
     ("INFI  Any biotech studs in this?", ["INFI"]),
     ("Checkout tinyfloat Oiler HUSA for Oil swing", ["HUSA"]),
     ("To infinity and beyond", []),
     ("I saved the photos to my Dropbox", [])],
    ids=["hmny", "helios-name", "ttcf", "itub", "sens", "woof", "woof-the-word",
         "clover-with-context", "clover-the-plant", "clover-health", "appl-misspelt",
         "tchey-misspelt", "trly-misspelt", "jnj", "wal-mart", "mother-lode", "draftkings-lower",
         "draft-kings", "draft-kings-lower", "bitcoin-gold", "dropbox", "kr", "wm", "aprn", "hear", "hear-the-word", "fnma",
         "waste-management-the-activity", "aabb", "lfin", "longfin", "srne", "infi", "husa",
         "infinity-the-word", "dropbox-the-app"],
)
def test_curated_rows_for_symbols_reddit_writes(analyzer: Analyzer, text: str,
                                                expected: list[str]) -> None:
    assert keys(analyzer, text) == expected


# Curated rows of the eighth round: an exchange-traded note (TVIX, kind etf as history.csv
# files XIV), symbols no list holds (RAD, VIAC, ET) and a fund's former symbol (MJX -> MJ).
@pytest.mark.parametrize(
    ("text", "day", "expected"),
    [("Why did TVIX fall so much premarket?", "2018-04-01", ["TVIX"]),
     ("VIX is up, but TVIX is down", "2018-04-01", ["VIX", "TVIX"]),
     ("Time to sell premium on RAD I guess...", "2018-04-01", ["RAD"]),
     ("VIAC blast off", "2021-04-01", ["VIAC"]),
     ("Sorry, MJX ETF for cannabis companies", "2018-03-01", ["MJ"]),
     ("$MJX. Weed ETF.", "2018-03-01", ["MJ"]),
     ("Trudeau greenlights recreational MJ", "2017-10-01", []),
     ("Energy Transfer is cheap", None, ["ET"])],
    ids=["tvix", "vix-beside-tvix", "rad", "viac", "mjx-bare", "mjx-cashtag",
         "mj-initials", "energy-transfer"],
)
def test_curated_rows_of_notes_funds_and_symbols_no_list_holds(
        analyzer: Analyzer, text: str, day: str | None, expected: list[str]) -> None:
    post = analyzer.analyze(RawPost("test", text, published_field=day and f"{day}T12:00:00Z"))
    found = [canonical_key(m.ticker, m.market).partition("@")[0] for m in post.mentions]
    assert list(dict.fromkeys(found)) == expected


def test_a_note_has_the_kind_its_row_states() -> None:
    assert SECURITIES.lookup("TVIX").kind == "etf"
    assert SECURITIES.lookup("MJ").kind == "etf"


# A renamed company's former symbol (curated `former`) written bare is the company on the
# post's day, keyed on today's symbol, as its cashtag is; one another security holds today
# (FB, an ETF since 2025) stays today's company bare.
@pytest.mark.parametrize(
    ("text", "day", "expected"),
    [("BOFI (Bank of Internet) stock price has risen", "2018-03-05", ["AX"]),
     ("AOBC time to buy?", "2018-02-26", ["SWBI"]), ("long RTN", "2018-03-01", ["RTX"]),
     ("I bought CBG AMZN NVDA", "2018-03-01", ["CBRE", "AMZN", "NVDA"]),
     # history.csv holds MJ of 2018-2024 as ETFMG's (MJ@2024), the fund before Amplify.
     ("MJX ETF for cannabis", "2018-03-01", ["MJ@2024"]), ("FB calls", "2026-03-01", ["META"]),
     # Canopy's over-the-counter symbol before its New York listing of 2018.
     ("I Am A TWMJF Long But These Graphs Look Oddly Familiar", "2018-01-10", ["CGC"])],
    ids=["bofi", "aobc", "rtn", "cbg", "mjx", "fb-today", "twmjf"],
)
def test_a_former_symbol_written_bare_is_the_renamed_company(
        analyzer: Analyzer, text: str, day: str, expected: list[str]) -> None:
    post = analyzer.analyze(RawPost("test", text, published_field=f"{day}T12:00:00Z"))
    assert [canonical_key(m.ticker, m.market) for m in post.mentions] == expected


# ET: Energy Transfer, stoplisted as Eastern Time: as a curated two-letter symbol, but never
# telling a time, nor as the initials of "Eastern Time" written in the post. On real_train
# every upper-case ET that told no time was the ticker (15), with a trading word or not.
@pytest.mark.parametrize(
    ("text", "expected"),
    [("ET calls lookin nice", ["ET"]), ("ET 7/16 10c dirt cheap", ["ET"]),
     ("CLF shares, ET calls, EEM calls", ["CLF", "ET", "EEM"]),
     ("Looks like ET is the sleeping giant", ["ET"]),
     ("went balls deep into ET after seeing 2 people mention it", ["ET"]),
     ("9:30 ET open, buying calls", []),
     ("the market closes at 4pm ET, calls expire", []),
     ("executed at 10:53 a.m. ET. The company sold 15 million shares", []),
     ("ET close and puts are cheap", []), ("intraday is ET+3 for options", []),
     ("Quotes are in Eastern Time (ET) here", [])],
    ids=["calls", "strike", "list", "no-context", "stake", "time-before", "pm-before",
         "am-before", "session-after", "offset-after", "eastern-time-spelled"],
)
def test_a_time_zone_symbol_counts_unless_it_tells_a_time(
        analyzer: Analyzer, text: str, expected: list[str]) -> None:
    assert keys(analyzer, text) == expected


# A word symbol with a number sign and a digit after it is a numbered label, whatever trading
# words stand near it (the r/stocks digests' "[CLICK HERE FOR ... EARNINGS RELEASES LINK
# #1!](https://...)"); with a ticker word beside it and no number it is the ticker.
@pytest.mark.parametrize(
    ("text", "expected"),
    [("Earnings releases: LINK #2 has the rest of the list", []),
     ("[CLICK HERE FOR THIS MORNING'S EARNINGS RELEASES LINK #1!](https://i.imgur.com/a.png)",
      []),
     ("Earnings releases: LINK calls are up", ["LINK"]),
     ("Earnings releases: $LINK #1 pick", ["LINK"])],
    ids=["numbered", "digest-link", "ticker-word", "cashtag"],
)
def test_a_word_symbol_numbered_as_a_label_is_the_word(
        analyzer: Analyzer, text: str, expected: list[str]) -> None:
    assert keys(analyzer, text) == expected


# A month's abbreviation that is a listed symbol (MAR Marriott, NOV, DEC, JAN) written in a
# date is the month: a day or a year after it, a year before it. A strike, a price or a count
# is no day (issue 28, eighteenth round).
@pytest.mark.parametrize(
    ("text", "expected"),
    [("SPX '17 MAR put-call ratio is looking comically bullish", ["SPX"]),
     ("BOUGHT $TSLA MAR 25 2022 950.0 CALL @ 2.72", ["TSLA"]),
     ("BUY +10 $AMD 21 JAN 22 145 CALL @.43", ["AMD"]),
     ("$SNAP grabbing some more puts NOV 20 for 36 strike", ["SNAP"]),
     ("$ETH.X ATH DEC 2022", ["ETH.X"]), ("bought calls for DEC 3rd", []),
     ("bought MAR calls today", ["MAR"]), ("MAR 150c looks cheap", ["MAR"]),
     ("DEC 17.5 calls", ["DEC"]), ("bought 10 MAR calls", ["MAR"]),
     ("MAR is up 5% today", ["MAR"])],
    ids=["year-before", "day-and-year-after", "day-before-year-after", "day-after",
         "year-after", "ordinal-day", "calls", "strike", "price", "count-before", "no-date"],
)
def test_a_month_symbol_in_a_date_is_the_month(analyzer: Analyzer, text: str,
                                               expected: list[str]) -> None:
    assert keys(analyzer, text) == expected


# AMC and BMO right after an earnings report's day (a weekday or a date) are the session it
# is timed by, after the market's close or before its open, not AMC Entertainment or the Bank
# of Montreal (issue 28, eighteenth round).
@pytest.mark.parametrize(
    ("text", "expected"),
    [("Hold $MU through earnings report Thursday AMC", ["MU"]),
     ("$DAL to report earnings on Jan 13 BMO, with an expected move of 4.8%", ["DAL"]),
     ("Earnings are Feb 5th BMO. Could be a hedge", []), ("earnings 11/5 AMC", []),
     ("I bought a ton of AMC calls today.", ["AMC"]), ("Please fly today AMC", ["AMC"]),
     ("earnings were great, Monday AMC to the moon", ["AMC"]),
     ("Thursday AMC squeezed again", ["AMC"])],
    ids=["weekday", "date", "ordinal-date", "numeric-date", "calls", "today-is-no-day",
         "clause-apart", "no-earnings-word"],
)
def test_a_session_after_a_report_day_is_no_ticker(analyzer: Analyzer, text: str,
                                                   expected: list[str]) -> None:
    assert keys(analyzer, text) == expected


# SE (Sea Limited) and ASA (a gold fund) right after a company's name written in title case
# are its legal form; a verb opening the sentence or a list in capitals is no name.
@pytest.mark.parametrize(
    ("text", "expected"),
    [("Cancom SE Just Recorded A 42% EPS Beat", []),
     ("Selvaag Bolig ASA Just Beat Earnings Expectations", []),
     ("Bought SE calls", ["SE"]), ("Watch list: BYD INFN JNP SE TGH", ["SE"]),
     ("#Bullish #SE calls", ["SE"]),
     # Siemens is in the English frequency list (the company's, and the unit's), which
     # alone took it for a verb opening the sentence; it names a listed company (SIE).
     ("Siemens SE posted results", []), ("Shares of Siemens SE rose 3% today", []),
     # Airbus, Bayer and Puma are in the frequency list too and name no US listing; inside
     # a sentence the capital marks a name. A clause after a comma opens with a verb.
     ("Shares of Airbus SE rose 3% today", []), ("Sold TSLA, Bought SE calls", ["SE"]),
     ("so i Bought SE calls", ["SE"]),
     # "to" before a capitalised word opens a verb as often as a name: no noun phrase.
     ("Time to Buy SE calls", ["SE"]),
     # A brand in camel case before SE is a product and SE its model; before Asia, SE is
     # the compass point.
     ("Apple: the new iPhone SE could drive upside", []),
     ("Y is the Amazon of SE Asia", []),
     # Issue 28, twentieth round: a name in capitals before SE, then its possessive or a
     # word in lower case ("BASF SE cut"); a symbol list goes on in capitals. SE Asian is
     # the region too.
     ("Taking A Look At OHB SE's (ETR:OHB) ROE", []), ("SAP SE reported earnings", []),
     ("BASF SE cut its outlook", []),
     ("SE Asian e-commerce is booming", []), ("ONY SE 43B not projected", ["SE"]),
     ("TSLA SE NIO calls", ["SE"])],
    ids=["se", "asa", "verb-before", "list-in-capitals", "hashtag",
         "a-common-word-that-names-a-company", "the-same-mid-sentence",
         "a-common-word-inside-a-sentence", "a-verb-after-a-comma", "a-verb-in-lower-case-text",
         "a-verb-after-to",
         "a-model", "a-compass-point",
         "capitals-possessive", "capitals-verb", "capitals-verb-2",
         "asian", "capitals-then-a-number", "capitals-list"],
)
def test_a_legal_form_after_a_company_name_is_no_ticker(analyzer: Analyzer, text: str,
                                                        expected: list[str]) -> None:
    assert [k for k in keys(analyzer, text) if k in ("SE", "ASA")] == expected


# A verb opening the sentence takes an object's possessive ("Watch SE's earnings"): the
# twentieth round read any capitalised word before SE's as a company's name, and these as
# the legal form (review28). Without the frequency list's word, or after an article or a
# preposition, it is still the name ("Cancom SE's", "the Airbus SE's results").
@pytest.mark.parametrize(
    ("text", "expected"),
    [("Love SE's growth this quarter", ["SE"]), ("Watch SE's earnings tomorrow", ["SE"]),
     ("Bought SE's dip", ["SE"]), ("Cancom SE's results", []),
     ("Read the Airbus SE's results", [])],
    ids=["verb", "verb-2", "trade-verb", "uncommon-name", "after-an-article"],
)
def test_a_verb_before_se_s_leaves_it_the_ticker(analyzer: Analyzer, text: str,
                                                 expected: list[str]) -> None:
    assert [k for k in keys(analyzer, text) if k == "SE"] == expected


# A symbol that counts on sight before SE lists tickers whatever follows ("long NVDA SE and
# MELI"): the twentieth round read any word in capitals before SE and a word in lower case
# as a company's name (review28). A company named by its symbol and the form (SAP SE) and
# a name no listing holds (BASF, OHB) are still names.
@pytest.mark.parametrize(
    ("text", "expected"),
    [("Long NVDA SE and MELI", ["SE"]), ("Bought more NVDA SE today", ["SE"]),
     ("I hold AMD SE and NIO", ["SE"]), ("NVDA SE's earnings both next week", ["SE"]),
     ("SAP SE's cloud revenue rose", []), ("BASF SE's outlook", []),
     ("OHB SE cut its outlook", [])],
    ids=["then-and", "then-a-word", "inside-a-sentence", "then-a-possessive",
         "named-with-the-form", "unlisted", "unlisted-2"],
)
def test_a_symbol_before_se_leaves_it_the_ticker(analyzer: Analyzer, text: str,
                                                 expected: list[str]) -> None:
    assert [k for k in keys(analyzer, text) if k == "SE"] == expected


# MSCI right before the world, a region or a market opens the name of one of its indices
# ("MSCI World", "MSCI EM") or of a fund tracking one; MSCI Inc.'s own news writes a verb, a
# noun or its legal form after it (issue 28, nineteenth round).
@pytest.mark.parametrize(
    ("text", "expected"),
    [("Emerging markets - 20%\nMSCI World - 60%", []), ("this MSCI WORLD ETF lost 5%", []),
     ("WTF is MSCI Int EM and how do I leverage it?", []),
     ("iShares MSCI China Index Fund had a high of $78.09", []),
     ("MSCI proposes $250M add-on notes offering", ["MSCI"]), ("bought MSCI shares", ["MSCI"]),
     ("MSCI's ESG ratings business grew", ["MSCI"]), ("MSCI, SPGI and MCO", ["MSCI", "SPGI", "MCO"]),
     ("MSCI Inc. reported record revenue", ["MSCI"]), ("MSCI EPS beats by $0.08", ["MSCI"]),
     # An index's name is a run of capitalised words; lower-case words before "index" are
     # a sentence about MSCI.
     ("MSCI Daily TR Net Index rose", []), ("MSCI is an index provider", ["MSCI"]),
     ("MSCI beat the index again", ["MSCI"]),
     # "Developed" and "All" name an index only as "Developed Markets" and "All Country"
     # (or "All Cap"); else they are a verb or an adverb about MSCI.
     ("MSCI Developed Markets ex US", []), ("MSCI All Country World ex Canada ETF", []),
     ("MSCI developed a new ESG model", ["MSCI"]), ("MSCI all time high today", ["MSCI"])],
    ids=["index", "index-in-capitals", "acronym", "fund", "company-news", "shares",
         "possessive", "list", "legal-form", "an-acronym-of-its-own", "a-named-index",
         "an-index-provider", "beat-the-index", "developed-markets", "all-country",
         "developed-a-verb", "all-time-high"],
)
def test_an_index_provider_opening_its_index_name_is_no_ticker(
        analyzer: Analyzer, text: str, expected: list[str]) -> None:
    assert keys(analyzer, text) == expected


# XIV, the volatility note (held until 2018-02-21): a Roman numeral beyond X is a word only
# after a name it numbers.
@pytest.mark.parametrize(
    ("text", "day", "expected"),
    [("What is happening to XIV?", "2018-02-05", ["XIV@2018"]),
     ("XIV SUICIDE THREAD $15 AH", "2018-02-05", ["XIV@2018"]),
     ("Louis XIV built Versailles", "2018-02-05", []),
     ("Super Bowl XIV was great", "2018-02-05", []),
     ("What is happening to XIV?", None, []),
     ("What is happening to VII?", "2018-02-05", [])],
    ids=["note", "all-caps", "king", "sequel", "undated", "small-numeral"],
)
def test_a_roman_numeral_symbol_is_a_word_only_after_a_name(
        analyzer: Analyzer, text: str, day: str | None, expected: list[str]) -> None:
    post = analyzer.analyze(RawPost("test", text, published_field=day and f"{day}T12:00:00Z"))
    assert [canonical_key(m.ticker, m.market) for m in post.mentions] == expected


# --- a popular symbol that is a word, in lower or title case --------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [("Wish is printing today", ["WISH"]), ("Bought wish calls like a fool", ["WISH"]),
     ("Wish dip looking tasty", ["WISH"]), ("Put 170k in calls. Wish me luck bois!", []),
     ("wish I bought more calls at 1k", []), ("I wish I had calls", []),
     ("you wish those puts printed", []), ("we saw wish there, and that was all", []),
     ("Wish is rallying in the power hour", ["WISH"]), ("Wish crashing so hard", ["WISH"]),
     ("Wish just hit 13.10", ["WISH"]), ("Got wish at 13.70 lets go", ["WISH"]),
     ("Wish $14 lol", ["WISH"]), ("Wish is what she said", []),
     ("Wish volume is huge today", ["WISH"]), ("Wish weeklies", ["WISH"]),
     ("we shop at the mall", []), ("my avg cost $5 now", [])],
    ids=["title-printing", "lower-calls", "title-dip", "wish-me-luck", "wish-i",
         "i-wish", "you-wish", "no-context", "move-after-link", "move-after", "move-after-just",
         "price-at", "price", "link-no-move", "volume", "weeklies", "shop-at-no-price",
         "cost-is-a-price"],
)
def test_a_popular_word_symbol_is_the_verb_before_an_object_or_after_a_subject(
        analyzer: Analyzer, text: str, expected: list[str]) -> None:
    assert keys(analyzer, text) == expected


# A curated one-letter symbol (V, T, F) counts beside another symbol or a ticker word only.
@pytest.mark.parametrize(
    ("text", "expected"),
    [("V and MSFT earnings coming up", ["V", "MSFT"]),
     ("I'm looking at CSCO, BA, MU, V, and AAPL", ["CSCO", "BA", "MU", "V", "AAPL"]),
     ("GLAD - 50 shares\nT - 25 shares", ["GLAD", "T"]),
     ("these F 15.5 6/18 calls", ["F"]), ("Why so much love for V?", []),
     ("I got a C on the test", []), ("buy Class C shares", []),
     ("put yourself in a reg T call", []), ("V for Vendetta", [])],
    ids=["beside-a-symbol", "in-a-list", "shares", "strike-calls", "alone", "grade",
         "share-class", "reg-t", "film"],
)
def test_a_one_letter_symbol_beside_a_symbol_or_a_ticker_word(
        analyzer: Analyzer, text: str, expected: list[str]) -> None:
    assert keys(analyzer, text) == expected


# A target after "to", a price a few words on, a stake before it, or a move after it (the
# ninth round of issue 28); the verb and the noun stay words.
@pytest.mark.parametrize(
    ("text", "expected"),
    [("Wish to 15$ lets go", ["WISH"]), ("Wish ✨ to $20 next Friday", ["WISH"]),
     ("Riding these shares of Wish to the fucking moon.", ["WISH"]),
     ("I want to wish to the stars", []), ("Wish to see you soon", []),
     ("wish fair value $19", ["WISH"]), ("Why can't wish break $15 today", ["WISH"]),
     ("wish we could. Prices were $15 then", []),
     ("YOLO all my savings, 6k on wish", ["WISH"]), ("fomo'd into wish at open", ["WISH"]),
     ("Of course I bailed out of wish fri at close", ["WISH"]),
     ("make a wish for $5", []), ("his last wish was granted", []),
     ("Wish break out, let's go", ["WISH"]), ("wish gonna break out today", ["WISH"])],
    ids=["to-price", "to-price-after-emoji", "to-the-moon", "to-the-stars", "to-verb",
         "price-later", "price-after-move", "price-in-next-clause", "amount-on",
         "fomo-into", "bailed-out-of", "article-then-price", "noun", "break", "gonna-move"],
)
def test_a_popular_word_symbol_with_a_target_a_stake_or_a_move(
        analyzer: Analyzer, text: str, expected: list[str]) -> None:
    assert keys(analyzer, text) == expected


# A Reddit favourite that is also a countable noun, as a preposition's whole object, is the
# company: the noun would take an article or a possessive there ("on a wish", "for my wish").
@pytest.mark.parametrize(
    ("text", "expected"),
    [("I have lost everything on wish. I dont know what to do", ["WISH"]),
     ("Fuct by wish", ["WISH"]), ("Holy shit the movement for wish is insaneee", ["WISH"]),
     ("Guys can I get into wish too ?", ["WISH"]), ("Fuct by wish\nwhat a ride", ["WISH"]),
     ("I threw it in on a wish.", []), ("sold it all at cost.", []),
     ("with wish lists like these", []), ("I did it for wish I could", []),
     ("Look at dis!", []), ("I am so ready for dis.", []), ("The rent is paid in nok.", []),
     ("The vaccine is based on mrna.", []),
     ("Add me on snap!", []), ("text us on snap.", []), ("I'll get home by uber.", []),
     ("got there by uber too", []), ("burned by snap.", ["SNAP"]),
     ("were you on wish.", ["WISH"])],
    ids=["on-end", "by-end-of-text", "for-is", "into-too", "by-end-of-line", "article",
         "price-word", "noun-after", "verb-before-subject", "slang-this-at",
         "slang-this-for", "a-currency", "a-mass-noun", "app-after-me", "app-after-us",
         "ride-by", "ride-by-too", "passive-by", "subject-you"],
)
def test_a_popular_word_symbol_as_a_prepositions_object(
        analyzer: Analyzer, text: str, expected: list[str]) -> None:
    assert keys(analyzer, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("新品 RTX 3080 显卡缺货", []), ("RTX 30 系显卡，现已开启预售", []),
     ("TLT 3.0 快速训练", []), ("NVDA 700美元 目标价", ["NVDA"]),
     ("今天 NVDA 财报", ["NVDA"]), ("配备NVIDIA RTX A6000显卡的工作站", ["NVDA"]),
     ("运行GeForce RTX GPU的PC玩家", []), ("“GeForce RTX”与 AMD RNDA 3", ["AMD"]),
     ("之前的合作是NVDA GPU+AMD CPU?", ["NVDA", "AMD"])],
    ids=["model-number", "model-series", "version", "price-with-unit", "no-number",
         "letter-led-model", "gpu-after-family", "family-before", "makers-gpu"],
)
def test_a_symbol_before_a_model_number_in_chinese_text_is_a_product(
        analyzer: Analyzer, text: str, expected: list[str]) -> None:
    assert keys(analyzer, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("$ETH.X sell the green, bought in under $1.00 for BTC", ["ETH.X", "BTC.X"]),
     ("$BTC.X, $ETH.X, DOGE and SHIB pumping", ["BTC.X", "ETH.X", "DOGE.X", "SHIB.X"]),
     ("英伟达购买ETH，利好ETH", ["NVDA", "ETH.X"]), ("BTC is up today", []),
     ("$ETH.X BUY THE FEAR AND SELL THE HYPE", ["ETH.X"]),
     ("$BTC.X we can all buy a TON of fireworks now", ["BTC.X"]),
     ("$ETH.X check out AVT crypto, load the boat", ["ETH.X", "AVT.X"]),
     ("AVT beat earnings, buying shares", ["AVT"]),
     ("$BTC.X, $ETH.X, $ADA.X, SOL, DOGE, DOT https://example.com/btc-eth-ada",
      ["BTC.X", "ETH.X", "ADA.X", "SOL.X", "DOGE.X", "DOT.X"]),
     ("$ETH.X SOL ME THE BAG NOW", ["ETH.X"])],
    ids=["crypto-post", "coin-list", "chinese-post", "no-crypto-cashtag", "all-caps-word",
         "word-after-article", "listed-coin-in-crypto-post", "us-share-elsewhere",
         "word-coin-in-a-list-of-cashtags", "word-coin-in-all-caps"],
)
def test_a_coin_symbol_is_the_coin_in_a_crypto_or_chinese_post(
        analyzer: Analyzer, text: str, expected: list[str]) -> None:
    assert keys(analyzer, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("see example.com/wkhs for details", []), ("cd ~/wkhs and run it", []),
     ("the code is in src/wkhs/main", []), ("open /uwmc to see", []),
     # A pair of symbols is still a pair (bare.symbol_beside).
     ("amc/wkhs", ["AMC", "WKHS"])],
    ids=["link-without-scheme", "home-folder", "folder", "leading-slash", "slash-pair"],
)
def test_a_path_segment_is_no_symbol_on_sight(analyzer: Analyzer, text: str,
                                              expected: list[str]) -> None:
    # A symbol no English text spells counts in lower case on sight, but not as a segment of
    # a path or of a link written without its scheme, where a lower-case name is any name.
    assert keys(analyzer, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("CLoV make me sooo horny", ["CLOV"]), ("WISH and WkHS", ["WISH", "WKHS"]),
     ("TLRy this is your moment", ["TLRY"]), ("Watch CAt under 91.", ["CAT"]),
     ("How come the spy goes up daily and AAPl down", ["SPY", "AAPL"]),
     # Mixed case that is a convention, not a slip: a prefix, a plural, an initialism's
     # "of" or "and", a unit, a brand in camel case.
     ("the mRNA vaccine works", []), ("New BoE governor speaks", []),
     ("IgM antibodies rose", []), ("nice scalps with FDs today", []), ("IPOs are hot", []),
     ("35 GWh of cells", []), ("Strengthens AIoT Vision", []),
     ("SoFi getting ready", ["SOFI"]),
     # Two letters in lower case is no slip, nor a word glued to another.
     ("aMc to the moon", []), ("xCLoV", [])],
    ids=["clov", "wkhs", "tlry", "cat", "aapl", "mrna-prefix", "boe-of", "igm-initialism",
         "fds-plural", "ipos-plural", "gwh-unit", "iot", "sofi-brand",
         "two-lower", "glued"],
)
def test_a_symbol_typed_with_one_letter_in_lower_case(analyzer: Analyzer, text: str,
                                                      expected: list[str]) -> None:
    # bare.BARE_SLIPPED: issue 28, twentieth round.
    assert keys(analyzer, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("$ETH.X bought the ens domain", ["ETH.X"]), ("bought the ens domain", ["ENS"]),
     ("$FIRO.X Esta bombando Galera", ["FIRO.X"]),
     # What the rule costs: a no-word symbol in title case there too.
     ("$ETH.X Wkhs get to 18", ["ETH.X"]), ("Wkhs get to 18", ["WKHS"]),
     # A Reddit favourite in any case and a symbol in capitals are read as before.
     ("$ETH.X $BTC.X spx topped 2 hours ago", ["ETH.X", "BTC.X", "SPX"]),
     ("$ETH.X down another 15% this week. Even Arkk is impressed", ["ETH.X", "ARKK"]),
     ("$ETH.X Checkout tinyfloat Oiler HUSA for Oil swing", ["ETH.X", "HUSA"])],
    ids=["coin-post-lower", "lower", "coin-post-title", "coin-post-cost", "cost", "favourite-lower",
         "favourite-title", "capitals"],
)
def test_a_lower_case_symbol_in_a_coin_post_is_a_word(analyzer: Analyzer, text: str,
                                                     expected: list[str]) -> None:
    # Issue 28, twentieth round: in a post that writes a coin's cashtag, a listed symbol in
    # lower or title case that is no Reddit favourite is crypto talk or another language.
    assert keys(analyzer, text) == expected
