"""Fresh PostgreSQL schemas for the tests and the benchmarks.

Every run works in a schema of its own (the URL sets search_path), so runs on one server
never collide, and drops it afterwards.
PostgreSQL: SPASMCARE_TEST_POSTGRES (default postgresql+psycopg://postgres@127.0.0.1:5432/test).
"""

from __future__ import annotations

import os
import uuid

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from spasmcare.storage.database import dispose_engines

POSTGRES = os.environ.get(
    "SPASMCARE_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def create_schema(prefix: str) -> tuple[str, str]:
    """A URL whose connections all work in a new schema, and the schema's name. Raises the
    driver's error when PostgreSQL is not reachable."""
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    _run(f'CREATE SCHEMA "{schema}"')
    url = make_url(POSTGRES).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False), schema


def drop_schema(schema: str) -> None:
    dispose_engines()  # pooled connections of the app would keep the tables locked
    _run(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def _run(statement: str) -> None:
    admin = create_engine(POSTGRES)
    try:
        with admin.begin() as connection:
            connection.execute(text(statement))
    finally:
        admin.dispose()
