"""Check that the packaged language model's DFA forgets its past after WINDOW bytes.

tracker/extract/text/language_batch.py reads the state after each byte as the state the
walk from the start reaches over the (at most) WINDOW bytes that end there. That holds when
any WINDOW bytes lead every state of the DFA to one and the same state. This script checks
it exhaustively over the classes of bytes: it follows, byte class by byte class, the set of
states every state can be in, keeping each distinct set once, until every set is one state.
About 4 s of CPU and 0.3 GB. Run it after scripts/build_langid.py writes a new model.

    .venv/bin/python scripts/check_langid_window.py
"""

from __future__ import annotations

import sys

import numpy as np

from tracker.extract.text.language_batch import WINDOW
from tracker.extract.text.languages import _identifier

# At most about this many elements gathered at once (rows x classes x states), in as many
# rows as fit; the first step's one set of every state (20 million) is a part of its own.
CHUNK = 1 << 21


def _after(block: np.ndarray, nextmove: np.ndarray, rowbase: np.ndarray, width: int,
           found: dict[int, list[np.ndarray]]) -> None:
    """The sets of states each set of `block` (rows of one size, each sorted and distinct)
    reaches on each class of bytes, where more than one state remains: added to `found`,
    by their size, as rows of their sorted distinct states."""
    count, size = block.shape
    classes = np.arange(width, dtype=np.intp)
    step = max(1, CHUNK // (size * width))
    for start in range(0, count, step):
        base = rowbase[block[start:start + step]]
        reached = nextmove[base[:, None, :] + classes[:, None]].reshape(-1, size)
        reached.sort(axis=1)
        first = np.empty(reached.shape, dtype=bool)
        first[:, 0] = True
        np.not_equal(reached[:, 1:], reached[:, :-1], out=first[:, 1:])
        distinct = first.sum(axis=1)
        for d in np.unique(distinct[distinct > 1]):
            rows = distinct == d
            found.setdefault(int(d), []).append(reached[rows][first[rows]].reshape(-1, d))


def steps_to_one_state() -> int:
    """After how many bytes every state of the model's DFA is in the same state, whatever
    the bytes (the smallest such number).

    Each step follows every set still holding more than one state over every class of bytes
    at once, and keeps each distinct set once (the sets of one size as the rows of one
    array): a loop over each set and class in Python, with a np.unique per pair, took 42 s
    of CPU for the 8 million pairs; this one about 4 s."""
    identifier = _identifier()
    width = max(identifier._byte_classes) + 1
    nextmove = np.frombuffer(identifier.tk_nextmove,
                             dtype=f"u{identifier.tk_nextmove.itemsize}").astype(np.int32)
    rowbase = np.array(identifier._rowbase, dtype=np.intp)
    blocks = [np.arange(len(rowbase), dtype=np.int32)[None, :]]
    steps = 0
    while blocks:
        steps += 1
        found: dict[int, list[np.ndarray]] = {}
        for block in blocks:
            _after(block, nextmove, rowbase, width, found)
        blocks = [np.unique(np.concatenate(rows), axis=0) for rows in found.values()]
    return steps


def main() -> int:
    steps = steps_to_one_state()
    print(f"every state reaches one state after {steps} bytes; language_batch.WINDOW is "
          f"{WINDOW}")
    return 0 if steps <= WINDOW else 1


if __name__ == "__main__":
    sys.exit(main())
