"""The keys of the securities a text mentions, as the mention-rule tests compare them."""

from __future__ import annotations

from tracker.extract.models import RawPost
from tracker.extract.securities import canonical_key
from tracker.ingest.analyze import Analyzer


def keys(analyzer: Analyzer, text: str, title: str | None = None) -> list[str]:
    """The canonical keys of `text`'s mentions (a post with `title`), in order, each once."""
    post = analyzer.analyze(RawPost("test", text, title=title))
    mentions = post.mentions if post is not None else ()
    return list(dict.fromkeys(canonical_key(m.ticker, m.market) for m in mentions))
