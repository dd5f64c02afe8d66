"""One raw post in, one parsed and scored post out: clean, extract mentions, score tone."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import NamedTuple

from tracker.config import Config, load_config
from tracker.extract.cashtags import CashtagHit, find_cashtags, unlisted_tag
from tracker.extract.chrome import strip_chrome
from tracker.extract.coin_brackets import find_bracketed_coins
from tracker.extract.commodities import find_commodities
from tracker.extract.dates import find_date, parse_date_field
from tracker.extract.exchange_codes import US_MARKET, as_named_listing
from tracker.extract.groups import find_sections, group_of
from tracker.extract.history import DayResolver, listed_after, packaged_history, written_key
from tracker.extract.html import TagSpan, looks_like_html, read_html
from tracker.extract.index_quotes import find_index_quotes
from tracker.extract.models import PYTHON_SOURCE, Mention, Post, RawPost
from tracker.extract.name_rules import STOP_TICKERS
from tracker.extract.names import CONF_BARE_TICKER, NameHit, get_matcher
from tracker.extract.passages import passage_key
from tracker.extract.phrases import code_after_name, drop_names_beside_codes
from tracker.extract.securities import Security, SecurityList, securities_from_config
from tracker.extract.short_names import ShortNames, packaged_short_names
from tracker.extract.spans import opaque_spans
from tracker.extract.symbol_columns import find_listed_symbols
from tracker.extract.symbol_fields import find_symbol_fields
from tracker.extract.tables import table_heads
from tracker.extract.text.nfkc import nfkc
from tracker.extract.text.patterns import CJK
from tracker.extract.text.sentences import detect_langs, split_sentences
from tracker.extract.zh_funds import find_fund_codes
from tracker.extract.zh_symbol_lists import symbols_in_lists
from tracker.sentiment import SCORED_LANGS, check_scorer, get_scorer, label_for
from tracker.sentiment.genre import detect_genre
from tracker.sentiment.tone import PostTones, ToneBatch, ToneRef
from tracker.sources.records import scrub

_LINE_BREAKS = {"\r": "\n", "\x0b": "\n", "\x0c": "\n", "\x1c": "\n", "\x1d": "\n",
                "\x1e": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n", "\u00a0": " "}
# Why a pattern and not str.translate: translate looks each character of a non-ASCII text
# up in its table (43 us for a 620-character 雪球 post), where `re` skips in C to the few
# characters there are to replace (5 us with the rest of normalize_text).
_LINE_BREAK = re.compile("[" + "".join(map(re.escape, _LINE_BREAKS)) + "]")
TITLE_MAX = 120
# Mention kinds found without a marker: a name or a bare symbol, which says no listing.
_UNMARKED = ("name", "bare_ticker")


def normalize_text(text: str) -> str:
    """One kind of line break, no NUL and no lone surrogate, so every later offset means one
    thing and the text can be stored."""
    text = _LINE_BREAK.sub(lambda m: _LINE_BREAKS[m.group()], text.replace("\r\n", "\n"))
    return scrub(text.replace("\x00", ""))


def post_id(body: str, source_id: str | None = None, author: str | None = None) -> str:
    """A post's id: the same record read from two files is one post, two people are two.

    The key is the record's own id where the input has one, else its author, else nothing,
    each together with the normalized text. The text stays in the key with a record id
    because ids are only unique within one platform: row "1" of two exports is two posts.
    Without id or author the key is the text alone, as before, so those ids did not change.
    """
    # split() and join collapse every run of whitespace (str.isspace, which is what `\s`
    # matches in a str pattern) to one space and drop it at the ends, as the pattern's sub
    # and strip() did: 1.8 against 4.8 us a StockTwits post.
    norm = " ".join(nfkc(body).split()).casefold()
    if source_id:
        norm = f"id\x1f{source_id.strip()}\x1f{norm}"
    elif author:
        norm = f"author\x1f{author.strip().casefold()}\x1f{norm}"
    return hashlib.sha1(norm.encode("utf-8")).hexdigest()[:20]


class Analyzer:
    """Holds what parsing needs (config, securities list, scorers) so it loads once."""

    def __init__(self, cfg: Config | None = None, securities: SecurityList | None = None) -> None:
        # No config: ./config.toml if present over the packaged defaults, as the CLI reads.
        if cfg is not None and not isinstance(cfg, Config):
            # A path, say: else an AttributeError ('str' object has no 'securities').
            raise TypeError("Analyzer takes a tracker.Config (tracker.load_config(path)) or "
                            f"None, not {type(cfg).__name__}")
        self.cfg = cfg = cfg if cfg is not None else load_config()
        if securities is None:
            securities = securities_from_config(cfg.securities)
        self.securities = securities
        self.matcher = get_matcher(self.securities)
        self._resolver = DayResolver(securities)
        check_scorer(cfg.sentiment)

    def _resolve_on(self, ticker: str, market: str | None, day: date | None
                    ) -> tuple[str, str | None, Security | None]:
        # history.resolve_on, remembered for this list (a caller may set another).
        if self._resolver.secs is not self.securities:
            self._resolver = DayResolver(self.securities)
        return self._resolver(ticker, market, day)

    @property
    def short_names(self) -> ShortNames | None:
        """Short forms of A-share names (赛微, 招商), from the listed universe (None without
        one). Read on first use, the first post with Chinese in it: a run over English
        posts never needs them (50 ms of a one-post ingest's start)."""
        return packaged_short_names() if self.securities.universe is not None else None

    def is_listed(self, ticker: str, market: str | None) -> bool:
        """Whether the securities list knows this symbol on `market` (None: on one market)."""
        return self.securities.lookup(ticker, market) is not None

    def is_index(self, ticker: str) -> bool:
        """Whether the securities list holds `ticker` as an index (SPX, VIX, N225)."""
        sec = self.securities.lookup(ticker, None)
        return sec is not None and sec.kind == "index"

    def _name_over_code(self, tag: CashtagHit) -> bool:
        """Whether a tag whose code the lists do not hold names its security by its name
        instead: a name the lists know (`$澜起科技(MONT)$` is 688008.SS, Montage's Nasdaq code
        of before 2014; `$华为(HUAW)$` the private Huawei), unless history.csv knows the code
        as a US listing of its own (`$中国人寿(LFC)$`, China Life's New York ADR until 2023:
        the listing the tag names, docs/labelling.md)."""
        return (bool(tag.name) and not packaged_history().periods(tag.ticker, US_MARKET)
                and bool(self.matcher.find(tag.name or "", cashtags=True)))

    def _names_code(self, name: NameHit, code: CashtagHit) -> bool:
        """Whether a name beside a code names that code's security: the same company, or a
        private one (长鑫 beside SH688825, its new listing)."""
        named = self.securities.resolve(name.ticker, name.market)[2]
        coded = self.securities.resolve(code.ticker, code.market)[2]
        return named is not None and (named.is_private or named is coded)

    def _codes_after_names(self, body: str, names: Sequence[NameHit],
                           hits: Sequence[CashtagHit], held: Callable[[str], bool],
                           ) -> tuple[list[NameHit], list[CashtagHit]]:
        """Names of a listing outside the US or of a delisted holder, each written right
        before a US symbol in brackets that nobody held on the post's day
        (`phrases.code_after_name`), made that symbol's one mention: the writer names the
        listing the post means, an over-the-counter ADR (`Volkswagen (VLKAY)`, where the name
        is Frankfurt's VOW3) or a symbol the lists lack (`Ultra Petroleum Corp (UPL)`, where
        the name is the delisted holder of UPLM). A cashtag in the brackets (`Nestle
        ($NSRGY)`), read already, keeps its own mention and the name goes. Returns the names
        kept and the codes added (docs/mentions.md, twenty-first round)."""
        kept: list[NameHit] = []
        codes: list[CashtagHit] = []
        # (ticker, market) of a name -> the symbol its phrase names: the post's other names
        # of that company mean the same listing ("Volkswagen tortures monkeys ... Volkswagen
        # (VLKAY) acknowledged").
        listing: dict[tuple[str, str | None], str] = {}
        for name in names:
            code = code_after_name(body, name.end) if self._named_abroad(name) else None
            if code is None or held(code[2]):
                kept.append(name)
                continue
            start, end, symbol = code
            inside = [h for h in hits if h.start < end and start < h.end]
            if inside and not any(h.ticker == symbol and h.market is None for h in inside):
                kept.append(name)
                continue
            listing[(name.ticker, name.market)] = symbol
            if not inside:  # `($NSRGY)`: the cashtag, read already, is the phrase's mention
                codes.append(CashtagHit(start, end, symbol, None, name.name, "code"))
        return [replace(n, ticker=listing[(n.ticker, n.market)], market=None)
                if (n.ticker, n.market) in listing else n for n in kept], codes

    def _named_abroad(self, name: NameHit) -> bool:
        """Whether a name hit is a company's name keyed on a share listed outside the US
        (Frankfurt's VOW3 for Volkswagen) or on a delisted holder (UPLM@2019): no coin,
        index or fund, and no US listing of today, which a bracketed symbol only repeats."""
        if name.kind != "name":
            return False
        if written_key(name.ticker) != name.ticker:
            return True  # a delisted holder's own key (UPLM@2019)
        sec = self.securities.resolve(name.ticker, name.market)[2]
        return (sec is not None and sec.kind == "equity"
                and name.market not in (US_MARKET, None))

    def _listed_beside(self, body: str, hits: Sequence[CashtagHit], names: Sequence[NameHit],
                       opaque: Sequence[tuple[int, int]], latest: date | None) -> list[NameHit]:
        """US symbols listed beside symbols already read in Chinese text (zh_symbol_lists):
        `ZM、SE、EBAY、ROKU` once ROKU and another are read; none listed after `latest`."""
        found = [(h.start, h.end) for h in hits] + [(n.start, n.end) for n in names]
        out = []
        for item in symbols_in_lists(body, found, self._us_symbol):
            sec = self.securities.lookup(item.symbol, US_MARKET)
            if (sec is None or _inside(item.start, item.end, opaque)
                    or latest is not None and listed_after(sec.ticker, US_MARKET, latest)):
                continue
            out.append(NameHit(item.start, item.end, sec.ticker, US_MARKET, sec.name, item.symbol,
                               "bare_ticker", CONF_BARE_TICKER))
        return out

    def _us_symbol(self, symbol: str) -> bool:
        """Whether `symbol` is a US listing's today (not a delisted holder's)."""
        sec = self.securities.lookup(symbol, US_MARKET)
        return sec is not None and not sec.delisted

    def warm_up(self) -> None:
        """Load the scorers' models and dictionaries now rather than on the first post."""
        for lang in SCORED_LANGS:
            scorer = get_scorer(lang, self.cfg.sentiment)
            if scorer is not None:
                scorer.score_many(["warm up 预热"])

    def _published(self, raw: RawPost, text: str,
                   page_date: str | None = None) -> tuple[datetime | None, str | None]:
        tz, day_first = self.cfg.timezone, self.cfg.input.day_first
        # A record's field first, then the date a page states in <meta> or <time>.
        for value in (raw.published_field, page_date):
            stamp = parse_date_field(value, tz, day_first) if value else None
            if stamp is not None:
                return stamp, "field"
        stamp = find_date(text, tz, self.cfg.date_search_chars)
        if stamp is not None:
            return stamp, "text"
        if raw.file_mtime is not None:
            return datetime.fromtimestamp(raw.file_mtime, UTC), "file"
        return None, None

    def analyze(self, raw: RawPost | str) -> Post | None:
        """Parse and score `raw` (a RawPost, or a post's text); None when nothing of the
        post is left after cleaning."""
        return self.analyze_many([raw])[0]

    def analyze_many(self, raws: Sequence[RawPost | str]) -> list[Post | None]:
        """`analyze` over each of `raws`, with their texts scored together (see tone.py);
        the same posts as one by one."""
        if isinstance(raws, str | RawPost):
            # A str is a sequence too: each of its characters was analysed as a post.
            raise TypeError("analyze_many takes a list of posts (tracker.RawPost or str), not "
                            f"one {type(raws).__name__}; analyze() reads one post")
        batch = ToneBatch(self.cfg.sentiment)
        read = [self._read(_as_raw(raw)) for raw in raws]
        # The languages of all the posts' sentences at once: the model reads them together
        # (detect_langs), each with its post's `finance`. A record that states its language
        # needs none.
        asked = [(body[s:e], bool(hits)) for raw, body, hits, sentences, _ in filter(None, read)
                 if not raw.lang for s, e in sentences]
        found = iter(detect_langs([a[0] for a in asked], [a[1] for a in asked]))
        drafts = [None if r is None else self._draft(
            r, [r.raw.lang or next(found) for _ in r.sentences], batch) for r in read]
        batch.score()
        return [self._finish(d) if d is not None else None for d in drafts]

    def _read(self, raw: RawPost) -> _Read | None:
        """A post cleaned, its securities found and its text cut into sentences: all but
        the languages and the tones. None when nothing of the post is left after cleaning."""
        cfg = self.cfg
        text = normalize_text(raw.text)
        title = raw.title
        tags: list[TagSpan] = []
        page_date = None
        if raw.is_html or looks_like_html(text):
            page = read_html(text, collapse_whitespace=raw.is_html)
            text, tags, page_date = page.text, page.tags, page.published
            title = title or page.title
        # The date lines sit in the page header, which cleaning removes: read them first.
        published, published_from = self._published(raw, text, page_date)
        kept = strip_chrome(text, cfg.clean)
        body = kept.text
        if not body.strip():
            return None
        # The record's own title is read like the body ("$TSLA to the moon" over "nice"):
        # it leads the analysed text, unless the body already starts with it.
        head = _title_head(raw.title, body)
        # The id is the body's (with the record's id or author), so a post stored before
        # titles were read keeps its id.
        key = post_id(body, raw.source_id, raw.author)
        if head:
            body = head + body
        mapped_tags = []
        for tag in tags:
            span = kept.map_span(tag.start, tag.end)
            if span is not None:
                mapped_tags.append(TagSpan(span[0], span[1], tag.counter_id, tag.name))
        if head:
            mapped_tags = [TagSpan(t.start + len(head), t.end + len(head), t.counter_id, t.name)
                           for t in mapped_tags]
        opaque = opaque_spans(body)
        # A company's other listing written beside the one kept (`(WEF:TSE) or (WFSTF:OTC)`)
        # names no security of its own: not its symbol, nor its exchange (TSE) read bare.
        twins: list[tuple[int, int]] = []
        hits = [h for h in find_cashtags(body, mapped_tags, numeric_market=cfg.numeric_market,
                                         numeric_needs_hint=cfg.numeric_needs_hint,
                                         listed=self.is_listed, stop=STOP_TICKERS,
                                         index=self.is_index, twins=twins)
                if not _inside(h.start, h.end, opaque)]
        if twins:
            opaque = sorted(opaque + twins)
        hits = [h for h in self.matcher.coin_cashtags(body, hits)
                if not (unlisted_tag(h, self.is_listed) and self._name_over_code(h))]
        # An index code quoted with its move (`NKY -0.12%`, `CAC +0.9%`): the index, where the
        # same letters alone are words or other symbols (docs/mentions.md, sixteenth round).
        quotes = find_index_quotes(body, self.securities, [(h.start, h.end) for h in hits] + opaque)
        if quotes:
            hits = sorted(hits + quotes, key=lambda h: (h.start, h.end))
        chinese = CJK.search(body) is not None
        if chinese:
            # An exchange fund by its name and code (新能源车ETF（515030）): the universe
            # holds no such fund (docs/mentions.md, fourteenth round).
            funds = find_fund_codes(body, [(h.start, h.end) for h in hits] + opaque)
            if funds:
                hits = sorted(hits + funds, key=lambda h: (h.start, h.end))
        # A cashtag's own name ($Tesla(TSLA.US)) is not counted again as a name, and
        # handles, links and e-mail addresses name nobody.
        # Only a date the record states (not one read from its text, which may be any date
        # the post talks about) says which companies were listed when it was written.
        day = published.date() if published is not None and published_from == "field" else None
        latest = day or _file_day(raw.file_mtime)
        names = self.matcher.find(body, skip=[(h.start, h.end) for h in hits] + opaque,
                                  cashtags=bool(hits), day=day, written_by=latest)
        # A table's header row that names a column of symbols or companies names columns,
        # no security (`Ticker|Company|Gross M|Oper M|`: docs/mentions.md, nineteenth round).
        heads = table_heads(body, [(h.start, h.end) for h in hits]
                            + [(n.start, n.end) for n in names]) if names else []
        if heads:
            names = [n for n in names if not any(s <= n.start and n.end <= e for s, e in heads)]
        if hits and names:
            hits = as_named_listing(hits, names)
            names = drop_names_beside_codes(body, [h for h in hits if not h.name], names,
                                            self._names_code)
        # ShortNames.find finds none in a text without Chinese: not read for one.
        if chinese and self.short_names is not None:
            found = [(h.start, h.end, h.ticker, h.market) for h in hits]
            found += [(n.start, n.end, n.ticker, n.market) for n in names]
            spans = [(f[0], f[1]) for f in found]
            names += [NameHit(s.start, s.end, s.ticker, s.market, s.short, s.short, "name",
                              s.confidence)
                      for s in self.short_names.find(
                          body, spans + opaque, [(f[2], f[3]) for f in found],
                          self.matcher.tokenize, spans)]
        if chinese:
            names += self._listed_beside(body, hits, names, opaque, latest)
        else:
            # A commodity's name in title case (`Natural Gas`, `Live Cattle`): its future,
            # where no other rule found a security (docs/mentions.md, seventeenth round).
            taken = [(h.start, h.end) for h in hits] + [(n.start, n.end) for n in names] + opaque
            hits += find_commodities(body, self.securities, taken)
            # A coin with its symbol in brackets in a crypto post (`Harmony (ONE)`).
            hits += find_bracketed_coins(body, self.securities, hits, taken)
        def held(symbol: str) -> bool:
            return self._resolve_on(symbol, None, latest)[2] is not None

        if not chinese and names:
            names, named = self._codes_after_names(body, names, hits, held)
            hits += named
        # A symbol a quote page's link or a field labelled "symbol" names (`STOCK SYMBOL: ATUS`,
        # `fintel.io/n/us/swet`), where no other rule found it (docs/mentions.md, eighteenth
        # round).
        hits += find_symbol_fields(body, [h.ticker for h in hits] + [n.ticker for n in names],
                                   held)
        # A column of lines that each hold one symbol, most of them found above (`* SPY` /
        # `* S` / `* ETN`): a one-letter symbol or a trading term there is the security
        # (docs/mentions.md, twentieth round).
        # A coin's or a foreign listing's line is found, but no sign of a list of US shares
        # (`1. BTC` / `2. ETH` / `4. SOL`); an unlisted cashtag (no market) is a US one's.
        marked = [(h.start, h.end, h.market in (US_MARKET, None)) for h in hits]
        marked += [(n.start, n.end, n.market in (US_MARKET, None)) for n in names]
        # So is a list on one line (`hold MSOS, YOLO, CNBS`, `AMT/CCI/SBAC`, `Sens, CLF,ITUB
        # and dkng`: docs/mentions.md, twenty-first round).
        hits += find_listed_symbols(
            body, [(s, e) for s, e, us in marked if us],
            [h.ticker for h in hits] + [n.ticker for n in names], held, CONF_BARE_TICKER,
            [(s, e) for s, e, us in marked if not us])
        hits = sorted(hits + [
            CashtagHit(n.start, n.end, n.ticker, n.market, n.name, n.kind, n.confidence)
            for n in names
        ], key=lambda h: (h.start, h.end))
        sentences = split_sentences(body, protect=[(h.start, h.end) for h in hits])
        return _Read(raw, body, hits, sentences,
                     (key, title, published, published_from))

    def _draft(self, read: _Read, langs: list[str], batch: ToneBatch) -> _Draft:
        """Everything but the tones, given each sentence's language (a post that names a
        security is a finance post: its short lines lean English); the texts to score are
        registered with `batch`."""
        raw, body, hits, sentences, (key, title, published, published_from) = read
        lang = _post_lang(sentences, langs)
        genre = self._genre(raw, body, lang)
        keyed = self._keyed(hits, published)
        # Keyed as stored, so that rescore (which reads the stored keys) plans the same tags.
        tones = PostTones(body, sentences, langs, batch, [(h.start, h.end) for h in hits],
                          genre, [(ticker, market) for ticker, market, _ in keyed])
        if title is None:
            first = body.strip().split("\n", 1)[0].strip()
            title = first[:TITLE_MAX]
        return _Draft(raw, key, body, title, published, published_from, lang, genre, tones,
                      [(hit, tones.plan(hit.start, hit.end)) for hit in hits], keyed)

    def _genre(self, raw: RawPost, body: str, lang: str) -> str:
        """news or social: as the config declares the source, news for an HTML page, else
        as the genre detector reads the text."""
        declared = self.cfg.input.declared_genre(raw.source)
        if declared is not None:
            return declared
        if raw.is_html:
            return "news"
        return detect_genre(body, lang)

    def _keyed(self, hits: Sequence[CashtagHit], published: datetime | None,
               ) -> list[tuple[str, str | None, Security | None]]:
        """Each hit's (ticker, market, security) as stored: a symbol means what it meant on
        the post's day (history.py); a name names a company."""
        day = published.date() if published is not None else None
        resolved = [self._resolve_on(hit.ticker, hit.market, None if hit.kind == "name" else day)
                    for hit in hits]
        # A company named in a post that also writes one of its listings ("$TM Toyota",
        # "$比亚迪(SZ002594)$ ... 比亚迪") means that listing, not its primary one.
        written = {(sec.ticker, sec.market): (ticker, market)
                   for hit, (ticker, market, sec) in zip(hits, resolved, strict=True)
                   if sec is not None and hit.kind not in _UNMARKED}
        return [(*written.get((found[2].ticker, found[2].market), found[:2]), found[2])
                if hit.kind in _UNMARKED and found[2] is not None else found
                for hit, found in zip(hits, resolved, strict=True)]

    def _finish(self, d: _Draft) -> Post:
        body = d.body
        sections = find_sections(body, self.cfg.group_keywords)
        mentions = []
        declared: dict[str, list[str]] = {}
        # Mentions of one sentence share its passage key: hashed once per sentence.
        passages: dict[tuple[int, int], str | None] = {}
        for (hit, (span, _lang, ref)), found in zip(d.planned, d.keyed, strict=True):
            group = group_of(body, hit.start, sections)
            sentence = body[span[0]:span[1]]
            if span not in passages:
                passages[span] = passage_key(sentence)
            mention = self._mention(hit, found, sentence, passages[span],
                                    d.tones.batch.tone(ref), group)
            mentions.append(mention)
            if group is not None and mention.ticker not in declared.setdefault(group, []):
                declared[group].append(mention.ticker)

        raw = d.raw
        return Post(
            id=d.key,
            source=raw.source,
            text=body,
            source_id=raw.source_id,
            line=raw.line,
            title=d.title,
            url=raw.url,
            author=raw.author,
            author_tag=raw.author_tag,
            published=d.published,
            published_from=d.published_from,
            lang=d.lang,
            genre=d.genre,
            tone=d.tones.post,
            groups=declared,
            mentions=tuple(mentions),
        )

    def _mention(self, hit: CashtagHit, found: tuple[str, str | None, Security | None],
                 sentence: str, passage: str | None, tone: float | None,
                 declared: str | None) -> Mention:
        ticker, market, sec = found
        groups: list[str] = []
        if declared:
            groups.append(declared)
        for group in sec.groups if sec else ():
            if group not in groups:
                groups.append(group)
        return Mention(
            ticker=ticker,
            market=market,
            instrument=sec.kind if sec is not None else hit.instrument,
            name=hit.name if hit.kind == "security_tag" and hit.name else (
                sec.name if sec else hit.name),
            kind=hit.kind,
            start=hit.start,
            end=hit.end,
            sentence=sentence,
            passage=passage,
            confidence=hit.confidence,
            groups=tuple(groups),
            tone=tone,
            label=label_for(tone, self.cfg.sentiment),
        )


def _title_head(title: str | None, body: str) -> str:
    """The text a record's title adds in front of its body: the title and a blank line."""
    if not title:
        return ""
    title = normalize_text(title).strip()
    if not title or body.lstrip().startswith(title):
        return ""
    return title + "\n\n"


def _post_lang(sentences: Sequence[tuple[int, int]], langs: Sequence[str]) -> str:
    """The language of most of the post's characters ("und" for none)."""
    if len(sentences) != len(langs):
        raise ValueError(f"{len(sentences)} sentences, {len(langs)} languages")
    if not langs:
        return "und"
    first = langs[0]
    if langs.count(first) == len(langs):
        return first  # one language (most posts): it has all the characters, whatever they are
    # The characters of each language, counted in order of first sentence, and the first
    # language of the most (what Counter.most_common(1) gives, without its cost).
    lang_chars: dict[str, int] = {}
    for (s, e), lang in zip(sentences, langs, strict=True):
        lang_chars[lang] = lang_chars.get(lang, 0) + e - s
    return max(lang_chars, key=lang_chars.__getitem__)


# Before this day a file's modification time is an archive's or a file system's default
# (1980-01-01 in zip files, the Unix epoch), not when the file was written.
FILE_DAY_MIN = date(2000, 1, 1)


def _file_day(mtime: float | None) -> date | None:
    """The day a file was last written, in UTC: none of its posts was written after it
    (docs/mentions.md, tenth round). None without a time or with a default one."""
    if mtime is None:
        return None
    day = datetime.fromtimestamp(mtime, UTC).date()
    return day if day >= FILE_DAY_MIN else None


def _inside(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in spans)


class _Read(NamedTuple):
    """A post cleaned, its securities found and its text cut into sentences."""

    raw: RawPost
    body: str
    hits: list[CashtagHit]
    sentences: list[tuple[int, int]]
    # The post's id, title, time and where the time was read from.
    head: tuple[str, str | None, datetime | None, str | None]


@dataclass
class _Draft:
    """A post parsed and cleaned, waiting for its batch's tones."""

    raw: RawPost
    key: str
    body: str
    title: str
    published: datetime | None
    published_from: str | None
    # The language of most of its characters (_post_lang).
    lang: str
    genre: str
    tones: PostTones
    planned: list[tuple[CashtagHit, tuple[tuple[int, int], str, ToneRef]]]
    # Each planned hit's (ticker, market, security) as stored (Analyzer._keyed).
    keyed: list[tuple[str, str | None, Security | None]]


def _as_raw(raw: RawPost | str) -> RawPost:
    """A caller's post as a RawPost: a bare text is a post of the Python caller's, as
    `tracker.analyze` reads it. Anything else is a TypeError here, not an AttributeError
    from deep in the parser."""
    if isinstance(raw, RawPost):
        return raw
    if isinstance(raw, str):
        return RawPost(source=PYTHON_SOURCE, text=raw)
    raise TypeError(f"Analyzer takes a tracker.RawPost or a str, not {type(raw).__name__}")
