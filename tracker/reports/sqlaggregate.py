"""Report tables aggregated inside the database (GROUP BY period, ticker or group).

Same columns, order and meaning as tracker.reports.aggregate.ticker_table / group_table, without
loading every mention into memory. Periods start in the configured time zone: PostgreSQL
converts with AT TIME ZONE and truncates with date_trunc; SQLite has no time zone data, so
a small Python function converts each stamp and strftime/date truncate it. One difference:
`name` is the smallest name seen for the ticker in the period, where pandas takes the first.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

import pandas as pd
from sqlalchemy import text
from sqlalchemy.engine import Connection

from tracker.reports.filters import MentionFilter
from tracker.reports.spec import GROUP_COLUMNS, TAG_COLUMNS, TICKER_COLUMNS
from tracker.reports.sqlfilters import SqlFilter, sql_filter
from tracker.store.upsert import utc_naive

if TYPE_CHECKING:
    from tracker.store.database import Store

_PG_UNITS = {"H": "hour", "D": "day", "W": "week", "M": "month"}
_SQLITE_TRUNC = {
    "H": "strftime('%Y-%m-%d %H:00:00', {x})",
    "D": "date({x})",
    "W": "date({x}, 'weekday 0', '-6 days')",  # the Monday starting the week
    "M": "strftime('%Y-%m-01', {x})",
}
_LABELS = ("SUM(CASE WHEN m.label = 'positive' THEN 1 ELSE 0 END) AS positive, "
           "SUM(CASE WHEN m.label = 'negative' THEN 1 ELSE 0 END) AS negative, "
           "SUM(CASE WHEN m.label = 'neutral' THEN 1 ELSE 0 END) AS neutral")
_TAGS = ("SUM(CASE WHEN p.author_tag IS NOT NULL THEN 1 ELSE 0 END) AS tagged, "
         "SUM(CASE WHEN p.author_tag = 'positive' THEN 1 ELSE 0 END) AS tag_positive, "
         "SUM(CASE WHEN p.author_tag = 'negative' THEN 1 ELSE 0 END) AS tag_negative, "
         "SUM(CASE WHEN p.author_tag = m.label THEN 1 ELSE 0 END) AS tag_agree")


def _local_function(tz: tzinfo) -> Any:
    def to_local(stamp: str | None) -> str | None:
        if stamp is None:
            return None
        utc = datetime.fromisoformat(stamp).replace(tzinfo=UTC)
        return utc.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")
    return to_local


def _hour_function(tz: tzinfo) -> Any:
    def hour_start(stamp: str | None) -> str | None:
        if stamp is None:
            return None
        utc = datetime.fromisoformat(stamp).replace(tzinfo=UTC)
        local = utc.astimezone(tz)
        into = timedelta(minutes=local.minute, seconds=local.second,
                         microseconds=local.microsecond)
        return (utc - into).astimezone(tz).isoformat(sep=" ")
    return hour_start


def table_period_sql(conn: Connection, freq: str, tz: tzinfo, wall_clock: bool) -> str:
    """The period of a report table's row: as `period_sql`, but an hour keeps its UTC
    offset (unless `wall_clock`), so the hour a fall-back repeats is two rows, as in memory
    (`aggregate.hour_starts`)."""
    if freq != "H" or wall_clock:
        return period_sql(conn, freq, tz)
    if conn.dialect.name == "postgresql":
        return "date_trunc('hour', (p.published AT TIME ZONE 'UTC'), :tz)"
    if str(tz) in ("UTC", "Etc/UTC", "GMT"):
        return period_sql(conn, freq, tz)
    conn.connection.driver_connection.create_function(  # type: ignore[union-attr]
        "tracker_hour", 1, _hour_function(tz), deterministic=True)
    return "tracker_hour(p.published)"


def period_sql(conn: Connection, freq: str, tz: tzinfo) -> str:
    if freq not in _PG_UNITS:
        raise ValueError(f"unknown frequency {freq!r}; use one of {', '.join(_PG_UNITS)}")
    if conn.dialect.name == "postgresql":
        return (f"date_trunc('{_PG_UNITS[freq]}', "
                "(p.published AT TIME ZONE 'UTC') AT TIME ZONE :tz)")
    stamp = "p.published"
    if str(tz) not in ("UTC", "Etc/UTC", "GMT"):
        conn.connection.driver_connection.create_function(  # type: ignore[union-attr]
            "tracker_local", 1, _local_function(tz), deterministic=True)
        stamp = "tracker_local(p.published)"
    return _SQLITE_TRUNC[freq].format(x=stamp)


def where_sql(flt: SqlFilter, since: datetime | None, until: datetime | None) -> str:
    clauses = ["p.published IS NOT NULL", *flt.clauses]
    if since is not None:
        clauses.append("p.published >= :since")
    if until is not None:
        clauses.append("p.published < :until")
    return " AND ".join(clauses)


def filter_sql(conn: Connection, flt: MentionFilter | None) -> SqlFilter:
    found = sql_filter(flt or MentionFilter(), conn.dialect.name)
    if found is None:
        raise ValueError("this filter has no SQL form (see tracker.reports.sqlfilters); "
                         "filter the mentions in memory")
    return found


def groups_join(conn: Connection) -> tuple[str, str]:
    """A join yielding one row per group of a mention, and the group's column."""
    if conn.dialect.name == "postgresql":
        return "CROSS JOIN LATERAL unnest(string_to_array(m.groups, ';')) AS g(name)", "g.name"
    # "a;b" -> ["a","b"], with JSON's quotes and backslashes escaped first.
    array = ("'[\"' || replace(replace(replace(m.groups, '\\', '\\\\'), '\"', '\\\"'), "
             "';', '\",\"') || '\"]'")
    return f"JOIN json_each({array}) AS g", "g.value"


