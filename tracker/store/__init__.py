"""The database: schema, engine, idempotent upserts, file state, migrations, run locks, status."""
