"""Text as its UTF-32 code units, one character a byte, for pyahocorasick's automata.

pyahocorasick's trie over characters keeps each node's children in a list it searches one
by one: with thousands of Chinese names, a node near the root has thousands of children,
and a walk over Chinese text cost 150-200 ns a character. Over the text's UTF-32 bytes a
node has at most 256 children and the same names are found 2-6 times faster. A name is
four bytes a character, so a match is one of the text's only where it ends on a
character's last byte (`(last + 1) % 4 == 0`); it then starts on a first byte too.
"""

from __future__ import annotations


def utf32(text: str, errors: str = "strict") -> str:
    """`text` as its UTF-32 bytes, each byte one character: four per character of `text`.
    `errors="surrogatepass"` lets a lone surrogate (JSON allows them) through as its own
    four bytes, which no name holds."""
    return text.encode("utf-32-be", errors).decode("latin-1")