def aggregate_in_db(conn: Connection, by: str, freq: str, tz: tzinfo,
                    since: datetime | None, until: datetime | None,
                    flt: MentionFilter | None = None, *,
                    wall_clock: bool = False) -> pd.DataFrame:
    """The report table for `by` of the mentions `flt` keeps (default: no filter; it must
    have an SQL form, `sql_filter`); `since`/`until` are naive UTC bounds; periods as
    `aggregate.with_period` makes them."""
    period = table_period_sql(conn, freq, tz, wall_clock)
    found = filter_sql(conn, flt)
    params: dict[str, Any] = {"tz": str(tz), "since": since, "until": until, **found.params}
    where = where_sql(found, since, until)
    if by == "ticker":
        sql = (f"SELECT {period} AS period, m.ticker AS ticker, "
               "COALESCE(m.market, '') AS market, MIN(m.name) AS name, COUNT(*) AS mentions, "
               f"COUNT(DISTINCT m.post_id) AS posts, AVG(m.tone) AS tone, {_LABELS}, {_TAGS} "
               f"FROM mentions m JOIN posts p ON p.id = m.post_id WHERE {where} "
               "GROUP BY 1, m.ticker, COALESCE(m.market, '')")
        columns, key = TICKER_COLUMNS, "ticker"
    elif by == "group":
        join, group = groups_join(conn)
        if flt is not None and flt.groups:
            # Only the wanted groups are reported, as apply_filters keeps only those.
            where += f" AND {group} IN ({', '.join(f':group{i}' for i in range(len(flt.groups)))})"
        sql = (f"SELECT {period} AS period, {group} AS \"group\", COUNT(*) AS mentions, "
               "COUNT(DISTINCT m.post_id) AS posts, COUNT(DISTINCT m.ticker) AS tickers, "
               f"AVG(m.tone) AS tone, {_LABELS} "
               f"FROM mentions m JOIN posts p ON p.id = m.post_id {join} "
               f"WHERE {where} AND {group} <> '' GROUP BY 1, {group}")
        columns, key = GROUP_COLUMNS, "group"
    else:
        raise ValueError(f"unknown table {by!r}; use ticker or group")
    rows = conn.execute(text(sql), params).all()
    table = pd.DataFrame([tuple(r) for r in rows], columns=columns)
    if table.empty:
        return pd.DataFrame(columns=columns)
    if freq == "H" and not wall_clock:
        table["period"] = pd.to_datetime(table["period"], utc=True).dt.tz_convert(tz)
    else:
        table["period"] = pd.to_datetime(table["period"])
    table["tone"] = table["tone"].astype(float)
    for col in ("mentions", "posts", "positive", "negative", "neutral") + (
            ("tickers",) if by == "group" else tuple(TAG_COLUMNS)):
        table[col] = table[col].astype(int)
    table = table.sort_values(["period", "mentions", key], ascending=[True, False, True],
                              kind="mergesort")
    return table[columns].reset_index(drop=True)


