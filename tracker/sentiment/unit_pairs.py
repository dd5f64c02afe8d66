"""The vocabulary rows of many texts' unigrams and bigrams at once, through unit ids.

A family pair (n = 1 and n = 2 over the same units, as the Chinese model's words and
characters are) is looked up by giving each unit of the vocabulary an id: a text's units
become ids in one dict lookup each (in C, by `map`), and the rows of all their unigrams and
bigrams come from numpy over a whole batch (a table per id, and the pairs' keys sorted and
searched). The n-gram trees (features.NgramIndex) took three dict lookups per unit, in a
call per text: a fifth of the scoring of a 雪球 post.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from itertools import repeat

import numpy as np

# A PairIndex's contents in marshal's types (the user cache's): the unit ids, then each
# unit id's unigram row, the pair keys sorted and their rows, as 8-byte integers.
PairTables = tuple[dict[str, int], bytes, bytes, bytes]


class PairIndex:
    """The rows of a family pair's n-grams: `rows(ids, seqs)` finds, over units given as ids
    (`ids`), the same rows as NgramIndex.indexes finds over the units, for units that are
    never empty (an empty unit is no n-gram a tree reaches by path)."""

    def __init__(self, unigrams: Mapping[str, int],
                 bigrams: Mapping[str, Mapping[str, int]]) -> None:
        # Every unit either family holds, unigram or either half of a bigram (a bigram
        # tree holds each reading of a bigram as two non-empty units: features._tree).
        ids: dict[str, int] = {}
        for unit in unigrams:
            ids.setdefault(unit, len(ids))
        for first, seconds in bigrams.items():
            ids.setdefault(first, len(ids))
            for second in seconds:
                ids.setdefault(second, len(ids))
        self._ids = ids
        self._chars: np.ndarray | None = None
        # A unit the vocabulary does not hold gets the id after the last, whose unigram row
        # is -1 and which no pair key holds.
        self._unknown = len(ids)
        self._width = len(ids) + 1
        self._unigram = np.full(self._width, -1, dtype=np.int64)
        for unit, row in unigrams.items():
            self._unigram[ids[unit]] = row
        keys = [ids[first] * self._width + ids[second]
                for first, seconds in bigrams.items() for second in seconds]
        rows = [row for seconds in bigrams.values() for row in seconds.values()]
        order = np.argsort(np.array(keys, dtype=np.int64), kind="stable")
        self._pair_keys = np.array(keys, dtype=np.int64)[order]
        self._pair_rows = np.array(rows, dtype=np.int64)[order]

    def tables(self) -> PairTables:
        """What `from_tables` makes this index again from, without the trees."""
        return (self._ids, self._unigram.astype(np.int64).tobytes(), self._pair_keys.tobytes(),
                self._pair_rows.tobytes())

    @classmethod
    def from_tables(cls, tables: PairTables) -> PairIndex:
        """The index whose `tables()` are `tables` (the arrays read in place, not copied)."""
        index = cls.__new__(cls)
        ids, unigram, keys, rows = tables
        index._ids = ids
        index._chars = None
        index._unknown = len(ids)
        index._width = len(ids) + 1
        index._unigram = np.frombuffer(unigram, dtype=np.int64)
        index._pair_keys = np.frombuffer(keys, dtype=np.int64)
        index._pair_rows = np.frombuffer(rows, dtype=np.int64)
        return index

    def ids(self, units: Iterable[str]) -> Iterator[int]:
        """Each unit's id (the unknown id for a unit the vocabulary does not hold)."""
        return map(self._ids.get, units, repeat(self._unknown))  # type: ignore[arg-type]

    def char_ids(self, text: str) -> np.ndarray:
        """`ids(text)` as an array: the id of each character of `text`, a unit each.

        Why: a batch's character sequences, joined, are looked up in one numpy gather by
        their code points, where `ids` made a one-character string and a dict lookup per
        character in Python (55 us of a 雪球 post's 700 characters). A lone surrogate is its
        own code point, as it is its own character in the dict."""
        points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        table = self._char_table()
        return table.take(np.minimum(points, len(table) - 1))

    def _char_table(self) -> np.ndarray:
        # The id of each code point up to the last one-character unit's, then the unknown
        # id (for every code point past it): made on first use. The Chinese model's units
        # end at U+FF5E, so 256 KiB; a gather in it took 1/150 of a binary search's time
        # (np.searchsorted over unsorted code points).
        if self._chars is None:
            single = {ord(unit): at for unit, at in self._ids.items() if len(unit) == 1}
            table = np.full(max(single, default=-1) + 2, self._unknown, dtype=np.int32)
            table[list(single)] = list(single.values())
            self._chars = table
        return self._chars

    def rows(self, ids: np.ndarray, seqs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(where, row) of each known n-gram of the units `ids`, given one sequence after
        another with each unit's sequence number in `seqs`: the unigrams' rows, then the
        bigrams' (a bigram is two neighbouring units of one sequence), each with the
        position in `ids` of its first unit. The same rows as the trees', in another order."""
        unigram = self._unigram.take(ids)
        at_uni = np.flatnonzero(unigram >= 0)
        if len(ids) < 2 or not len(self._pair_keys):
            return at_uni, unigram[at_uni]
        # Only neighbours of one sequence make a bigram; their keys are searched in sorted
        # order. numpy's binary search starts each needle where the one before it ended when
        # needles come in order, so sorted needles cost fewer steps and cache misses than a
        # text's own order: sort and search took 0.62 of the plain search's time over the
        # bigrams of 1,000 雪球 posts (docs/performance.md, twentieth pass).
        at = np.flatnonzero(seqs[:-1] == seqs[1:])
        keys = ids.take(at) * self._width + ids.take(at + 1)
        order = np.argsort(keys)
        keys = keys.take(order)
        found = np.searchsorted(self._pair_keys, keys)
        np.minimum(found, len(self._pair_keys) - 1, out=found)
        hit = np.flatnonzero(self._pair_keys.take(found) == keys)
        return (np.concatenate((at_uni, at.take(order.take(hit)))),
                np.concatenate((unigram[at_uni], self._pair_rows.take(found.take(hit)))))
