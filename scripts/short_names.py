"""Chinese short forms of A-share names, derived from the listing (build_securities.py).

Readers shorten a listed name by dropping what many names share: a generic ending
(赛微电子 -> 赛微, 腾景科技 -> 腾景, 上港集团 -> 上港), the company's own industry (招商港口 ->
招商, 招商银行 -> 招商), a one-character ending many three-character names share (宁波港 ->
宁波), or a prefix many names share (中国平安 -> 平安); and a two-character listed name (万科)
is a short form already. Which endings and prefixes are generic is counted from the listing
itself (SHARED_ENDING, SHARED_ENDING_1, SHARED_PREFIX names), not written by hand. Every short form
is ambiguous and needs its sector or a sibling company nearby (tracker/extract/short_names.py).

Output: tracker/data/zh_short_names.csv, columns SHORT_NAME_COLUMNS.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path


def jieba_frequencies(path: Path | None = None) -> dict[str, int]:
    """Word -> count from jieba's dictionary (default: the one the jieba package ships)."""
    if path is None:
        import jieba  # a dependency of tracker; its dictionary is data here, not a segmenter

        path = Path(jieba.__file__).parent / "dict.txt"
    out = {}
    for line in path.read_text("utf-8").splitlines():
        word, _, rest = line.partition(" ")
        out[word] = int(rest.split(" ", 1)[0] or 0)
    return out

# How many listed names must share an ending (or prefix) for it to be a generic part that
# readers drop. 10 keeps 电子 (90 names), 港 (14 three-character names); 40 keeps only the
# prefix 中国 (58), where 上海 (35) or 东方 (25) start names readers do not shorten.
SHARED_ENDING = 10
# A short form jieba's dictionary counts at least this often is an ordinary word as well
# (平安 1438, 招商 595, 民生 452), where 万科 (75), 格力 (73) or 上港 (absent) are names: a
# word needs its sector nearby or sibling short forms (short_names.py).
WORD_FREQUENCY = 400
# ... and one counted this often is read as the word, never as a company: 中国 (129470),
# 今天, 数据, 未来, 卫星 (3057), 北京. 平安 (1438) stays a short form that needs context.
COMMON_FREQUENCY = 1500
SHARED_ENDING_1 = 10
SHARED_PREFIX = 40
_HAN = re.compile(r"[\u4e00-\u9fff]+")


def short_forms(names: Iterable[tuple[str, str, str, str]], frequency: dict[str, int]
                ) -> list[tuple[str, str, str, str, str]]:
    """(ticker, market, industry, shorts, words) per A-share of `names` (ticker, market,
    name, industry): its short forms, and those of them that are ordinary words by
    `frequency` (jieba's dictionary), each joined by `|`, sorted by market and ticker."""
    rows = [(t, m, n, i) for t, m, n, i in names if _HAN.fullmatch(n)]
    ending2 = Counter(n[-2:] for _, _, n, _ in rows if len(n) >= 4)
    ending1 = Counter(n[-1] for _, _, n, _ in rows if len(n) == 3)
    prefix = Counter(n[:2] for _, _, n, _ in rows if len(n) >= 4)
    # A short form that is itself a generic ending or names an industry (中国银行 -> 银行)
    # names the sector, not a company.
    industries = {i for *_, i in rows if i}
    sector = {e for e, n in ending2.items() if n >= SHARED_ENDING} | industries | {
        half for i in industries if len(i) == 4 for half in (i[:2], i[2:])}
    out = []
    for ticker, market, name, industry in rows:
        shorts = []
        if len(name) == 2:
            shorts.append(name)
        if len(name) >= 4 and ending2[name[-2:]] >= SHARED_ENDING:
            shorts.append(name[:-2])
        if industry and len(name) > len(industry) + 1 and name.endswith(industry):
            shorts.append(name[:-len(industry)])
        if len(name) == 3 and ending1[name[-1]] >= SHARED_ENDING_1:
            shorts.append(name[:2])
        # A name's head without its shared prefix (中国人寿 -> 人寿, 中国卫星 -> 卫星) is as
        # often a common noun as the company: it is read like a word.
        headless = name[2:] if len(name) >= 4 and prefix[name[:2]] >= SHARED_PREFIX else ""
        if headless:
            shorts.append(headless)
        shorts = [s for s in dict.fromkeys(shorts)
                  if len(s) >= 2 and (s != name or len(name) == 2) and s not in sector
                  and frequency.get(s, 0) < COMMON_FREQUENCY]
        words = [s for s in shorts if frequency.get(s, 0) >= WORD_FREQUENCY or s == headless]
        out.append((ticker, market, industry, "|".join(shorts), "|".join(words)))
    return sorted(out, key=lambda r: (r[1], r[0]))
