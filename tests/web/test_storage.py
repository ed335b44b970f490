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
