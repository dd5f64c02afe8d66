"""The clause splitter's name scan finds exactly what the alternation regex it replaced found."""

from __future__ import annotations

import random
import re
from collections.abc import Iterable

import pytest

from tracker.extract.text.patterns import CASHTAG
from tracker.sentiment.clauses import (
    _MEMO,
    _WORDISH,
    _name_list,
    _nameless,
    _names,
    is_bare,
    masked_names,
)


def _regex(names: Iterable[str] | None = None) -> re.Pattern[str]:
    # The scan this module used before the Aho-Corasick automaton, kept as the reference.
    names = _name_list() if names is None else names
    alts = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![A-Za-z0-9])(?:{alts})(?![A-Za-z0-9])")


TRICKY = [
    "",
    "F",
    "Ford",
    "Fords and Ford's",
    "AT&T rallied; AT&Tx did not",
    "ASML, ASM, ASMPT and ASM太平洋 all moved",
    "Arm Holdingsx is not Arm Holdings",
    "SK Hynix vs Hynix vs SKHynix",
    "xNVDA NVDAx NVDA9 9NVDA _NVDA NVDA_",
    "中际旭创和旭创，迪思科与思科",
    "梅赛德斯-奔驰涨了，奔驰跌了",
    "ANET NET SNOW NOW FSLR LR",
    "Taiwan Semiconductor Manufacturing TSMC TSM 台积电",
    "BOE Technology Group and BOE Technology Groupie",
    "🚀NVDA🚀 and 😀Tesla😀 𝐓𝐒𝐋𝐀",
    "002049 0020 600522 0522",
    "Amazon Web Services, Amazon Web, Amazon",
]


@pytest.mark.parametrize("text", TRICKY)
def test_names_scan_matches_the_regex(text: str) -> None:
    regex = _regex()
    assert _names().sub(" ", text) == regex.sub(" ", text)
    assert _names().spans(text) == [m.span() for m in regex.finditer(text)]
    assert _names().any(text) == bool(regex.search(text))
    # The tone models' mask: the same scan over fewer names.
    masked = masked_names()
    assert masked.sub(" tkr ", text) == _regex(masked._names).sub(" tkr ", text)


def test_names_scan_matches_the_regex_on_glued_names() -> None:
    # Names run together, overlapping and cut at random, with and without separators: the
    # cases where leftmost-longest order decides what the regex removes.
    regex = _regex()
    names = sorted(_name_list())
    glue = ["", "", " ", "x", "9", "，", "-", "&", ".", "$", "🚀"]
    rng = random.Random(20240601)
    for _ in range(3000):
        text = "".join(rng.choice(names) + rng.choice(glue) for _ in range(rng.randint(1, 6)))
        if rng.random() < 0.5:
            a = rng.randrange(len(text) + 1)
            text = text[a:a + rng.randint(0, 40)]
        assert _names().sub(" ", text) == regex.sub(" ", text), text
        assert _names().any(text) == bool(regex.search(text)), text


@pytest.mark.parametrize(
    ("text", "bare"),
    [("$NVDA $AMD", True), ("英伟达、AMD、台积电", True), ("NVDA Ford Arm", True),
     ("Ford rallies", False), ("Fordx", False), ("", True), ("$Tesla(TSLA.US) 🚀", True)],
)
def test_is_bare(text: str, bare: bool) -> None:
    assert is_bare(text) is bare


