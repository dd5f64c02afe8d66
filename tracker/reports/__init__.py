"""Reports: filters, aggregation in memory and in SQL, trends, briefing, charts, rendering,
export."""
