"""Content-free posts: forms that name securities and say nothing about them.

Generated from the packaged securities universe, per language: cashtags, codes, names,
numbers, links, hashtags and handles alone or in lists; "watching $X"; questions that ask
and do not judge; announcements of a date or a meeting with no verdict. Training adds them as
neutral rows (training.py), so the model itself learns that silence is neutral; the tests
score fresh forms, drawn from the other half of the universe, and expect every one neutral.

The universe is split in two halves by a hash of each symbol: part "train" draws from one,
part "test" from the other, so a test never meets a name the model was taught.
"""

from __future__ import annotations

import csv
import hashlib
import random
from functools import lru_cache
from importlib import resources

from tracker.extract.exchange_codes import US_MARKET
from tracker.extract.markets import A_SHARE_EXCHANGES, A_SHARE_MARKETS
from tracker.extract.text.patterns import CJK

# The source name the generated rows carry in a training corpus.
SILENCE_SOURCE = "content_free"
PARTS = ("train", "test")

_EN_TEMPLATES = (
    "{ct}", "{ct} {ct}", "{ct} {ct} {ct}", "{ct}, {ct} and {ct}", "{ct} {ct} {ct} {ct} {ct}",
    "{ct} {url}", "{url} {ct}", "{ct} #{tag}", "#{tag} #{tag} {ct}", "@{handle} {ct}",
    "@{handle} @{handle} {ct} {ct}", "{ct} {num}", "{ct} {price}", "{name}", "{name} ({ct})",
    "{name}, {name}", "{sym} {sym} {sym}", "{ct} {pct}", "{ct} {date}",
    "Watching {ct}", "watching {ct} today", "Watching {ct} {ct}", "Keeping an eye on {ct}",
    "{ct} on watch", "Added {ct} to my watchlist", "{ct} on my radar", "Eyes on {ct} {ct}",
    "What do you think about {ct}?", "Thoughts on {ct}?", "Anyone holding {ct}?",
    "Any news on {ct}?", "When does {ct} report earnings?", "What's going on with {ct}?",
    "Is anyone here trading {ct}?", "{ct}?", "{ct} {ct}?", "How long have you held {ct}?",
    "What is your price target for {ct}?", "Who else is in {ct}?", "Opinions on {name}?",
    "{ct} to report {quarter} earnings on {date}", "{name} to report {quarter} results on {date}",
    "{name} schedules {quarter} earnings conference call for {date}",
    "{name} to present at the {conf} conference on {date}",
    "{name} will hold its annual meeting of shareholders on {date}",
    "{ct} ex-dividend date is {date}", "{name} files quarterly report",
    "{name} announces date of {quarter} earnings release", "{ct} earnings call at {time}",
)
_ZH_TEMPLATES = (
    "{ct}", "{ct} {ct}", "{ct}{ct}{ct}", "{ct}、{ct}、{ct}", "{ct} {url}", "{ct} #{topic}#",
    "@{handle} {ct}", "{ct} {num}", "{ct} {price}", "{name}", "{code}", "{name} {code}",
    "{name}（{code}）", "{name}、{name}、{name}", "{ct} {pct}", "{ct} {date}",
    "关注{ct}", "{ct} 继续观察", "自选股加了{ct}", "盯着{ct}", "看看{ct}", "{ct} 观察中",
    "{ct}怎么看？", "{ct}大家怎么看？", "{ct}什么时候出年报？", "有人拿着{ct}吗？",
    "{ct}现在什么价位？", "请问{ct}的分红什么时候到账？", "{ct}？", "{name}是做什么的？",
    "{ct}有人研究过吗？", "各位怎么看{ct}？",
    "{name}：关于召开{year}年第{n}次临时股东大会的通知", "{name}公告：{date}召开年度股东大会",
    "{name}将于{date}披露{year}年半年度报告", "{name}：关于举办投资者说明会的公告",
    "{name}董事会决议公告", "{name}：{year}年第{n}季度报告", "{ct} {date}召开业绩说明会",
    "{name}：关于公司股票交易的提示性公告",
)
_EN_TAGS = ("stocks", "investing", "trading", "markets", "finance", "stockmarket", "NYSE",
            "Nasdaq", "earnings", "daytrading")
_ZH_TOPICS = ("今日话题", "年报季", "A股", "美股", "港股", "科创板", "投资", "每日复盘")
_CONFS = ("Goldman Sachs Communacopia", "J.P. Morgan Healthcare", "Morgan Stanley TMT",
          "Bank of America Global Technology", "Barclays Global Financial Services")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")




