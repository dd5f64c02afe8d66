"""Rivalry: "NBIS will eat CRWV's backlog" is good news for one company and bad for the other.

A clause where one company beats, replaces or shames another takes a side for each of them,
whatever the words' own tone: "puts every rocket company to shame" is praise of its subject,
though "shame" is a negative word. The subject (a company named just before the rivalry
verb) wins; a company named as its object loses; a passive ("was crushed by", "被取代")
turns the sides round. A negation between the subject and the
verb ("won't eat", "不会取代") leaves the clause to the scorer.
"""

from __future__ import annotations

from collections.abc import Sequence

from tracker.extract.text.lazy_pattern import lazy_pattern
from tracker.extract.text.wordgate import may_hold

Span = tuple[int, int]

# The tone a side of a rivalry takes: a clear side, well past the default cut (0.25).
RIVAL_TONE = 0.6

# Eating or stealing counts when what is taken is someone else's: "eat CRWV's backlog",
# "steal their customers", not "ate a burrito for lunch".
_TAKEN = (r"(?:into\s+)?(?:\S+['’]s?|their|his|her|its|your)\s+(?:\S+\s+){0,2}?"
          r"(?:lunch|backlog|market\s+share|share|customers|business|orders)")
_RIVAL_ZH = "吊打|碾压|完爆|秒杀|干翻|干掉|抢走|蚕食|取代|甩开|完胜|击败|打败|超越"
_RIVAL = lazy_pattern(
    r"(?i:\b(?:"
    rf"(?:eat|eats|eating|ate)\s+{_TAKEN}"
    rf"|(?:steal|steals|stealing|stole)\s+{_TAKEN}"
    r"|(?:puts?|putting)\s+[^,;.!?]{1,60}?\s+to\s+shame"
    r"|(?:leaves?|leaving|left)\s+[^,;.!?]{1,60}?\s+in\s+the\s+dust"
    r"|(?:crush|crushes|crushing|crushed|dethrones?|dethroned|dethroning"
    r"|outsells?|outselling|outsold|obliterates?|obliterated)"
    r")\b)"
    rf"|{_RIVAL_ZH}"
)
# Every English rivalry phrase above holds one of these (lowercase): a text with none of
# them and no Chinese verb skips _RIVAL's scan (wordgate.py), which `re` tries at every
# position. tests/extract/text/test_wordgate.py holds them to the pattern.
_RIVAL_STEMS = ("eat", "ate", "steal", "stole", "put", "leav", "left", "crush", "dethron",
                "outs", "obliterat")
_RIVAL_ZH_VERB = lazy_pattern(_RIVAL_ZH)
_NEGATION = lazy_pattern(
    r"(?i:\b(?:not|never|no|won't|wont|can't|cant|cannot|don't|doesn't|isn't|ain't|unlikely"
    r"|neither|nor)\b)|不|没|别|难以|无法|未必|未")
# A passive turns the sides round: "NVDA was crushed by AMD", "英伟达被取代". In English,
# a form of be or get before a participle ("is crushing" is no passive).
_BE = lazy_pattern(r"(?i:\b(?:was|were|is|are|been|being|be|get|gets|got|getting)\s*$)")
_PARTICIPLE = lazy_pattern(r"(?i:crushed|dethroned|outsold|obliterated|left|put)\b")
_BEI = lazy_pattern(r"\s*被\s*")
# How far before the verb the subject may stand: "$HQ now that's a rocket that puts ...".
_SUBJECT_REACH = 48
# How far after the verb phrase its object may stand: "crushes $AMD".
_OBJECT_REACH = 24


def _may_hold_rivalry(text: str) -> bool:
    # False when `text` holds no stem of an English rivalry phrase and no Chinese verb.
    return _RIVAL_ZH_VERB.search(text) is not None or may_hold(text, _RIVAL_STEMS)


def holds_rivalry(text: str) -> bool:
    """Whether a rivalry phrase stands anywhere in `text`: where none does, `rivalry_side`
    gives every mention of it 0, whatever companies it names."""
    return _may_hold_rivalry(text) and _RIVAL.search(text) is not None


def rivalry_side(text: str, start: int, end: int, marks: Sequence[Span]) -> int:
    """+1 when the mention at [start, end) of `text` beats another company in a rivalry
    phrase, -1 when it is the one beaten, 0 otherwise.

    `marks` are the spans of every company named in `text` (the mention's own included),
    in order; `text` is the mention's clause, so subject and object share it.
    """
    if not _may_hold_rivalry(text):
        return 0
    for verb in _RIVAL.finditer(text):
        before = [m for m in marks if m[1] <= verb.start()]
        if not before:
            continue
        subject = before[-1]
        gap = text[subject[1]:verb.start()]
        if len(gap) > _SUBJECT_REACH or _NEGATION.search(gap):
            continue
        passive = "被" in gap or bool(_BE.search(gap) and _PARTICIPLE.match(verb.group()))
        sign = -1 if passive else 1
        if subject[0] <= start and end <= subject[1]:
            return sign
        # "卓胜微被韦尔股份取代": the company before 被 is the one replaced.
        if len(before) > 1 and _BEI.fullmatch(text, before[-2][1], subject[0]):
            patient = before[-2]
            if patient[0] <= start and end <= patient[1]:
                return -1
        objects = [m for m in marks
                   if verb.start() <= m[0] and m[0] <= verb.end() + _OBJECT_REACH]
        if objects and objects[0][0] <= start and end <= objects[0][1]:
            return -sign
    return 0
