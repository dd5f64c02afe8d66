"""scripts/relabel_listings.py: the 雪球 labels' names of Hong Kong and New York listed
companies keyed as docs/labelling.md says, tags winning, as of the posts' days."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "relabel_listings.py"


@pytest.fixture(scope="module")
def relabel_listings():
    spec = importlib.util.spec_from_file_location("relabel_listings", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    # Registered before it runs: its dataclass looks its module up by name.
    sys.modules["relabel_listings"] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules["relabel_listings"]


def _keys(module, text: str, *labels: tuple[str, str]) -> list[str]:
    post = {"id": "p", "text": text,
            "mentions": [{"key": key, "name": "", "surface": surface, "tone": "neu"}
                         for key, surface in labels]}
    out = module.relabel(post, module.companies(), Counter(), Counter())
    return [m["key"] for m in out["mentions"]]


@pytest.mark.parametrize(
    ("text", "labels", "expected"),
    [("阿里涨了", [("BABA", "阿里")], ["9988.HK"]),
     ("百度和京东都跌了", [("BIDU", "百度"), ("JD", "京东")], ["9888.HK", "9618.HK"]),
     ("$阿里巴巴(BABA)$ 阿里涨了", [("BABA", "$阿里巴巴(BABA)$")], ["BABA"]),
     ("加仓了微软、BABA", [("BABA", "BABA")], ["BABA"]),
     ("阿里ADR涨了", [("BABA", "阿里ADR")], ["BABA"]),
     ("鹅厂2600股，鹅厂ADR244股 $腾讯控股(00700)$",
      [("0700.HK", "$腾讯控股(00700)$"), ("TCEHY", "鹅厂ADR")], ["0700.HK", "TCEHY"]),
     ("ARK卖出百度和腾讯", [("TCEHY", "腾讯")], ["0700.HK"]),
     ("蔚来交付新高", [("NIO", "蔚来")], ["NIO"]),
     ("小鹏和理想", [("XPEV", "小鹏"), ("LI", "理想汽车")], ["XPEV", "LI"]),
     ("持有平安银行和汇丰", [("0005.HK", "汇丰")], ["0005.HK"]),
     ("HSBC 汇丰的年报", [("0005.HK", "HSBC")], ["0005.HK"]),
     ("比亚迪H股涨了", [("1211.HK", "比亚迪H股")], ["1211.HK"])],
    ids=["name", "two-names", "us-tag", "us-symbol", "adr-marker", "adr-after-nickname",
         "no-adr-written", "hong-kong-listed-2022", "hong-kong-listed-after-the-crawl",
         "hong-kong-home", "symbol-is-its-name", "a-share-company-untouched"],
)
def test_a_name_is_keyed_as_the_guide_says(relabel_listings, text, labels, expected):
    assert _keys(relabel_listings, text, *labels) == expected


def test_hong_kong_listing_days_are_the_packaged_ones(relabel_listings):
    # The days tracker reads (history.csv, built from tracker/data/hk_listings.csv).
    assert relabel_listings.hk_listed("9866.HK") == "2022-03-10"
    assert relabel_listings.hk_listed("9988.HK") == "2019-11-26"
    with pytest.raises(SystemExit, match=r"history\.csv: 0700\.HK has no listing day"):
        relabel_listings.hk_listed("0700.HK")


def test_a_name_beside_its_companys_tag_is_one_mention(relabel_listings):
    text = "$阿里巴巴-SW(09988)$ 阿里云增速回升"
    assert _keys(relabel_listings, text, ("9988.HK", "$阿里巴巴-SW(09988)$"),
                 ("BABA", "阿里云")) == ["9988.HK"]


def test_every_new_york_companys_hong_kong_listing_has_a_day(relabel_listings):
    table = relabel_listings.companies()
    assert table["BABA"].hong_kong == "9988.HK"
    assert "NIO" not in table  # its Hong Kong listing came after the posts
    assert "002594.SZ" not in table and "1211.HK" not in table  # an A-share company


def test_the_development_files_are_relabelled(relabel_listings):
    # Re-running the script on the committed files changes nothing.
    table = relabel_listings.companies()
    for name in relabel_listings.FILES:
        counts: Counter[str] = Counter()
        dropped: Counter[str] = Counter()
        path = relabel_listings.LABELLED / name
        for line in path.read_text(encoding="utf-8").splitlines():
            relabel_listings.relabel(json.loads(line), table, counts, dropped)
        assert not counts and not dropped, name