@lru_cache(maxsize=1)
def _universe() -> tuple[tuple[str, str, str, str], ...]:
    # (ticker, market, name, local name) of every equity and ETF the package lists.
    text = resources.files("tracker.data").joinpath("universe.csv").read_text("utf-8")
    rows = csv.DictReader(text.splitlines())
    return tuple((r["ticker"], r["market"], r["name"], r["listed_names"].split("|")[0])
                 for r in rows if r["kind"] in ("equity", "etf") and r["name"])


def _half(symbol: str) -> str:
    return PARTS[hashlib.sha1(symbol.encode("utf-8")).digest()[0] % 2]


@lru_cache(maxsize=4)
def _symbols(lang: str, part: str) -> tuple[tuple[str, str, str], ...]:
    """(ticker, market, name) in `lang`: US listings for English; for Chinese, the A-share
    listings under their Chinese names, as 雪球 and 股吧 write them."""
    out = []
    for ticker, market, name, local in _universe():
        if _half(f"{ticker}.{market}") != part:
            continue
        if lang == "en" and market == US_MARKET:
            out.append((ticker, market, name))
        elif lang == "zh" and market in A_SHARE_MARKETS:
            zh = local if CJK.search(local) else name
            if CJK.search(zh):
                out.append((ticker, market, zh))
    return tuple(out)


@lru_cache(maxsize=4)
def _names(lang: str, part: str) -> tuple[str, ...]:
    """The packaged names a post names a company by in `lang` (the curated list's aliases,
    which the mention finder matches)."""
    from tracker.extract.securities import load_securities

    out: list[str] = []
    for sec in load_securities():
        if _half(f"{sec.ticker}.{sec.market}") != part:
            continue
        out += sec.aliases_zh if lang == "zh" else [a for a in sec.aliases_en if len(a) > 2]
    return tuple(sorted(set(out)))


_WRITTEN_EXCHANGE = {market: letters for letters, market in A_SHARE_EXCHANGES.items()}


def _zh_code(ticker: str, market: str) -> str:
    return _WRITTEN_EXCHANGE.get(market, "") + ticker


def content_free_forms(lang: str, n: int, part: str = "train", seed: int = 0) -> list[str]:
    """`n` content-free texts in `lang` ("en" or "zh"), drawn with `seed` from the `part`
    ("train" or "test") half of the universe; every template is used in turn."""
    if part not in PARTS:
        raise ValueError(f"part must be one of {PARTS}, not {part!r}")
    rng = random.Random(f"{lang}/{part}/{seed}")
    symbols = _symbols(lang, part)
    templates = _EN_TEMPLATES if lang == "en" else _ZH_TEMPLATES
    out = []
    for i in range(n):
        template = templates[i % len(templates)]
        out.append(_fill(template, lang, symbols, _names(lang, part), rng))
    return out


def _fill(template: str, lang: str, symbols: tuple[tuple[str, str, str], ...],
          names: tuple[str, ...], rng: random.Random) -> str:

    def pick() -> tuple[str, str, str]:
        return symbols[rng.randrange(len(symbols))]

    def cashtag() -> str:
        ticker, market, name = pick()
        if lang == "en":
            return "$" + ticker
        return f"${name}({_zh_code(ticker, market)})$"

    year = rng.randrange(2015, 2027)
    month = rng.randrange(1, 13)
    day = rng.randrange(1, 29)
    fill = {
        "ct": cashtag,
        "name": lambda: rng.choice(names),
        "sym": lambda: pick()[0],
        "code": lambda: _zh_code(*pick()[:2]),
        "url": lambda: f"https://t.co/{rng.getrandbits(40):x}",
        "tag": lambda: rng.choice(_EN_TAGS),
        "topic": lambda: rng.choice(_ZH_TOPICS),
        "handle": lambda: rng.choice(("trader", "jim", "stockguy", "老王", "investor")) +
        str(rng.randrange(100)),
        "num": lambda: str(rng.randrange(1, 5000)),
        "price": lambda: f"{rng.uniform(1, 900):.2f}",
        "pct": lambda: f"{rng.uniform(0, 30):.1f}%",
        "date": lambda: (f"{_MONTHS[month - 1]} {day}" if lang == "en"
                         else f"{year}年{month}月{day}日"),
        "quarter": lambda: rng.choice(("Q1", "Q2", "Q3", "Q4", "first-quarter", "fiscal")),
        "conf": lambda: rng.choice(_CONFS),
        "time": lambda: f"{rng.randrange(1, 12)}:{rng.choice(('00', '30'))} ET",
        "year": lambda: str(year),
        "n": lambda: str(rng.randrange(1, 5)),
    }
    out, pos = [], 0
    while True:
        start = template.find("{", pos)
        if start < 0:
            out.append(template[pos:])
            return "".join(out)
        end = template.index("}", start)
        out.append(template[pos:start])
        out.append(fill[template[start + 1:end]]())
        pos = end + 1
