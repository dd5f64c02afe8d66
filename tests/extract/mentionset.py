"""Score mention extraction against a labelled set (for the floors of test_mention_eval.py):
precision and recall per language and kind.

A labelled set is a UTF-8 TSV with a header `securities<TAB>title<TAB>text`: per post, the
canonical keys (`TSLA`, `600036.SS`, `0700.HK`, `BTC.X`) of every security a reader sees in
it, comma-separated, empty for none. A post's found keys are compared with its true keys as
sets, so a security named three times counts once either way.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tracker.errors import TrackerError
from tracker.extract.models import RawPost
from tracker.extract.securities import SecurityList, canonical_key, parse_key
from tracker.ingest.analyze import Analyzer

UNKNOWN_KIND = "unknown"


class LabelledSetError(TrackerError):
    """A labelled mention set that cannot be read."""


@dataclass(frozen=True)
class LabelledPost:
    """One post of a labelled set and the keys of the securities it names."""

    text: str
    title: str | None
    keys: frozenset[str]
    line: int


@dataclass
class Score:
    """Counts of (post, security) pairs: found and true, found only, true only."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[tuple[int, str, str]] = field(default_factory=list)  # (line, key, "fp"/"fn")

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def read_labelled(path: Path) -> list[LabelledPost]:
    """The posts of a labelled set (format in the module docstring)."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LabelledSetError(f"{path}: cannot read the labelled set: {exc}") from exc
    reader = csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader, None)
    if header != ["securities", "title", "text"]:
        raise LabelledSetError(f"{path}: header must be securities, title, text (tab-separated)")
    posts = []
    for line, row in enumerate(reader, start=2):
        if not row:
            continue
        if len(row) != 3 or not row[2].strip():
            raise LabelledSetError(f"{path}:{line}: expected three tab-separated fields "
                                   "and a text")
        keys = frozenset(canonical_key(*parse_key(k)) for k in row[0].split(",") if k.strip())
        posts.append(LabelledPost(row[2], row[1] or None, keys, line))
    return posts


def _kind(securities: SecurityList, key: str) -> str:
    sec = securities.by_key(key)
    return sec.kind if sec is not None else UNKNOWN_KIND


def score_mentions(posts: Iterable[LabelledPost], analyzer: Analyzer) -> dict[str, Score]:
    """Scores over `posts`: under "all", and under each instrument kind."""
    scores: dict[str, Score] = {"all": Score()}
    secs = analyzer.securities
    for post in posts:
        parsed = analyzer.analyze(RawPost("labelled", post.text, line=post.line,
                                          title=post.title))
        found: dict[str, str] = {}
        for m in parsed.mentions if parsed is not None else ():
            found.setdefault(canonical_key(m.ticker, m.market), m.instrument or UNKNOWN_KIND)
        for key, kind in found.items():
            outcome = "tp" if key in post.keys else "fp"
            _count(scores, kind, outcome, post.line, key)
        for key in post.keys - found.keys():
            _count(scores, _kind(secs, key), "fn", post.line, key)
    return scores


def _count(scores: dict[str, Score], kind: str, outcome: str, line: int, key: str) -> None:
    for name in ("all", kind):
        score = scores.setdefault(name, Score())
        setattr(score, outcome, getattr(score, outcome) + 1)
        if outcome != "tp" and name == "all":
            score.misses.append((line, key, outcome))


def format_scores(scores: dict[str, Score]) -> str:
    """A plain table: one line per kind with precision, recall and the counts."""
    lines = [f"{'kind':<10} {'precision':>9} {'recall':>7} {'tp':>5} {'fp':>4} {'fn':>4}"]
    for name in ["all", *sorted(k for k in scores if k != "all")]:
        s = scores[name]
        lines.append(f"{name:<10} {s.precision:>9.3f} {s.recall:>7.3f} {s.tp:>5} {s.fp:>4} "
                     f"{s.fn:>4}")
    return "\n".join(lines)
