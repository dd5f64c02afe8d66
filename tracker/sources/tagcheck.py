"""What a reader says of a post whose security tag names two listings (a doubled counter_id)."""

from __future__ import annotations

import json

from tracker.errors import SourceWarning
from tracker.extract.html import doubled_counter_ids
from tracker.extract.models import RawPost
from tracker.extract.text.plural import counted


def doubled_tag_warning(post: RawPost) -> SourceWarning | None:
    """A warning naming the record when a tag in its text gives `counter_id` more than once
    with different values: the first is read (tracker.extract.html.tag_attrs), and the user
    hears of the others, which a dict kept in silence before (the last, not the first)."""
    if "<" not in post.text:
        return None
    doubled = doubled_counter_ids(post.text)
    if not doubled:
        return None
    values = doubled[0]
    times = "twice" if len(values) == 2 else f"{len(values)} times"
    listed = ", then ".join(json.dumps(v, ensure_ascii=False) for v in values)
    others = len(doubled) - 1
    more = f"; {counted(others, 'more tag')} of this post too" if others else ""
    return SourceWarning(post.source, f"a security tag gives counter_id {times} ({listed}); "
                         f"the first is read, as a browser reads it{more}", post.line)
