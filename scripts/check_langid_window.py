"""Check that the packaged language model's DFA forgets its past after WINDOW bytes.

tracker/extract/text/language_batch.py reads the state after each byte as the state the
walk from the start reaches over the (at most) WINDOW bytes that end there. That holds when
any WINDOW bytes lead every state of the DFA to one and the same state. This script checks
it exhaustively over the classes of bytes: it follows, byte class by byte class, the set of
states every state can be in, keeping each distinct set once, until every set is one state.
About 30 s and 0.3 GB. Run it after scripts/build_langid.py writes a new model.

    .venv/bin/python scripts/check_langid_window.py
"""

from __future__ import annotations

import sys

import numpy as np

from tracker.extract.text.language_batch import WINDOW
from tracker.extract.text.languages import _identifier


def steps_to_one_state() -> int:
    """After how many bytes every state of the model's DFA is in the same state, whatever
    the bytes (the smallest such number)."""
    identifier = _identifier()
    width = max(identifier._byte_classes) + 1
    nextmove = np.frombuffer(identifier.tk_nextmove,
                             dtype=f"u{identifier.tk_nextmove.itemsize}").astype(np.intp)
    rowbase = np.array(identifier._rowbase, dtype=np.intp)
    sets = [np.arange(len(rowbase))]
    steps = 0
    while sets:
        steps += 1
        seen: set[bytes] = set()
        after = []
        for states in sets:
            base = rowbase[states]
            for klass in range(width):
                reached = np.unique(nextmove[base + klass])
                if len(reached) > 1 and reached.tobytes() not in seen:
                    seen.add(reached.tobytes())
                    after.append(reached)
        sets = after
    return steps


def main() -> int:
    steps = steps_to_one_state()
    print(f"every state reaches one state after {steps} bytes; language_batch.WINDOW is "
          f"{WINDOW}")
    return 0 if steps <= WINDOW else 1


if __name__ == "__main__":
    sys.exit(main())
