"""Alembic environment: the connection is handed in by spasmcare.storage.migrate."""

from __future__ import annotations

from alembic import context

from spasmcare.storage.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only `spasmcare db upgrade` runs migrations
    raise RuntimeError("run migrations with `spasmcare db upgrade`, which provides the connection")
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
