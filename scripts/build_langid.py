"""Build tracker/data/langid_latin.npz: py3langid's language model restricted to the Latin
languages tracker tells apart (tracker.extract.text.languages.LATIN_LANGS).

py3langid ships its model as one LZMA archive of all its languages; unpacking it took 0.5-1 s
of each process's start-up and 100 MB at its peak. The restricted arrays are the ones
`set_languages(LATIN_LANGS)` leaves in the identifier, so language ID gives the same answers;
tests/extract/text/test_languages.py fails when the packaged file no longer equals them (a new
py3langid), and this script rewrites it. The data is py3langid's (BSD licence).

    .venv/bin/python scripts/build_langid.py            # rewrite the file
    .venv/bin/python scripts/build_langid.py --check    # exit 1 if it is stale
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from tracker.extract.text.languages import latin_model_arrays, latin_model_path


def is_current() -> bool:
    """Whether the packaged file holds exactly the arrays py3langid's model gives now."""
    path = latin_model_path()
    if not path.exists():
        return False
    want = latin_model_arrays()
    with np.load(path, allow_pickle=False) as have:
        return set(have.files) == set(want) and all(
            have[k].dtype == want[k].dtype
            and have[k].flags.f_contiguous == want[k].flags.f_contiguous
            and np.array_equal(have[k], want[k]) for k in want)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is stale")
    args = parser.parse_args()
    if args.check:
        current = is_current()
        print("current" if current else f"stale: run {sys.argv[0]}")
        return 0 if current else 1
    path = latin_model_path()
    # Compressed with zlib, which unpacks several times faster than the LZMA it replaces.
    np.savez_compressed(path, **latin_model_arrays())
    print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
