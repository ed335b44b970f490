"""Storage on real SQLite and PostgreSQL: migrations, the schema they make, time zones."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from spasmcare.storage.database import engine_for, session_factory
from spasmcare.storage.migrate import alembic_config, current_revision, head_revision, upgrade
from spasmcare.storage.tables import Base, User


def test_the_migrations_make_exactly_the_models_schema(database_url: str) -> None:
    engine = engine_for(database_url)
    assert current_revision(engine) == head_revision()
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_upgrade_is_idempotent(database_url: str) -> None:
    engine = engine_for(database_url)
    upgrade(engine)
    upgrade(engine)
    assert current_revision(engine) == head_revision()


def test_migrations_go_down_and_up_again(tmp_path: Path) -> None:
    engine = engine_for(f"sqlite:///{tmp_path / 'roundtrip.db'}")
    upgrade(engine)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(engine)
    assert "users" in inspect(engine).get_table_names()


def test_times_come_back_as_the_same_instant_in_utc(database_url: str) -> None:
    factory = session_factory(engine_for(database_url))
    local = datetime(2026, 3, 29, 1, 30, tzinfo=timezone(timedelta(hours=2)))
    with factory() as session, session.begin():
        session.add(User(id="u1", email="tz@example.com", password_hash="x", created_at=local))
    with factory() as session, session.begin():
        user = session.get(User, "u1")
        assert user is not None
        assert user.created_at == local
        assert user.created_at.tzinfo is not None
        assert user.created_at.utcoffset() == timedelta(0)
        session.delete(user)


def test_naive_times_are_refused(database_url: str) -> None:
    factory = session_factory(engine_for(database_url))
    with factory() as session, pytest.raises(Exception, match="time-zone aware"):
        session.add(
            User(email="naive@example.com", password_hash="x", created_at=datetime(2026, 1, 1))
        )
        session.flush()


def test_db_upgrade_creates_the_default_sqlite_file_in_wal_mode(private_data_dir: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "spasmcare", "db", "upgrade"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    database = private_data_dir / "spasmcare.db"
    assert database.exists()
    assert head_revision() in done.stdout
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    status = subprocess.run(
        [sys.executable, "-m", "spasmcare", "db", "status"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "up to date" in status.stdout


def test_postgresql_keeps_snapshots_as_plain_json_compressed_with_lz4(postgresql_url: str) -> None:
    """The result and care plan are stored unparsed (migration 0004): JSONB parsing and
    pglz cost four times the server time per save. (SQLite keeps JSON as text anyway.)"""
    engine = engine_for(postgresql_url)
    upgrade(engine)
    with engine.connect() as connection:
        lz4 = connection.exec_driver_sql(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        ).scalar()
        columns = connection.exec_driver_sql(
            "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attcompression"
            " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
            " WHERE c.relnamespace = current_schema()::regnamespace"
            " AND (c.relname, a.attname) IN (('assessments', 'result'), ('care_plans', 'plan'))"
        ).all()
    assert {(table, column, kind) for table, column, kind, _ in columns} == {
        ("assessments", "result", "json"),
        ("care_plans", "plan", "json"),
    }
    assert lz4, "this PostgreSQL has no lz4: the snapshots fall back to pglz"
    assert {compression for *_, compression in columns} == {"l"}
