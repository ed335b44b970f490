"""Backups of the embedded SQLite database, taken online with SQLite's backup API (a
consistent copy even while the server writes). PostgreSQL deployments use pg_dump."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from spasmcare.errors import SpasmCareError

PG_HELP = (
    "this database is PostgreSQL: back it up with pg_dump "
    "(pg_dump --format=custom --file=spasmcare.dump DBNAME) and restore with pg_restore "
    "(pg_restore --clean --if-exists --dbname=DBNAME spasmcare.dump)"
)


class BackupError(SpasmCareError):
    exit_code = 2


def sqlite_path(database_url: str) -> Path:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        raise BackupError(PG_HELP)
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory database cannot be backed up")
    return Path(url.database)


def backup(database_url: str, target: Path) -> int:
    """Copy the live database to `target` (a new file); returns its size in bytes."""
    source = sqlite_path(database_url)
    if not source.exists():
        raise BackupError(f"there is no database at {source} yet")
    if target.exists():
        raise BackupError(f"{target} already exists; choose a new file name")
    with sqlite3.connect(source) as live, sqlite3.connect(target) as copy:
        live.backup(copy)
    copy.close()
    _check(target)
    return target.stat().st_size


def restore(database_url: str, source: Path) -> None:
    """Replace the database's contents with a backup, in one step (the backup API writes
    the whole file under a lock, so readers see either the old or the new data)."""
    target = sqlite_path(database_url)
    if not source.is_file():
        raise BackupError(f"{source} is not a file")
    _check(source)
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(source) as saved, sqlite3.connect(target, timeout=30) as live:
        saved.backup(live)


def _check(path: Path) -> None:
    """A SpasmCare database: readable SQLite, intact, with a schema version."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            if db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{path} is damaged (integrity check failed)")
            db.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a SpasmCare database ({error})") from None
