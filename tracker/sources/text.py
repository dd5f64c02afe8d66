"""Readers for whole-file posts: .txt, .md, .html and .htm hold one post each."""

from __future__ import annotations

from collections.abc import Iterator

from tracker.extract.models import RawPost


def read_text_post(text: str, source: str, mtime: float | None, *, html: bool) -> Iterator[RawPost]:
    """One post from a file's whole text; an empty file yields nothing."""
    if text.strip():
        yield RawPost(source=source, text=text, file_mtime=mtime, is_html=html)
