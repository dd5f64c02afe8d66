"""A seeded synthetic corpus of posts: 50% English, 40% Chinese, 10% mixed, ~800 characters.

Posts are built from varied sentences (bullish, bearish and neutral), cashtags in every form
the tracker reads ($TSLA, $Tesla(TSLA.US), $贵州茅台（600519.SH）, $2382), security-tag
spans, Chinese company names and money amounts that are not tickers. The same seed and size
always give the same corpus, written as JSON Lines shards so that no one file grows with
the corpus.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

_MARKUP = re.compile(r"<[^>]+>")

COMPANIES = [
    ("TSLA", "US", "Tesla, Inc.", "Tesla", "特斯拉"),
    ("NVDA", "US", "NVIDIA Corporation", "NVIDIA", "英伟达"),
    ("AAPL", "US", "Apple Inc.", "Apple", "苹果"),
    ("MSFT", "US", "Microsoft Corporation", "Microsoft", "微软"),
    ("AMZN", "US", "Amazon.com, Inc.", "Amazon", "亚马逊"),
    ("GOOGL", "US", "Alphabet Inc.", "Alphabet", "谷歌"),
    ("META", "US", "Meta Platforms, Inc.", "Meta", "Meta"),
    ("TSM", "US", "Taiwan Semiconductor Manufacturing", "TSMC", "台积电"),
    ("INTC", "US", "Intel Corporation", "Intel", "英特尔"),
    ("ASML", "US", "ASML Holding N.V.", "ASML", "阿斯麦"),
    ("AMAT", "US", "Applied Materials, Inc.", "Applied Materials", "应用材料"),
    ("LRCX", "US", "Lam Research Corporation", "Lam Research", "泛林集团"),
    ("AMD", "US", "Advanced Micro Devices, Inc.", "AMD", "超威半导体"),
    ("AVGO", "US", "Broadcom Inc.", "Broadcom", "博通"),
    ("MU", "US", "Micron Technology, Inc.", "Micron", "美光"),
    ("600519", "SH", "Kweichow Moutai", "Moutai", "贵州茅台"),
    ("0700", "HK", "Tencent Holdings", "Tencent", "腾讯控股"),
    ("2382", "TW", "Quanta Computer", "Quanta", "广达"),
]

EN_SENTENCES = [
    "{x} is still falling so much today, and I got trapped again at the open.",
    "I think {x} will rally hard after the earnings beat, great guidance all round.",
    "Margins at {x} look terrible this quarter and the outlook is weak.",
    "Analysts raised their target on {x} to {n} dollars, citing strong demand.",
    "Honestly {x} is a disaster, I am selling everything before it drops further.",
    "{x} reported revenue of {m} billion, roughly in line with expectations.",
    "Love how {x} keeps executing; this is a wonderful long-term hold.",
    "The market shrugged off the news and {x} closed flat.",
    "Supply constraints could hurt {x} for two more quarters, which is worrying.",
    "Buying more {x} on this dip, the fundamentals have never been better.",
    "The first category is equipment companies, led by {x}.",
    "Capex guidance of $45-$50 billion suggests {x} is not slowing down.",
    "Regulators opened a probe into {x}, and the stock slid in late trading.",
    "Short sellers are piling into {x} again, but I am not convinced.",
    "Management at {x} sounded confident and upbeat on the call.",
    "Nothing much happened with {x} today; volume was light.",
]

ZH_SENTENCES = [
    "{x}今天又大跌了，真是被套牢了，太惨了。",
    "我看好{x}的长期发展，业绩超预期，值得继续持有。",
    "{x}这个季度利润下滑，前景不太乐观。",
    "分析师把{x}的目标价上调到{n}元，需求非常强劲。",
    "{x}营收达到{m}亿元，基本符合市场预期。",
    "今天{x}走势平稳，成交量一般。",
    "{x}又创新高了，太棒了，继续加仓！",
    "监管部门对{x}展开调查，股价应声下跌。",
    "第一类是设备公司，代表是{x}。",
    "{x}的毛利率持续改善，管理层很有信心。",
    "市场担心{x}的供应链问题会持续两个季度。",
    "我已经清仓了{x}，风险太大，不值得冒险。",
    "{x}获得大额订单，未来增长空间很大。",
    "资金大幅流出{x}，短期可能继续调整。",
]


EN_PLAIN = [
    "The market was choppy today and volume stayed thin into the close.",
    "Rates are the story now; every tick in the ten-year moves the whole tape.",
    "I keep a strict stop loss and never chase a gap up.",
    "Funds rotated out of software and into chips this week.",
    "Nobody knows where this goes next, so position size matters more than conviction.",
    "Earnings season starts next week, and expectations are high across the sector.",
]
ZH_PLAIN = [
    "今天大盘震荡，成交量偏低。",
    "利率才是关键，十年期国债收益率每一个波动都会影响市场。",
    "我一直严格止损，从不追高。",
    "本周资金从软件板块流向芯片板块。",
    "财报季下周开始，市场预期很高。",
    "仓位管理比判断方向更重要。",
]


def _mention(rng: random.Random, lang: str) -> str:
    ticker, market, name, en, zh = rng.choice(COMPANIES)
    form = rng.random()
    if form < 0.25:
        label = zh if lang == "zh" else en
        return (f'<span class="security-tag" type="security-tag" counter_id="ST/{market}/{ticker}"'
                f' name="{name}">${label}({ticker}.{market})</span>')
    if form < 0.5:
        if lang == "zh":
            return f"${zh}（{ticker}.{market}）"
        return f"${en}({ticker}.{market})"
    if form < 0.75 and ticker.isalpha():
        return f"${ticker}"
    if ticker.isdigit() and market == "TW":
        return f"${ticker}"
    return zh if lang == "zh" else en  # a name, no marker


def _sentence(rng: random.Random, lang: str) -> str:
    if rng.random() < 0.4:
        return rng.choice(ZH_PLAIN if lang == "zh" else EN_PLAIN)
    template = rng.choice(ZH_SENTENCES if lang == "zh" else EN_SENTENCES)
    return template.format(x=_mention(rng, lang), n=rng.randint(10, 2000),
                           m=f"{rng.uniform(1, 900):.1f}")


def make_post(rng: random.Random, index: int, start: datetime) -> dict[str, object]:
    """One record: id, text of ~800 characters, published time, author."""
    roll = rng.random()
    kind = "en" if roll < 0.5 else "zh" if roll < 0.9 else "mixed"
    target = rng.randint(650, 950)  # visible characters, markup not counted
    parts: list[str] = []
    length = 0
    while length < target:
        lang = kind if kind != "mixed" else rng.choice(("en", "zh"))
        sentence = _sentence(rng, lang)
        parts.append(sentence)
        length += len(_MARKUP.sub("", sentence))
        if rng.random() < 0.2:
            parts.append("\n")
    text = (" " if kind == "en" else "").join(parts).replace(" \n ", "\n")
    published = start + timedelta(seconds=rng.randint(0, 365 * 86400))
    return {"id": f"p{index}", "text": text, "published": published.isoformat(),
            "author": f"user{rng.randint(1, 5000)}", "lang_mix": kind}


def iter_posts(count: int, seed: int = 7) -> Iterator[dict[str, object]]:
    """`count` records, the same for the same seed."""
    rng = random.Random(seed)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    for index in range(count):
        yield make_post(rng, index, start)


def write_corpus(folder: Path, count: int, *, seed: int = 7, per_file: int = 1000) -> int:
    """Write `count` posts as JSON Lines shards of `per_file` posts; returns bytes written."""
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    handle = None
    for index, record in enumerate(iter_posts(count, seed)):
        if index % per_file == 0:
            if handle is not None:
                handle.close()
            handle = (folder / f"posts-{index // per_file:06d}.jsonl").open("w", encoding="utf-8")
        line = json.dumps(record, ensure_ascii=False) + "\n"
        total += len(line.encode("utf-8"))
        assert handle is not None
        handle.write(line)
    if handle is not None:
        handle.close()
    return total
