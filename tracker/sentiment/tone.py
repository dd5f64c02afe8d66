"""Tone of a post and of each mention in it, from its sentences; shared by ingest and rescore.

Scoring is planned first and run after: each post registers the texts it needs scored
(its sentences, and the clauses of mentions that are not their whole sentence) with a
ToneBatch, the batch scores them in one `score_many` call per language, and only then are
the tones read back. One batch may serve many posts: the scorers then run over a long run
of texts of one language at a time, which keeps their vocabularies in the CPU's caches
(about a fifth less scoring time than scoring post by post). Every text is scored on its
own, and a text that two posts of one batch share is scored once for both (each scorer's
tone is a function of the text alone); nothing carries over from one batch to the next.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING

from tracker.extract.text.sentences import detect_lang
from tracker.sentiment import get_scorer, is_bare
from tracker.sentiment.clauses import SentenceClauses, company_marks, list_contexts, one_clause

if TYPE_CHECKING:
    from tracker.config import SentimentConfig

Span = tuple[int, int]
# Where a tone will be found once the batch is scored: (language, index among that
# language's texts), or None for a text in a language no scorer reads. Tones that a rule
# sets rather than a scorer (rivalry) sit under the pseudo-language FIXED.
ToneRef = tuple[str, int] | None
FIXED = "fixed"


class ToneBatch:
    """Texts to score, from one post or many, scored together per language."""

    def __init__(self, settings: SentimentConfig) -> None:
        self.settings = settings
        self._texts: dict[str, list[str]] = {}
        # Each registered text's index, per language and genre: a repeated text (a repost,
        # a templated line) is scored once. 48% of the texts of the synthetic benchmark's
        # chunks repeat one before them, 0.5% of StockTwits 2022's, 2% of 雪球 2021's.
        self._where: dict[str, dict[str, int]] = {}
        self._fixed: list[float] = []
        self._tones: dict[str, list[float]] | None = None
        # Whether a scorer reads each language, asked of get_scorer once per batch: asked
        # at every text, it cost 3 us a text (its lru_cache hashes the lexicon paths).
        self._read: dict[str, bool] = {}

    def add(self, lang: str, text: str, genre: str = "social") -> ToneRef:
        """Register `text` of a `genre` post for scoring; None when no scorer reads `lang`."""
        if self._tones is not None:
            raise RuntimeError("this batch is already scored")
        read = self._read.get(lang)
        if read is None:
            read = self._read[lang] = get_scorer(lang, self.settings) is not None
        if not read:
            return None
        key = lang if genre == "social" else f"{lang}/{genre}"
        where = self._where.setdefault(key, {})
        at = where.get(text)
        if at is None:
            texts = self._texts.setdefault(key, [])
            at = where[text] = len(texts)
            texts.append(text)
        return key, at

    def fixed(self, tone: float) -> ToneRef:
        """A tone set by a rule, read back like a scored one."""
        if self._tones is not None:
            raise RuntimeError("this batch is already scored")
        self._fixed.append(tone)
        return FIXED, len(self._fixed) - 1

    def score(self) -> None:
        """Score every registered text: one score_many call per language and genre."""
        tones: dict[str, list[float]] = {FIXED: self._fixed}
        for key, texts in self._texts.items():
            lang, _, genre = key.partition("/")
            scorer = get_scorer(lang, self.settings, genre or "social")
            assert scorer is not None  # add() registered only scored languages
            tones[key] = list(scorer.score_many(texts))
        self._tones = tones

    def text(self, ref: ToneRef) -> str | None:
        """The text registered under `ref`; None for a tone a rule set, or no ref."""
        if ref is None or ref[0] == FIXED:
            return None
        return self._texts[ref[0]][ref[1]]

    def tone(self, ref: ToneRef) -> float | None:
        if ref is None:
            return None
        if self._tones is None:
            raise RuntimeError("score the batch before reading tones")
        return self._tones[ref[0]][ref[1]]


class PostTones:
    """A post's sentences, and the clause each mention takes its tone from.

    Most mentions cost no scoring of their own: a clause that is the whole sentence reuses
    the sentence's tone, a bare list item takes the tone of the sentence that speaks for its
    list (found once per post, in linear time), and a clause shared by several mentions of
    the post is scored once. `mentions` are the spans of all the post's mentions: each
    marks a company for the clause rules (clauses.py), so a neighbour's news stays its own.
    `genre` (news or social) picks the head of the tone model that scores the post.

    `keys` (one per span of `mentions`, in its order: which security each names) tell a
    list that closes a post's prose apart from tags: where the prose names securities and
    not this one ("$HIVE is undervalued. $ETH.X $BTC.X", 雪球's cashtags under an essay),
    the item is a tag and takes only its own text's tone. Of 979 such closing-list mentions
    in datasets/real_train, 815 (83%) were labelled neutral; where the prose names none
    ("LONG AND STRONG. $BTC.X $ETH.X") the prose speaks for the list (794 mentions, 70%
    neutral, the rest mostly on the prose's side). Without `keys` every closing list reads
    its prose.
    """

    def __init__(self, body: str, sentences: Sequence[Span], langs: Sequence[str],
                 batch: ToneBatch, mentions: Sequence[Span] = (),
                 genre: str = "social", keys: Sequence[Hashable] | None = None) -> None:
        self.body = body
        self.genre = genre
        self.mentions = sorted(mentions)
        self._keys = dict(zip(mentions, keys, strict=True)) if keys is not None else None
        self._prose_keys: set[Hashable] | None = None
        self._clauses_of: dict[int, SentenceClauses] = {}
        # Per sentence: whether each of its mentions takes the whole sentence's words.
        self._whole: dict[int, bool] = {}
        self.sentences = sentences
        self.langs = langs
        self.batch = batch
        self._refs = [batch.add(lang, body[s:e], genre)
                      for (s, e), lang in zip(sentences, langs, strict=True)]
        self._starts = [s for s, _ in sentences]
        self._bare: dict[int, bool] = {}
        self._contexts: list[int | None] | None = None
        self._clauses: dict[tuple[str, str], ToneRef] = {}

    @property
    def post(self) -> float | None:
        """The post's tone: the mean of its scored sentences (once the batch is scored)."""
        scored = [t for t in map(self.batch.tone, self._refs) if t is not None]
        return sum(scored) / len(scored) if scored else None

    def _is_bare(self, idx: int) -> bool:
        if idx not in self._bare:
            a, b = self.sentences[idx]
            self._bare[idx] = is_bare(self.body[a:b])
        return self._bare[idx]

    def _context(self, idx: int) -> int | None:
        if self._contexts is None:
            bare = [self._is_bare(i) for i in range(len(self.sentences))]
            self._contexts = list_contexts(self.body, self.sentences, bare)
        return self._contexts[idx]

    def _is_tag(self, idx: int, span: Span) -> bool:
        """Whether the mention at `span`, in the bare sentence `idx`, is a tag: the post's
        prose (its sentences that are not bare) names securities, and not this one."""
        if self._keys is None:
            return False
        if self._prose_keys is None:
            self._prose_keys = set()
            for s, e in self.mentions:
                at = bisect_right(self._starts, s) - 1
                if at >= 0 and s < self.sentences[at][1] and not self._is_bare(at):
                    self._prose_keys.add(self._keys[(s, e)])
        return bool(self._prose_keys) and self._keys.get(span) not in self._prose_keys

    def _sentence_clauses(self, idx: int) -> SentenceClauses:
        # The companies named in sentence idx (in its own offsets) and its cuts: found once
        # per sentence, whichever of its mentions asks first.
        found = self._clauses_of.get(idx)
        if found is None:
            a, b = self.sentences[idx]
            lo = bisect_right(self.mentions, (a, -1))
            hi = bisect_right(self.mentions, (b, b))
            own = [(s - a, e - a) for s, e in self.mentions[lo:hi] if e <= b]
            text = self.body[a:b]
            found = self._clauses_of[idx] = SentenceClauses(text, company_marks(text, own))
        return found

    def plan(self, start: int, end: int) -> tuple[Span, str, ToneRef]:
        """The sentence span and language holding [start, end), and where the mention's
        tone will be: call before the batch is scored, read with `batch.tone`."""
        idx = bisect_right(self._starts, start) - 1
        if idx < 0 or start >= self.sentences[idx][1]:
            # Outside every sentence (none should be): the mention stands as its own.
            text = self.body[start:end]
            lang = detect_lang(text)
            return (start, end), lang, self.batch.add(lang, text, self.genre)
        span, lang = self.sentences[idx], self.langs[idx]
        if self._is_bare(idx):
            ctx = self._context(idx)
            # A list closing the prose (its context before it) may be tags: see the class.
            if (ctx is not None and self._refs[ctx] is not None
                    and not (ctx < idx and self._is_tag(idx, (start, end)))):
                return span, lang, self._refs[ctx]
        whole = self._whole.get(idx)
        if whole is None:
            a, b = span
            text = self.body[a:b]
            # A sentence the rules leave whole (clauses.one_clause), its ends stripped as the
            # rules strip a clause: the mention's words are the sentence's own text, so its
            # tone is the sentence's, and no company marks or cuts need finding.
            whole = self._whole[idx] = len(text.strip()) == len(text) and one_clause(text)
        if whole:
            return span, lang, self._refs[idx]
        clauses = self._sentence_clauses(idx)
        text = clauses.sentence
        words = clauses.words(start - span[0], end - span[0])
        if words.fixed is not None and self._refs[idx] is not None:
            return span, lang, self.batch.fixed(words.fixed)
        clause = words.text
        if clause == text:
            return span, lang, self._refs[idx]
        key = (lang, clause)
        if key not in self._clauses:
            self._clauses[key] = self.batch.add(lang, clause, self.genre)
        return span, lang, self._clauses[key]


def post_and_mention_tones(body: str, sentences: Sequence[Span], langs: Sequence[str],
                           mentions: Sequence[Span], settings: SentimentConfig,
                           genre: str = "social", keys: Sequence[Hashable] | None = None,
                           ) -> tuple[float | None, list[float | None]]:
    """The tone of one post (of `genre`) and of each mention span in it, scored on their
    own; `keys` name the security of each span (PostTones)."""
    batch = ToneBatch(settings)
    tones = PostTones(body, sentences, langs, batch, mentions, genre, keys)
    refs = [tones.plan(start, end)[2] for start, end in mentions]
    batch.score()
    return tones.post, [batch.tone(ref) for ref in refs]