def mention_stats(conn: Connection, since: datetime | None,
                  until: datetime | None) -> dict[str, int]:
    """For report notes: mentions, posts, and posts dated by file or undated, in a range."""
    clauses = ["NOT m.is_repeat"]
    if since is not None:
        clauses.append("p.published >= :since")
    if until is not None:
        clauses.append("p.published < :until")
    row = conn.execute(text(
        "SELECT COUNT(*), COUNT(DISTINCT m.post_id), "
        "COUNT(DISTINCT CASE WHEN p.published IS NULL THEN m.post_id END), "
        "COUNT(DISTINCT CASE WHEN p.published_from = 'file' THEN m.post_id END) "
        f"FROM mentions m JOIN posts p ON p.id = m.post_id WHERE {' AND '.join(clauses)}"),
        {"since": since, "until": until}).one()
    return {"mentions": int(row[0]), "posts": int(row[1]), "undated": int(row[2]),
            "from_file": int(row[3])}


def dated_extent(conn: Connection, flt: MentionFilter, since: datetime | None,
                 until: datetime | None) -> tuple[datetime | None, datetime | None, int]:
    """The first and last publication (naive UTC) of the dated mentions `flt` keeps in
    [since, until) (None, None without any), and how many undated posts it keeps (always 0
    with a bound: an undated post is in no range)."""
    found = filter_sql(conn, flt)
    params: dict[str, Any] = {"since": since, "until": until, **found.params}
    first, last = conn.execute(text(
        "SELECT MIN(p.published), MAX(p.published) FROM mentions m "
        f"JOIN posts p ON p.id = m.post_id WHERE {where_sql(found, since, until)}"), params).one()
    undated = 0
    if since is None and until is None:
        undated = int(conn.execute(text(
            "SELECT COUNT(DISTINCT m.post_id) FROM mentions m JOIN posts p ON p.id = m.post_id "
            f"WHERE p.published IS NULL AND {found.where()}"), params).scalar_one())
    return as_datetime(first), as_datetime(last), undated


def as_datetime(value: Any) -> datetime | None:
    # SQLite hands back MIN/MAX of a DATETIME column as text.
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


# The store-level entry points: the report stage opens the store's connection and brings
# the aggregation, so the store never imports the reports (it holds the data, not the tables).
def aggregate_stored(store: Store, by: str, freq: str, tz: tzinfo,
                     since: datetime | None = None, until: datetime | None = None,
                     flt: MentionFilter | None = None) -> pd.DataFrame:
    """The report table for `by` of the stored mentions `flt` keeps, aggregated in the
    database (`flt` must have an SQL form, `sql_filter`)."""
    with store.engine.connect() as conn:
        return aggregate_in_db(conn, by, freq, tz, utc_naive(since), utc_naive(until), flt)


def stored_extent(store: Store, flt: MentionFilter, since: datetime | None = None,
                  until: datetime | None = None
                  ) -> tuple[datetime | None, datetime | None, int]:
    """First and last publication (naive UTC) of the dated stored mentions `flt` keeps in
    [since, until), and its undated posts (see `dated_extent`)."""
    with store.engine.connect() as conn:
        return dated_extent(conn, flt, utc_naive(since), utc_naive(until))


def stored_stats(store: Store, since: datetime | None = None,
                 until: datetime | None = None) -> dict[str, int]:
    """Mentions, posts, undated and file-dated stored posts in a range (see `mention_stats`)."""
    with store.engine.connect() as conn:
        return mention_stats(conn, utc_naive(since), utc_naive(until))
