"""A coin named with its symbol in brackets in a crypto post, as crypto news writes one:
`Harmony (ONE) Attack`, `Gnox (GNOX) Presale`.

The symbol alone is often a word (ONE) or no listed coin (GNOX, listed after the coin list's
day), and the name alone a word (Harmony) or in no list, so neither rule for coins reads
them. Beside each other in a post that writes a coin's cashtag ($ETH.X) they name the coin
when they agree: a listed coin whose name is the words before the bracket, or a symbol no
list holds whose letters are inside the word before it (Gnox, GNOX). Acronyms of other
things (`Three Arrows Capital (3AC)`, `Lower Highs (LH)`, `Stochastic Oscillator (ESCGO)`)
agree with no word so, and a symbol some list holds for something else (`Uniglo (GLO)`, GLO
a US fund) is left alone (docs/mentions.md, issue 28's seventeenth round).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tracker.extract.cashtags import CashtagHit
from tracker.extract.securities import Security, SecurityList

# Up to three capitalised words, then the symbol in capitals (digits after its first letter)
# in round brackets.
_NAMED = re.compile(
    r"(?<![\w$#@/.\-])(?P<name>[A-Z][A-Za-z0-9]*(?:[ \t][A-Z][A-Za-z0-9]*){0,2})"
    r"[ \t]*\((?P<sym>[A-Z][A-Z0-9]{1,9})\)"
)
# The shortest word an unlisted symbol may agree with: `Go (GO)` is no coin's name.
_MIN_WORD = 3


def _agrees(securities: SecurityList, words: list[str], sym: str,
            ) -> tuple[int, str, Security | None] | None:
    """How many of `words` (from the end) name the coin `sym`, the name to give it, and its
    listed row (None for a symbol no list holds); None when they do not agree."""
    coin = securities.lookup(sym, "X")
    if coin is not None:
        names = {n.casefold() for n in coin.names()}
        for size in range(len(words), 0, -1):
            if " ".join(words[-size:]).casefold() in names:
                return size, coin.name, coin
        return None
    last = words[-1]
    if (len(last) >= _MIN_WORD and sym.casefold() in last.casefold()
            and securities.lookup(sym, None) is None):
        return 1, last, None
    return None


def find_bracketed_coins(text: str, securities: SecurityList, hits: Sequence[CashtagHit],
                         taken: Sequence[tuple[int, int]] = ()) -> list[CashtagHit]:
    """Each coin `text` names with its symbol in brackets, as a hit of kind `code` on the
    symbol (market `X`), where `hits` hold a coin's cashtag; none where the name or the
    symbol overlaps a span of `taken` (what was found before, links)."""
    if "(" not in text or not any(h.market == "X" for h in hits):
        return []
    found = []
    for match in _NAMED.finditer(text):
        sym = match["sym"]
        agreed = _agrees(securities, match["name"].split(), sym)
        if agreed is None:
            continue
        size, name, coin = agreed
        # The words that name the coin start here (`Mixer Following Harmony (ONE)`: Harmony).
        starts = [w.start() for w in re.finditer(r"\S+", match["name"])]
        start, end = match.start("name") + starts[-size], match.end("sym")
        if any(a < end and start < b for a, b in taken):
            continue
        found.append(CashtagHit(match.start("sym"), end, sym, "X", name, "code",
                                instrument=coin.kind if coin is not None else None))
    return found
