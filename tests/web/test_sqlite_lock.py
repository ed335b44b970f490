"""SQLite writers take turns through a file lock: held for exactly one transaction, let go
after COMMIT or ROLLBACK, and a wait that cannot end becomes "database is locked"."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from spasmcare.storage import sqlite_lock
from spasmcare.storage.database import make_engine


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    made = make_engine(f"sqlite:///{tmp_path / 'turns.db'}")
    with made.begin() as connection:
        connection.execute(text("CREATE TABLE notes (body TEXT)"))
    yield made
    made.dispose()


def _taken_elsewhere(tmp_path: Path) -> bool:
    """Whether another process's writer would have to wait (a separate open of the file
    conflicts with this process's lock just as another process's would)."""
    fd = os.open(tmp_path / "turns.db-writer.lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def test_the_turn_lasts_exactly_one_transaction(engine: Engine, tmp_path: Path) -> None:
    with engine.connect() as connection:
        assert not _taken_elsewhere(tmp_path)
        connection.execute(text("INSERT INTO notes VALUES ('a')"))
        assert _taken_elsewhere(tmp_path)
        connection.commit()
        assert not _taken_elsewhere(tmp_path)
        connection.execute(text("INSERT INTO notes VALUES ('b')"))
        assert _taken_elsewhere(tmp_path)
        connection.rollback()
        assert not _taken_elsewhere(tmp_path)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT body FROM notes")).scalars().all() == ["a"]


def test_a_connection_returned_mid_transaction_lets_go(engine: Engine, tmp_path: Path) -> None:
    connection = engine.connect()
    connection.execute(text("INSERT INTO notes VALUES ('never committed')"))
    connection.close()  # the pool rolls back what was left open
    assert not _taken_elsewhere(tmp_path)


def test_a_turn_that_never_comes_is_an_error_not_a_hang(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_lock, "WAIT_SECONDS", 0.3)
    other = os.open(tmp_path / "turns.db-writer.lock", os.O_RDWR)
    fcntl.flock(other, fcntl.LOCK_EX)  # a writer elsewhere that never finishes
    try:
        with pytest.raises(OperationalError, match="database is locked"), engine.begin() as c:
            c.execute(text("INSERT INTO notes VALUES ('c')"))
    finally:
        os.close(other)
    with engine.begin() as connection:  # once it is gone, writing works again
        connection.execute(text("INSERT INTO notes VALUES ('d')"))
    assert not _taken_elsewhere(tmp_path)
