"""Readers for whole-file posts: .txt, .md, .html and .htm hold one post each."""

from __future__ import annotations

from collections.abc import Iterator

from tracker.errors import SourceWarning
from tracker.extract.models import RawPost
from tracker.sources.tagcheck import doubled_tag_warning


def read_text_post(text: str, source: str, mtime: float | None, *, html: bool
                   ) -> Iterator[RawPost | SourceWarning]:
    """One post from a file's whole text, and a warning when a tag in it names two
    listings; an empty file yields nothing."""
    if text.strip():
        post = RawPost(source=source, text=text, file_mtime=mtime, is_html=html)
        doubled = doubled_tag_warning(post)
        if doubled is not None:
            yield doubled
        yield post
