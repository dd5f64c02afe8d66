"""Training rows from hand-labelled real posts: for each labelled mention, the text the
scorer reads for it (its clause, or the prose a bare list item takes its tone from) and the
labeller's tone toward it.

The rows go through the same plan as ingest (tone.PostTones), so the model learns from the
very texts it will score; a mention whose tone a clause rule sets (rivalry) gives no row,
since no scorer reads it. The gold sets (datasets/gold/) are never read here: these rows
come from other posts of the same files (datasets/real_train/, docs/labelling.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from tracker.extract.text.sentences import detect_lang, split_sentences
from tracker.sentiment.target import target_span
from tracker.sentiment.tone import PostTones, ToneBatch
from tracker.sources.gold import GoldPost

if TYPE_CHECKING:
    from tracker.config import SentimentConfig

def mention_rows(post: GoldPost, settings: SentimentConfig) -> Iterator[tuple[str, str, str]]:
    """(key, text the scorer reads, label) for each of `post`'s mentions that the scorer of
    the post's language reads; a mention whose place in the text is not found gives none."""
    spans = {m.key: target_span(post.text, m.key, m.surface) for m in post.mentions}
    located = sorted((s, k) for k, s in spans.items() if s is not None)
    if not located:
        return
    found = [s for s, _ in located]
    sentences = split_sentences(post.text, protect=found)
    langs = [detect_lang(post.text[a:b], finance=True) for a, b in sentences]
    batch = ToneBatch(settings)
    tones = PostTones(post.text, sentences, langs, batch, found,
                      keys=[k for _, k in located])
    for mention in post.mentions:
        span = spans[mention.key]
        if span is None:
            continue
        _, lang, ref = tones.plan(*span)
        text = batch.text(ref)
        if lang == post.lang and text is not None and text.strip():
            yield mention.key, text, mention.tone
