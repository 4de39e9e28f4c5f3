"""Alembic environment: jadwal always runs migrations on a connection it hands in."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=None, render_as_batch=True)
with context.begin_transaction():
    if connection.dialect.name == "postgresql":
        # Two daemons starting together must not both create the tables.
        connection.execute(text("SELECT pg_advisory_xact_lock(7464851)"))
    context.run_migrations()
