"""Finance lexicons: reading the packaged term lists and a user's additions to them."""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path

from tracker.errors import ConfigError

log = logging.getLogger(__name__)

PACKAGED = {"en": "en_finance.tsv", "zh": "zh_finance.tsv"}


def parse_lexicon(text: str, where: str) -> dict[str, float]:
    """Parse `term<TAB>valence` lines; `#` starts a comment line; `where` names the file."""
    terms: dict[str, float] = {}
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        term, sep, value = raw.rstrip("\r\n").rpartition("\t")
        if not sep:
            # Hand-edited files lose tabs; the valence is then the last space-separated field.
            term, sep, value = line.rpartition(" ")
        try:
            valence = float(value)
        except ValueError:
            valence = float("nan")
        if not sep or not term.strip() or not -4.0 <= valence <= 4.0:
            raise ConfigError(
                f"{where}:{lineno}: expected 'term<TAB>valence' with valence in [-4, 4], "
                f"got {raw!r}"
            )
        terms[" ".join(term.strip().lower().split())] = valence
    return terms


def load_lexicon(lang: str, extra: Path | None = None) -> dict[str, float]:
    """The packaged lexicon for `lang`, with the terms of a user's `extra` file on top."""
    name = PACKAGED[lang]
    text = resources.files("tracker.data").joinpath("sentiment", name).read_text("utf-8")
    terms = parse_lexicon(text, f"tracker/data/sentiment/{name}")
    if extra is not None:
        try:
            user_text = extra.read_text("utf-8-sig")
        except OSError as exc:
            raise ConfigError(f"{extra}: cannot read lexicon file: {exc.strerror}") from exc
        added = parse_lexicon(user_text, str(extra))
        log.debug("%s: %d lexicon terms added or overridden", extra, len(added))
        terms.update(added)
    return terms
