"""The values report options take: formats, shapes, spans, measures, periods, instruments and
the days a report can cover.

Kept free of pandas and of the database, so `tracker report -h` shows them without loading
either (the CLI starts in well under a second); the modules that use them import them here.
"""

from __future__ import annotations

from datetime import date

# What a table has one row (or wide column) per.
TABLES = ("ticker", "group")
FORMATS = ("csv", "md", "json")
SHAPES = ("long", "wide")
# The briefing covers the `latest` period, or `all` of the range.
SPANS = ("latest", "all")
# The wide shape keeps this many keys (most mentioned first) and sums the rest in `other`,
# so gapped data over many tickers stays a table a spreadsheet can open.
WIDE_TOP = 50
# Shares of the tagged mentions (measures of the wide shape, ticker tables only): tagged
# positive (the tag ratio users follow as a signal), and agreeing with tracker's label.
TAG_SHARES = {"tag_ratio": "tag_positive", "tag_agreement": "tag_agree"}
MEASURES = ("mentions", "posts", "tone", *TAG_SHARES)
# What a wide table counts unless told otherwise; a long table holds every measure.
DEFAULT_MEASURE = MEASURES[0]
# What separates a list option's values (`--tickers`, `--groups`): a comma, or the
# full-width comma and the enumeration comma a Chinese input method types (`NVDA，AMD`,
# `NVDA、AMD`). A group's name holds none of them (config.py), or no filter could pick it.
LIST_SEPARATORS = ",\uff0c\u3001"
# Period codes, with pandas' period alias for each (weeks start on Monday).
FREQS = {"H": "h", "D": "D", "W": "W-SUN", "M": "M"}
FREQ_NAMES = {"H": "hourly", "D": "daily", "W": "weekly", "M": "monthly"}

# What reports count unless `--instruments` says otherwise: shares, funds and the private
# companies tracked like them, so that coins, indices and futures do not crowd out stocks. A
# mention whose security is unknown (not listed, or stored before kinds were recorded) counts too.
DEFAULT_INSTRUMENTS = ("equity", "etf", "private")
ALL_INSTRUMENTS = "all"

# A chart draws at most this many series, so its colours and legend stay readable.
MAX_SERIES = 8

# The days a report can cover: pandas keeps time stamps from 1677-09-21 to 2262-04-11, and
# a day's bounds move by up to a day in the configured time zone and a period beyond it.
FIRST_DAY, LAST_DAY = date(1678, 1, 1), date(2261, 12, 31)
