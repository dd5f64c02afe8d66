"""Key the 雪球 development labels' names of Hong Kong and New York listed companies as
docs/labelling.md says: "雪球 posts the listing its tag names, else the A-share, else Hong Kong".

Run from the repository root:

    python scripts/relabel_listings.py            # rewrite the files, print the counts
    python scripts/relabel_listings.py --check    # print the counts, change nothing

The labellers of zh_xueqiu_a.jsonl and zh_xueqiu_b.jsonl keyed most names of these companies
(阿里, 百度, 京东, 网易) on New York; the guide, and the blind labeller of zh_xueqiu_long.jsonl,
key them on Hong Kong. This script changes only the key of a mention of a company that has a
Hong Kong listing and no A-share (securities.csv's curated rows), in a post that writes no tag,
code or marker naming the labelled listing (`$阿里巴巴(BABA)$`, `BABA`, `阿里ADR`,
`$阿里巴巴-SW(09988)$`, `09988.HK`, `阿里H股`). Its new key is the listing the post's own tags
name, else the Hong Kong one, as of the posts' day: the 雪球 file was crawled in May-July 2021
and states no day per post, so a Hong Kong listing counts when it began before 2021-05-01
(its day in tracker/data/history.csv, which scripts/build_securities.py writes from
tracker/data/hk_listings.csv, the same days tracker reads): Alibaba's (2019) does, NIO's
(2022) does not, and 蔚来 stays NIO. A relabelled
mention whose new key the post already lists (阿里 keyed BABA beside its tag
`$阿里巴巴-SW(09988)$` keyed 9988.HK) is one mention: the other is kept, this one dropped.
Nothing else of a label changes; zh_xueqiu_long.jsonl (held out) and the gold sets are not
read. Re-running it on relabelled files changes nothing.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tracker.extract.history import packaged_history  # noqa: E402  (the repository root must be on the path first)

FILES = ("zh_xueqiu_a.jsonl", "zh_xueqiu_b.jsonl")
LABELLED = ROOT / "datasets" / "real_train"
SECURITIES = ROOT / "tracker" / "data" / "securities.csv"
A_SHARE = ("SS", "SZ", "BJ")
# The day the posts were written by at the earliest that the guide's "else Hong Kong" can use:
# the crawl began in May 2021 (../shared/datasets/SOURCES.md: "crawled May-Jul 2021, no
# per-post time").
POSTS_FROM = "2021-05-01"
CJK = re.compile(r"[\u4e00-\u9fff]")
# A listing's marker after a company's Chinese name: ADR New York, H股 Hong Kong.
_MARKER = r"(ADRs?(?![A-Za-z])|H股)"
@dataclass(frozen=True)
class Company:
    """A curated company with a Hong Kong listing and no A-share: its listings as label keys
    (`BABA`, `9988.HK`), the Hong Kong one the guide gives, and its Chinese names."""

    keys: tuple[str, ...]
    hong_kong: str
    names: tuple[str, ...]
    english: tuple[str, ...]


def _label_key(ticker: str, market: str) -> str:
    return ticker if market == "US" else f"{ticker}.{market}"


def hk_listed(key: str) -> str:
    """The first trading day of a Hong Kong listing added to a listing elsewhere (`9988.HK`
    -> `2019-11-26`), from history.csv; every such listing of a curated company must have
    one (scripts/build_securities.py names those that lack it)."""
    code = key.removesuffix(".HK")
    day = next((p.listed for p in packaged_history().periods(code, "HK") if not p.own), None)
    if day is None:
        sys.exit(f"tracker/data/history.csv: {key} has no listing day (tracker/data/"
                 "hk_listings.csv lacks it; add it and run scripts/build_securities.py)")
    return day


def companies() -> dict[str, Company]:
    """Each label key of such a company -> the company."""
    out: dict[str, Company] = {}
    with SECURITIES.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            listings = [(row["ticker"], row["market"])]
            listings += [tuple(lst.rsplit(".", 1)) for lst in row["listings"].split("|") if lst]
            markets = {m for _, m in listings}
            if "HK" not in markets or markets & set(A_SHARE) or len(listings) < 2:
                continue
            hong_kong = next(_label_key(t, m) for t, m in listings if m == "HK")
            if row["market"] != "HK" and hk_listed(hong_kong) >= POSTS_FROM:
                continue
            company = Company(tuple(_label_key(t, m) for t, m in listings), hong_kong,
                              tuple(a for a in row["aliases_zh"].split("|") if a),
                              tuple(a for a in row["aliases_en"].split("|") if a))
            for key in company.keys:
                out[key] = company
    return out


def _forms(key: str, company: Company) -> re.Pattern[str]:
    """How a post writes the listing `key` as a tag or code: BABA as `$BABA`, `(BABA)` or a
    word of capitals (but a symbol that is also the company's name, HSBC, only as `$HSBC` or
    `(HSBC)`); 9988.HK as `(09988)`, `09988`, `9988.HK`, `HK09988` (a bare four-digit number
    is a price or a year)."""
    if key.endswith(".HK"):
        code = key[:-3].lstrip("0")
        return re.compile(rf"(?<![\d.])(?:HK0*{code}|0+{code}(?:\.HK)?|0*{code}\.HK)(?!\d)")
    if key in company.english:
        return re.compile(rf"\${re.escape(key)}(?![A-Za-z])|[(（]{re.escape(key)}[)）]")
    return re.compile(rf"(?<![A-Za-z]){re.escape(key)}(?![A-Za-z])")


def named_listings(text: str, company: Company, surfaces: tuple[str, ...] = ()) -> set[str]:
    """The listings of `company` that `text` names by a tag, a code or a marker after a
    Chinese name or a form the labels give it (阿里ADR, 鹅厂ADR: New York; 阿里H股: Hong
    Kong)."""
    named = {key for key in company.keys if _forms(key, company).search(text)}
    for name in company.names + surfaces:
        for m in re.finditer(rf"{re.escape(name)}\s?{_MARKER}", text):
            named.add(company.hong_kong if m[1] == "H股" else next(
                (k for k in company.keys if "." not in k), company.hong_kong))
    return named


def guide_key(text: str, key: str, company: Company, surfaces: tuple[str, ...] = ()) -> str:
    """The key docs/labelling.md gives a mention labelled `key`: the listing the post's tags
    name (itself when they name it), else the Hong Kong listing."""
    named = named_listings(text, company, surfaces)
    if key in named:
        return key
    if len(named) == 1:
        return next(iter(named))
    return company.hong_kong


def relabel(post: dict, table: dict[str, Company], counts: Counter[str],
            dropped: Counter[str]) -> dict:
    """`post` with each such mention keyed as the guide says; `counts` gets `old -> new` per
    mention changed, `dropped` the same for those merged into a mention already listed."""
    mentions = post["mentions"]
    keys = [m["key"] for m in mentions]
    out = []
    for i, m in enumerate(mentions):
        company = table.get(m["key"])
        # The forms the labels give the company in this post (鹅厂 for Tencent): a marker
        # after one names a listing as after a listed name (鹅厂ADR).
        surfaces = tuple(re.sub(_MARKER + "$", "", n["surface"]) for n in mentions
                         if company and n["key"] in company.keys and CJK.search(n["surface"]))
        new = guide_key(post["text"], m["key"], company, surfaces) if company else m["key"]
        if new == m["key"]:
            out.append(m)
            continue
        change = f"{m['key']} -> {new}"
        if new in keys[:i] + keys[i + 1:]:
            dropped[change] += 1
            continue
        counts[change] += 1
        keys[i] = new
        out.append({**m, "key": new})
    return {**post, "mentions": out}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="count, change nothing")
    args = parser.parse_args()
    table = companies()
    for name in FILES:
        path = LABELLED / name
        counts: Counter[str] = Counter()
        dropped: Counter[str] = Counter()
        lines = path.read_text(encoding="utf-8").splitlines()
        new_lines = [json.dumps(relabel(json.loads(line), table, counts, dropped),
                                ensure_ascii=False) for line in lines]
        print(f"{name}: {sum(counts.values())} relabelled, {sum(dropped.values())} merged")
        for change, n in sorted(counts.items()):
            print(f"  {change}: {n}")
        for change, n in sorted(dropped.items()):
            print(f"  {change} (merged into the post's own): {n}")
        if not args.check:
            path.write_text("".join(line + "\n" for line in new_lines), encoding="utf-8")


if __name__ == "__main__":
    main()