def test_companies_added_in_the_config_split_clauses(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tracker.config import load_config
    from tracker.extract.models import RawPost
    from tracker.ingest.analyze import Analyzer

    text = "$NVDA rallied, Zorblax Robotics crashed after a terrible quarter, huge losses and layoffs"
    path = tmp_path / "config.toml"
    path.write_text('[dates]\ntimezone = "UTC"\n', "utf-8")
    plain = Analyzer(load_config(path)).analyze(RawPost("t", text))
    path.write_text('[dates]\ntimezone = "UTC"\n[[securities.add]]\nticker = "ZRBX"\n'
                    'market = "US"\nname = "Zorblax Robotics Inc."\n'
                    'aliases_en = ["Zorblax Robotics"]\n', "utf-8")
    added = Analyzer(load_config(path)).analyze(RawPost("t", text))
    assert plain is not None and added is not None
    (before,) = [m for m in plain.mentions if m.ticker == "NVDA"]
    nvda, zrbx = sorted(added.mentions, key=lambda m: m.start)
    # Without the company, the comma does not cut and the whole sentence speaks for NVDA.
    assert (nvda.ticker, zrbx.ticker) == ("NVDA", "ZRBX")
    assert nvda.tone is not None and before.tone is not None and zrbx.tone is not None
    assert (before.label, nvda.label, zrbx.label) == ("negative", "positive", "negative"), (
        before.tone, nvda.tone, zrbx.tone)


def test_the_last_texts_spans_are_kept_and_not_shared() -> None:
    # spans() keeps the last texts' answers for a mask model's second read of each: the
    # answer is the same as a fresh scan's, and a caller's change to it reaches no later
    # caller.
    regex = _regex()
    texts = ["中际旭创和旭创", "中际旭创和旭创", "NVDA and Ford", "中际旭创和旭创", "", "Ford"]
    for text in texts:
        first = _names().spans(text)
        want = [m.span() for m in regex.finditer(text)]
        assert first == want, text
        first.append((0, 0))
        assert _names().spans(text) == want, text


def test_spans_kept_past_the_memos_size_are_each_texts_own() -> None:
    # More texts than the memo holds, each asked again after the others (as the Chinese
    # model's second read of a call's texts asks): every answer is its own text's, whether
    # kept or scanned again after the memo was emptied.
    regex = _regex(masked_names()._names)
    names = sorted(masked_names()._names)
    rng = random.Random(7)
    texts = [f"{i}{rng.choice(names)}和{rng.choice(names)}涨" for i in range(_MEMO + 300)]
    got = [masked_names().spans(t) for t in texts]
    again = [masked_names().spans(t) for t in texts]
    want = [[m.span() for m in regex.finditer(t)] for t in texts]
    assert got == want
    assert again == want


def _bare(text: str, names: re.Pattern[str]) -> bool:
    # is_bare before the characters no name holds were looked for: the names replaced.
    return not _WORDISH.search(names.sub(" ", CASHTAG.sub(" ", text)))


def test_is_bare_is_the_names_replacement_read() -> None:
    # Names glued together and to other characters (bare or not by a single character),
    # and the sentences of real 雪球 posts: is_bare answers as the replacement does.
    import json
    from pathlib import Path

    names = sorted(_name_list())
    glue = ["", " ", "，", "、", "$", "x", "9", "的", "涨", "🚀"]
    rng = random.Random(20261208)
    texts = ["".join(rng.choice(names) + rng.choice(glue) for _ in range(rng.randint(1, 4)))
             for _ in range(3000)]
    path = Path(__file__).parents[2] / "datasets" / "zh_real_xueqiu.train.jsonl"
    for line in path.read_text("utf-8").splitlines()[:300]:
        texts += re.split("[。！？\n]", json.loads(line)["text"])
    # The pattern built once: _regex() joins and escapes 2,425 names at each call (2.5 ms;
    # 22 s of the fast suite's CPU when each text built it).
    regex = _regex()
    assert sum(_bare(t, regex) for t in texts) > 500
    assert [t for t in texts if is_bare(t) != _bare(t, regex)] == []


def test_nameless_characters_are_the_word_characters_no_name_holds() -> None:
    held = set("".join(_names()._names))
    wrong = [hex(code) for code in range(0x30000) if bool(_nameless().fullmatch(chr(code)))
             != (bool(_WORDISH.fullmatch(chr(code))) and chr(code) not in held)]
    assert wrong == []


# Characters whose UTF-32 bytes hold a name's bytes across a character's edge (U+4600 is
# 00 00 46 00, so two of them hold "F", 00 00 00 46, from the first's last byte), lone
# surrogates, astral letters, NUL and the last code point, each beside a Chinese name (the
# automaton's path): it walks the UTF-32 bytes, and only matches that end a character count.
UTF32_EDGES = [
    "\u4600\u4600 台积电 F\u4600\u4600",
    "\U00010000A\U00010041\U0010ffff台积电\u0000",
    "台\ud800积电 \udc00NVDA\ud83d 英伟达\udfff",
    "\x00\x00NVDA\x00英伟达\x00",
    "\u0041\u4e00\u0041",
]


@pytest.mark.parametrize("text", UTF32_EDGES, ids=range(len(UTF32_EDGES)))
def test_names_scan_over_utf32_bytes_matches_the_regex(text: str) -> None:
    for names in (_names(), masked_names()):
        names._memo.clear()
        assert names.spans(text) == [m.span() for m in _regex(names._names).finditer(text)]


def test_names_scan_matches_the_regex_on_chinese_posts() -> None:
    # Real Chinese posts, where nearly every text takes the automaton's path (_walk).
    import json
    from itertools import islice
    from pathlib import Path

    path = Path(__file__).parents[2] / "datasets" / "zh_real_xueqiu.train.jsonl"
    with path.open(encoding="utf-8") as lines:
        texts = [json.loads(line)["text"] for line in islice(lines, 150)]
    full, masked = _regex(), _regex(masked_names()._names)
    for text in texts:
        assert _names().spans(text) == [m.span() for m in full.finditer(text)], text
        assert masked_names().spans(text) == [m.span() for m in masked.finditer(text)], text
