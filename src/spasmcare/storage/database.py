"""Engines and sessions for SQLite (the embedded default) and PostgreSQL (deployments)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from spasmcare.errors import InvalidTextError
from spasmcare.storage import sqlite_lock


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    # SQLAlchemy starts transactions itself (see _begin_immediate), not the sqlite3 module.
    connection.isolation_level = None
    cursor = connection.cursor()
    # WAL lets readers and a writer work at once; secure_delete overwrites deleted rows so a
    # deleted account leaves no readable trace in the file; foreign keys make cascades work.
    for pragma in (
        "PRAGMA journal_mode=WAL",
        "PRAGMA foreign_keys=ON",
        "PRAGMA busy_timeout=5000",
        "PRAGMA synchronous=NORMAL",
        "PRAGMA secure_delete=ON",
    ):
        cursor.execute(pragma)
    cursor.close()


def _storable(value: object) -> bool:
    """Whether text in ``value`` can be stored: no NUL and no lone surrogate, which
    PostgreSQL refuses (and SQLite would keep but no reader could decode)."""
    if isinstance(value, dict | list | tuple):
        try:
            encoded_json(value, "value")  # JSON columns hold large documents: checked in C
        except InvalidTextError:
            return False
        except orjson.JSONEncodeError:  # not about text: the column's serialiser says what
            pass
        return True
    return _storable_walk(value)


def _storable_walk(value: object) -> bool:
    if isinstance(value, str):
        if "\x00" in value:
            return False
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate from JSON like "\ud800"
            return False
        return True
    if isinstance(value, dict):
        return all(_storable_walk(k) and _storable_walk(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return all(_storable_walk(v) for v in value)
    return True


def encoded_json(value: object, field: str) -> orjson.Fragment:
    """``value`` serialised once, ready for a JSON column, or refused (naming ``field``) if
    it holds text that cannot be stored. Writes that skip the ORM use it: the ORM's check
    below would serialise every document twice."""
    try:
        encoded = orjson.dumps(value)  # refuses lone surrogates and writes NUL as \\u0000
    except orjson.JSONEncodeError as error:
        if _storable_walk(value):
            raise  # not about text (a key that is not a string, say)
        raise InvalidTextError(field) from error
    # Only then is the slow exact walk needed (a literal backslash-u0000 is fine text).
    if b"\\u0000" in encoded and not _storable_walk(orjson.loads(encoded)):
        raise InvalidTextError(field)
    return orjson.Fragment(encoded)


@event.listens_for(Session, "before_flush")
def _refuse_unstorable_text(session: Session, _context: Any, _instances: Any) -> None:
    """One check for every table, before anything reaches the database."""
    for record in (*session.new, *session.dirty):
        for column in record.__table__.columns:
            if not _storable(getattr(record, column.key, None)):
                raise InvalidTextError(column.key)


def _begin_immediate(connection: Any) -> None:
    """Take SQLite's write lock when a transaction starts. A transaction that read first and
    then tried to write would fail at once if another process wrote in between (waiting
    cannot help a stale snapshot); taking the lock up front makes it wait its turn instead
    (in order: see sqlite_lock)."""
    turns: sqlite_lock.LockingConnection = connection.connection.dbapi_connection
    try:
        turns.begin_turn()
    except sqlite3.OperationalError as error:  # as SQLAlchemy reports SQLite's own
        raise OperationalError("BEGIN IMMEDIATE", None, error) from error
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    except BaseException:
        turns.end_turn()
        raise


def make_engine(url: str, **options: Any) -> Engine:
    """An engine for ``url``; a SQLite file's folder is created on first use."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        # One connection per process: SQLite lets one writer in at a time anyway, and
        # threads then queue on the pool instead of sleeping in SQLite's busy handler.
        engine = create_engine(
            url,
            connect_args={
                "check_same_thread": False,
                "timeout": 30,
                "factory": sqlite_lock.LockingConnection,
            },
            pool_size=1,
            max_overflow=0,
            pool_timeout=60,
            json_serializer=_json_dumps,
            json_deserializer=orjson.loads,
            **options,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _begin_immediate)
        return engine
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=20,
        json_serializer=_json_dumps,
        json_deserializer=orjson.loads,
        **options,
    )


def _json_dumps(value: Any) -> str:
    # An orjson.Fragment (see encoded_json) is written as it is, not serialised again.
    return orjson.dumps(value).decode()


_ENGINES: dict[str, Engine] = {}
_LOCK = threading.Lock()


def engine_for(url: str) -> Engine:
    """One engine (and connection pool) per URL per process."""
    with _LOCK:
        if url not in _ENGINES:
            _ENGINES[url] = make_engine(url)
        return _ENGINES[url]


def dispose_engines() -> None:
    """Close every pooled connection (at shutdown, and between test databases)."""
    with _LOCK:
        for engine in _ENGINES.values():
            engine.dispose()
        _ENGINES.clear()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose work is committed on success and rolled back on any error."""
    with factory() as session, session.begin():
        yield session


def storage_problem(error: OperationalError) -> str:
    """What a person (or an operator reading the 503) can act on, without internals."""
    text = str(error.orig).lower()
    if "readonly" in text or "read-only" in text:
        return "the database is read-only, so nothing can be saved right now; nothing was lost"
    if "full" in text or "no space" in text:
        return "the server's disk is full, so nothing can be saved right now; nothing was lost"
    return "the database is not reachable right now; please try again shortly"


WIPE_AFTER_COMMIT = "wipe_wal_after_commit"


def forget_after_commit(session: Session) -> None:
    """Personal data was deleted in this session: empty the SQLite WAL once it commits."""
    session.info[WIPE_AFTER_COMMIT] = True


def wipe_sqlite_wal(engine: Engine) -> None:
    """Copy the WAL into the database file and empty it. With secure_delete on, deleted
    rows are then gone from both files (WAL frames keep old page versions until this)."""
    if engine.dialect.name != "sqlite":
        return
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.close()
    finally:
        connection.close()
