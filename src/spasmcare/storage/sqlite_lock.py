"""Writers of one SQLite file take turns through an OS file lock, in the order they came.

SQLite lets one transaction write at a time; one that finds the file busy sleeps and tries
again, sleeping longer each time (1, 2, 5, 10 ... 100 ms). With two server processes
writing without pause, the one asleep can miss every gap the other leaves and wait for
seconds (the API benchmark saw clients time out). Here each transaction first takes an
exclusive flock on a file beside the database: a process that has to wait is woken by the
kernel the moment the lock is let go, so the two alternate instead of one starving.

SQLite's own locking still guards the data; this lock only decides whose turn it is. It is
taken when a transaction begins and let go after its COMMIT or ROLLBACK has run (see
LockingConnection), never held by a connection outside a transaction.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
from pathlib import Path
from typing import Any

WAIT_SECONDS = 30.0  # as long as SQLite's busy timeout: then "database is locked", not a hang


class WriterLock:
    """The turn of one process (a thread lock) and of the processes (a flock) at a file."""

    def __init__(self, path: Path) -> None:
        self._threads = threading.Lock()
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)

    def acquire(self) -> None:
        if not self._threads.acquire(timeout=WAIT_SECONDS):
            raise sqlite3.OperationalError("database is locked")
        try:
            self._flock()
        except BaseException:
            self._threads.release()
            raise

    def release(self) -> None:
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._threads.release()

    def _flock(self) -> None:
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return  # free: no waiting at all
        except BlockingIOError:
            pass
        # Another process is writing. Wait in the kernel, from a helper thread so that the
        # wait can end with an error if that process never lets go (it hangs, say).
        taken, abandoned = threading.Event(), threading.Event()
        guard = threading.Lock()

        def wait() -> None:
            fcntl.flock(self._fd, fcntl.LOCK_EX)
            with guard:
                if abandoned.is_set():  # too late: nobody wants the turn any more
                    fcntl.flock(self._fd, fcntl.LOCK_UN)
                else:
                    taken.set()

        threading.Thread(target=wait, name="sqlite-writer-turn", daemon=True).start()
        if taken.wait(WAIT_SECONDS):
            return
        with guard:
            if taken.is_set():
                return
            abandoned.set()
        raise sqlite3.OperationalError("database is locked")


_LOCKS: dict[Path, WriterLock] = {}
_LOCKS_GUARD = threading.Lock()


def writer_lock(database: Path) -> WriterLock | None:
    """The lock for a database file, shared by every connection to it in this process;
    None when no lock file can be made beside it (a read-only folder: nothing to write)."""
    path = database.resolve()
    with _LOCKS_GUARD:
        if path not in _LOCKS:
            try:
                _LOCKS[path] = WriterLock(path.with_name(path.name + "-writer.lock"))
            except OSError:
                return None
        return _LOCKS[path]


class LockingConnection(sqlite3.Connection):
    """A sqlite3 connection that lets go of its writer turn once COMMIT or ROLLBACK ran."""

    def __init__(self, database: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(database, *args, **kwargs)
        # A URI (read-only opens use one) or an in-memory database has no file to share.
        is_file = database not in ("", ":memory:") and not kwargs.get("uri")
        self.writer = writer_lock(Path(database)) if is_file else None
        self.holding = False

    def begin_turn(self) -> None:
        if self.writer is not None and not self.holding:
            self.writer.acquire()
            self.holding = True

    def end_turn(self) -> None:
        if self.holding and self.writer is not None:
            self.holding = False
            self.writer.release()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self.end_turn()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self.end_turn()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.end_turn()
