"""Text from posts in the briefing links nothing and hides nothing: GFM autolinks are
defused, and every invisible format or filler character is dropped."""

from __future__ import annotations

import sys
import unicodedata

import pytest

from tracker.reports.render import escape_md

FILLERS = ["\u115f", "\u1160", "\u3164", "\uffa0", "\u2800", "\u180e"]


@pytest.mark.parametrize("text, shown", [
    ("read https://evil.example/x now", "read https&#58;//evil.example/x now"),
    ("HTTP://A.B", "HTTP&#58;//A.B"),
    ("ftp://host/file", "ftp&#58;//host/file"),
    ("www.example.com", "www&#46;example.com"),
    ("WWW.Example.com", "WWW&#46;Example.com"),
    ("mail ann@example.com", "mail ann&#64;example.com"),
    ("a ratio 3:1 stays", "a ratio 3:1 stays"),
], ids=["https", "upper", "ftp", "www", "WWW", "email", "colon"])
def test_autolinks_are_defused(text: str, shown: str) -> None:
    assert escape_md(text) == shown


def test_every_format_character_but_the_joiner_is_dropped() -> None:
    found = [chr(c) for c in range(sys.maxunicode + 1)
             if unicodedata.category(chr(c)) == "Cf" and c != 0x200D]
    kept = [f"U+{ord(ch):04X}" for ch in found if escape_md(f"a{ch}b") != "ab"]
    assert kept == []


@pytest.mark.parametrize("ch", FILLERS, ids=[f"U+{ord(c):04X}" for c in FILLERS])
def test_blank_fillers_are_dropped(ch: str) -> None:
    assert escape_md(f"TS{ch}LA") == "TSLA"


def test_emoji_sequences_keep_their_joiner() -> None:
    family = "\U0001F468\u200d\U0001F469"
    assert escape_md(family) == family
