"""Alembic environment: run the tracker's migrations on the connection tracker.store.migrate
passes."""

from __future__ import annotations

from alembic import context

from tracker.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
