"""Whether a passage is written all in capitals, where a word's case tells nothing."""

from __future__ import annotations

import re

_ASCII_LETTER = re.compile(r"[A-Za-z]")
_ASCII_UPPER = re.compile(r"[A-Z]")


def shouting(text: str, start: int, end: int) -> bool:
    """Whether the 30 characters either side of text[start:end] are all caps (12 letters
    or more, over 80% of them upper case)."""
    # In an all-caps line every word looks like a ticker; trust only $cashtags there.
    around = text[max(0, start - 30):start] + text[end:end + 30]
    letters = len(_ASCII_LETTER.findall(around))
    return letters >= 12 and len(_ASCII_UPPER.findall(around)) > 0.8 * letters
