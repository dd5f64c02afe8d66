"""Recompute stored tones after a lexicon, model or threshold change, from the stored text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import OperationalError

from tracker.config import Config
from tracker.errors import StoreError
from tracker.extract.text.sentences import detect_lang, split_sentences
from tracker.sentiment import label_for
from tracker.sentiment.genre import detect_genre
from tracker.sentiment.tone import post_and_mention_tones
from tracker.store.database import Store, explain, mentions, posts


@dataclass(frozen=True)
class RescoreResult:
    """How many posts and mentions were rescored, and how many mention labels changed."""

    posts: int
    mentions: int
    labels_changed: int


def _rescore_post(text: str, spans: list[tuple[int, int]], keys: list[tuple[str, str | None]],
                  cfg: Config, genre: str) -> tuple[float | None, list[float | None]]:
    # The same sentence split and languages as at ingest (a post naming a security is a
    # finance post there), and the same keys for the tags of a closing list.
    sentences = split_sentences(text, protect=spans)
    langs = [detect_lang(text[s:e], finance=bool(spans)) for s, e in sentences]
    return post_and_mention_tones(text, sentences, langs, spans, cfg.sentiment, genre, keys)


def _genre(source: str, text: str, lang: str, stored: str | None, cfg: Config) -> str:
    """The genre to rescore a stored post as: the config's declaration for its source, else
    the genre stored at ingest (which knew whether it was an HTML page), else the detector's
    reading of its text (a post stored before genres were kept)."""
    return cfg.input.declared_genre(source) or stored or detect_genre(text, lang)


def rescore(store: Store, cfg: Config,
            progress: Callable[[int], None] | None = None) -> RescoreResult:
    """Rescore every stored post and mention, one transaction per batch of posts.

    Source files are not read again: the stored cleaned text and mention offsets are enough.
    A database that cannot be written (read-only, locked, a full disk) raises StoreError;
    the batches committed before keep their new tones.
    """
    try:
        return _rescore(store, cfg, progress)
    except OperationalError as exc:
        # Was a traceback from SQLAlchemy, where ingest says the same in one line.
        raise StoreError(explain(store.url, exc)) from exc


def _rescore(store: Store, cfg: Config,
             progress: Callable[[int], None] | None) -> RescoreResult:
    n_posts = n_mentions = changed = 0
    last_id = ""
    while True:
        with store.engine.begin() as conn:
            batch = conn.execute(
                select(posts.c.id, posts.c.text, posts.c.source, posts.c.lang, posts.c.genre)
                .where(posts.c.id > last_id)
                .order_by(posts.c.id).limit(cfg.refresh.batch_size)).all()
            if not batch:
                break
            last_id = batch[-1].id
            ids = [row.id for row in batch]
            rows = conn.execute(
                select(mentions.c.id, mentions.c.post_id, mentions.c.start_offset,
                       mentions.c.end_offset, mentions.c.label, mentions.c.ticker,
                       mentions.c.market)
                .where(mentions.c.post_id.in_(ids)).order_by(mentions.c.id)).all()
            by_post: dict[str, list[Any]] = {}
            for row in rows:
                by_post.setdefault(row.post_id, []).append(row)
            post_updates, mention_updates = [], []
            for post in batch:
                found = by_post.get(post.id, [])
                genre = _genre(post.source, post.text, post.lang, post.genre, cfg)
                tone, tones = _rescore_post(
                    post.text, [(m.start_offset, m.end_offset) for m in found],
                    [(m.ticker, m.market) for m in found], cfg, genre)
                post_updates.append({"pid": post.id, "tone": tone, "genre": genre})
                for m, m_tone in zip(found, tones, strict=True):
                    label = label_for(m_tone, cfg.sentiment)
                    changed += label != m.label
                    mention_updates.append({"mid": m.id, "tone": m_tone, "label": label})
            conn.execute(update(posts).where(posts.c.id == bindparam("pid"))
                         .values(tone=bindparam("tone"), genre=bindparam("genre")),
                         post_updates)
            if mention_updates:
                conn.execute(update(mentions).where(mentions.c.id == bindparam("mid"))
                             .values(tone=bindparam("tone"), label=bindparam("label")),
                             mention_updates)
        n_posts += len(batch)
        n_mentions += len(mention_updates)
        if progress is not None:
            progress(len(batch))
    return RescoreResult(n_posts, n_mentions, changed)
