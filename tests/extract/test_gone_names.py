"""Names of companies delisted since, read in dated posts (tracker/extract/gone_names.py)."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.extract.gone_names import GoneNames
from tracker.extract.history import HISTORY_COLUMNS
from tracker.extract.models import RawPost
from tracker.extract.securities import canonical_key
from tracker.ingest.analyze import Analyzer

HISTORY = "\n".join([
    ",".join(HISTORY_COLUMNS),
    "CELG,US,1990-03-26,2019-11-22,CELG@2019,equity,Celgene Corp",
    "CELGZ,US,2010-10-06,2019-11-29,CELGZ@2019,equity,Celgene Corp Contingent Value Rt",
    "MONA,US,2001-01-01,2015-01-01,MONA@2015,equity,Quorvex Foods Inc",
    "MCQV,US,2001-01-01,2015-01-01,MCQV@2015,equity,Mcquorvex Inc",
    "CTST,US,2017-08-24,2020-04-14,CTST@2020,equity,Canntrust Hldgs Inc",
    "MONB,US,2005-01-01,2016-01-01,MONB@2016,equity,Quorvex Bank Corp",
    "HOME,US,2001-01-01,2015-01-01,HOME@2015,equity,Home Depot Old Inc",
    "ZZET,US,2001-01-01,2015-01-01,ZZET@2015,etf,Zebulon Fund ETF",
    "ZNGA,SS,2001-01-01,2015-01-01,ZNGA@2015,equity,Shanghai Zyngo",
    "TWX,US,1992-03-19,2018-06-15,TWX@2018,equity,Time Warner Inc",
    "TWXP,US,2001-01-01,2018-06-15,TWXP@2018,equity,Time Warner Inc Preferred",
    "TWX-P,US,1992-03-19,2018-06-15,TWX-P@2018,equity,Time Warner Inc",
    "RTW,US,2004-10-07,2020-07-06,RTW@2020,equity,New York Company Inc",
    "BK-P.C,US,2014-09-22,2020-12-18,BK-P.C@2020,equity,Bank Of New York Mellon Corp",
    "CDOR,US,2015-01-01,2022-01-01,CDOR@2022,equity,Condor Hospitality Trust Inc",
    "FNTE,US,2017-01-19,2018-07-01,FNTE@2018,equity,FinTech Acquisition Corp. II",
    "TIBR,US,2018-03-16,2020-06-12,TIBR@2020,equity,Tiberius Acquisition Corp",
    "OACB,US,2020-09-21,2022-01-01,OACB@2022,equity,Oaktree Acquisition Corp II - Class A",
])


@pytest.fixture(scope="module")
def gone() -> GoneNames:
    return GoneNames(HISTORY, taken={"tilray"})


@pytest.mark.parametrize(("text", "day", "expected"), [
    ("Celgene is cheap", date(2018, 6, 1), ["CELG@2019"]),
    ("CELGENE is cheap", date(2018, 6, 1), ["CELG@2019"]),
    ("celgene is cheap", date(2018, 6, 1), []),
    ("Celgene is cheap", date(2020, 6, 1), []),
    ("Quorvex rises", date(2010, 6, 1), []),
    ("Quorvex rises", date(2003, 6, 1), ["MONA@2015"]),
    ("Zebulon and Shanghai", date(2010, 6, 1), []),
    ("Celgenes", date(2018, 6, 1), []),
    # A name whose first word is a common one, by its two words before the suffix.
    ("AT&T-Time Warner merger", date(2018, 1, 10), ["TWX@2018"]),
    ("TIME WARNER is cheap", date(2018, 1, 10), ["TWX@2018"]),
    ("time warner is cheap", date(2018, 1, 10), []),
    ("Time Warner is cheap", date(2019, 1, 10), []),
    ("Time is money", date(2018, 1, 10), []),
    # ... but not a pair other names hold inside them: a place.
    ("shares of a New York bank", date(2018, 1, 10), []),
    # A one-word name after a capitalised word inside a sentence of prose ends another
    # name or term; at a sentence's start, or in a headline's title case, it is the company.
    ("MU seems like a perfect play for an Iron Condor since it bounces", date(2018, 6, 1), []),
    ("I sold an Iron Condor on it last week", date(2018, 6, 1), []),
    ("Condor is cheap and I bought more of it today", date(2018, 6, 1), ["CDOR@2022"]),
    ("I think Condor is cheap and I bought more of it", date(2018, 6, 1), ["CDOR@2022"]),
    ("Hedge Funds Are Buying Condor Hospitality Now", date(2018, 6, 1), ["CDOR@2022"]),
    ("Why I Bought Celgene Today", date(2018, 6, 1), ["CELG@2019"]),
    # A blank-check company's first word is its theme or its sponsor; "<word> Acquisition"
    # names the shell.
    ("Fintech is about to explode", date(2018, 6, 1), []),
    ("Oaktree Specialty Lending declares a dividend", date(2021, 6, 1), []),
    ("Tiberius Acquisition prices its offering", date(2018, 6, 1), ["TIBR@2020"]),
    ("Fintech Acquisition files for its offering", date(2018, 6, 1), ["FNTE@2018"]),
    # The company's own spelling, a capital inside (the history file writes Canntrust):
    # not a surname's Mc, nor beside another capitalised word (a person's or a longer name).
    ("CannTrust- a company you cann-Trust", date(2018, 7, 16), ["CTST@2020"]),
    ("RIP John CannTrust", date(2018, 7, 16), []),
    ("Met McQuorvex today", date(2003, 6, 1), []),
], ids=["title", "upper", "lower-is-a-word", "after-delisting", "two-companies-on-the-day",
        "one-company-on-the-day", "etf-and-other-market", "inside-a-word", "two-words",
        "two-words-upper", "two-words-lower", "two-words-after-delisting", "first-word-alone",
        "a-place", "iron-condor", "iron-condor-object", "sentence-start", "mid-sentence",
        "headline", "title-case-title", "spac-theme", "spac-sponsor", "spac-pair",
        "spac-pair-theme", "own-spelling", "own-spelling-a-person", "a-surname"])
def test_a_delisted_company_is_named_while_it_was_listed(gone, text, day, expected):
    assert [own for _s, _e, own, _n in gone.find(text, text.lower(), day)] == expected


def test_a_word_naming_a_company_of_today_keeps_that_meaning():
    gone = GoneNames(HISTORY.replace("Celgene Corp", "Tilray Old"), taken={"tilray"})
    assert gone.find("Tilray is cheap", "tilray is cheap", date(2018, 6, 1)) == []


@pytest.mark.parametrize(("day", "expected"), [
    ("2018-06-01", ["COLL", "PYPL", "ZNGA@2022"]), ("2023-06-01", ["COLL", "PYPL"]),
    (None, ["COLL", "PYPL"])], ids=["2018", "after-delisting", "undated"])
def test_a_dated_post_names_zynga(analyzer: Analyzer, day: str | None,
                                  expected: list[str]) -> None:
    text = "Collegium, up 82% did ok for me, along with PayPal and Zynga"
    post = analyzer.analyze(RawPost("test", text, published_field=day and f"{day}T12:00:00Z"))
    assert [canonical_key(m.ticker, m.market) for m in post.mentions] == expected


@pytest.mark.parametrize(("text", "day", "expected"), [
    ("Statoil posted a profit", "2018-03-01", ["EQNR"]),
    ("Acxiom shares rose", "2018-06-01", ["RAMP"]),
    ("Acxiom shares rose", "2019-06-01", []),
    # A company of today named before its listing is still no mention.
    ("I have $103 to invest in Robinhood", "2018-06-01", [])],
    ids=["statoil", "acxiom", "acxiom-after-its-days", "robinhood"])
def test_a_renamed_company_named_while_it_held_its_old_symbol(
        analyzer: Analyzer, text: str, day: str, expected: list[str]) -> None:
    # renames.csv keys Statoil (STO until 2018-05-16) as Equinor, EQNR, and Acxiom (ACXM
    # until 2018-10-01) as LiveRamp, RAMP: symbols that listed after these posts, so the
    # rule for a company named before it listed dropped the names (467a4d8 had STO@2018
    # and ACXM@2018).
    post = analyzer.analyze(RawPost("test", text, published_field=f"{day}T12:00:00Z"))
    assert [canonical_key(m.ticker, m.market) for m in post.mentions] == expected


def test_the_packaged_names_are_built_once_then_read_from_the_cache(
        tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Their holders are kept in the user's cache (tracker.data.user_cache, issue 23): the
    # second process reads what the first built, and other `taken` words are another entry.
    from tracker.data.user_cache import ENV_VAR
    from tracker.extract import gone_names
    from tracker.extract.history import packaged_history_text

    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    built = gone_names.packaged_gone_names({"tilray"})
    [entry] = tmp_path.glob("*.cache")
    assert built.holders() == GoneNames(packaged_history_text(), {"tilray"}).holders()

    def no_build(text: str, taken: set[str]) -> dict:
        raise AssertionError("built again: the cache entry was not read")

    monkeypatch.setattr(gone_names, "_holders", no_build)
    read = gone_names.packaged_gone_names({"tilray"})
    assert read.holders() == built.holders() and list(tmp_path.glob("*.cache")) == [entry]
    assert [own for _s, _e, own, _n in read.find("Celgene is cheap", "celgene is cheap",
                                                  date(2018, 6, 1))] == ["CELG@2019"]
    with pytest.raises(AssertionError, match="built again"):
        gone_names.packaged_gone_names({"tilray", "celgene"})
