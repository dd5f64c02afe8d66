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
        added = read_user_lexicon(extra)
        log.debug("%s: %d lexicon terms added or overridden", extra, len(added))
        terms.update(added)
    return terms


def read_user_lexicon(path: Path) -> dict[str, float]:
    """A user's lexicon file, or a ConfigError naming the file (and line) that is wrong.

    load_config reads it too, so a bad file stops a run at start-up, before any post.
    """
    try:
        text = path.read_text("utf-8-sig")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read lexicon file: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: lexicon file is not UTF-8 (bad byte at {exc.start})"
                          ) from exc
    return parse_lexicon(text, str(path))
