"""Tone against a real-post gold set: for each gold mention, the label tracker gives that
security in that post, counted against the labeller's.

Where tracker found the security, its label is the one the reports would use: the mean
tone of its mentions in the post. Where tracker found no mention of it, the security is
scored where the post names it (the labeller's `surface`, else its ticker or names) within
its sentence, as `tracker eval` scores a line's `target`; such mentions are counted apart
("targeted"), so a tone figure never hides a missed mention. A found mention left without a
tone (its sentence
in a language no scorer reads) counts as neutral, which is what a report shows for it, and
is counted as "unscored".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tracker.extract.models import Post
from tracker.extract.securities import canonical_key
from tracker.extract.text.sentences import split_sentences
from tracker.sentiment.base import label_for
from tracker.sentiment.metrics import SHORT, tone_metrics
from tracker.sentiment.target import target_span, target_tone
from tracker.sources.gold import GoldMention, GoldPost

if TYPE_CHECKING:
    from tracker.config import SentimentConfig

# How a gold mention's predicted label came about.
FOUND, TARGETED, WHOLE_TEXT, UNSCORED = "found", "targeted", "whole_text", "unscored"


def mention_tone(gold: GoldPost, mention: GoldMention, post: Post | None,
                 settings: SentimentConfig) -> tuple[float | None, str]:
    """Tracker's tone toward `mention`'s security in `post` (gold's post as analysed), and
    how it was found: FOUND, UNSCORED, TARGETED or WHOLE_TEXT (no place in the text named
    it, so the whole post was scored)."""
    tones = [m.tone for m in post.mentions if canonical_key(m.ticker, m.market) == mention.key
             ] if post is not None else []
    if tones:
        scored = [t for t in tones if t is not None]
        if not scored:
            return None, UNSCORED
        return sum(scored) / len(scored), FOUND
    # The analysed text (cleaned, title first) is where tracker reads; the raw text if
    # cleaning left nothing.
    text = post.text if post is not None else gold.text
    span = target_span(text, mention.key, mention.surface)
    if span is None:
        return target_tone(text, None, gold.lang, settings), WHOLE_TEXT
    # Scored within its sentence, as the pipeline scores a mention it found.
    for a, b in split_sentences(text, protect=[span]):
        if a <= span[0] and span[1] <= b:
            text, span = text[a:b], (span[0] - a, span[1] - a)
            break
    return target_tone(text, span, gold.lang, settings), TARGETED


@dataclass
class ToneTally:
    """(gold, predicted) label pairs over some gold mentions, and how each was predicted."""

    pairs: list[tuple[str, str]] = field(default_factory=list)
    how: dict[str, int] = field(default_factory=lambda: dict.fromkeys(
        (FOUND, TARGETED, WHOLE_TEXT, UNSCORED), 0))

    def add(self, gold_tone: str, tone: float | None, how: str,
            settings: SentimentConfig) -> None:
        self.pairs.append((gold_tone, SHORT[label_for(tone, settings) or "neutral"]))
        self.how[how] += 1

    def summary(self) -> dict[str, Any]:
        """tone_metrics over the pairs, with the counts of how labels were found."""
        # Whole-text fallbacks are targeted ones too: tracker missed the mention either way.
        return {**tone_metrics(self.pairs), "targeted": self.how[TARGETED] + self.how[WHOLE_TEXT],
                "whole_text": self.how[WHOLE_TEXT], "unscored": self.how[UNSCORED]}
