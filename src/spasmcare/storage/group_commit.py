"""Group commit: many requests' small writes stored together in one transaction.

Saving an assessment is two inserts and a commit, less work than handing the request to a
worker thread and back again. One writer thread per process therefore takes whatever
writes are waiting, runs them in one transaction and commits once; each request awaits
its own outcome, which only arrives after the commit, so a client that is told "saved"
can always read its data back. Under load the batches grow and a commit serves many
requests; with SQLite, a process also takes the database's write lock once per batch
instead of once per request.

The jobs of a batch also share their inserts (see Batch): each statement is sent once
with every job's rows, instead of once per job. On PostgreSQL one round trip per
statement was most of a save's cost.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy import Insert
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from spasmcare.errors import SpasmCareError, StorageUnavailableError
from spasmcare.storage.database import storage_problem, transaction

T = TypeVar("T")
BATCH = 64  # enough to empty the queue of a busy server; small enough to keep commits short


class Batch:
    """The transaction that one batch of jobs shares.

    ``insert`` gathers rows, and they are sent when every job of the batch has run, one
    statement per table with all its rows (an executemany), in the order the statements
    were first used: a job inserts a parent row before its children, so every parent
    table is written before its child tables. ``once`` makes a look-up (an API token's
    owner, say) once per batch instead of once per job."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._rows: dict[Insert, list[dict[str, Any]]] = {}
        self._known: dict[Hashable, Any] = {}

    def insert(self, statement: Insert, row: dict[str, Any]) -> None:
        self._rows.setdefault(statement, []).append(row)

    def once(self, key: Hashable, look_up: Callable[[], T]) -> T:
        if key not in self._known:
            self._known[key] = look_up()  # a look-up that raises is not remembered
        found: T = self._known[key]
        return found

    def flush(self) -> None:
        for statement, rows in self._rows.items():
            self.session.execute(statement, rows)
        self._rows.clear()


@dataclass(eq=False)
class _Job(Generic[T]):
    work: Callable[[Batch], T]
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[T] = field(repr=False)


class GroupCommit:
    """Runs ``work(batch)`` functions in batches on one thread, one transaction a batch.

    A job that refuses its input (raises a SpasmCareError, such as a revoked API token)
    fails alone: the batch is rolled back and the other jobs run again without it, so
    nothing of the refused job is kept. After any other error (also one raised while the
    gathered inserts are sent) each job runs again in a transaction of its own, so only
    the one at fault fails. Jobs must therefore be safe to run again, which inserts with
    ids chosen beforehand are. The database being out of reach (or its disk full) fails
    the whole batch at once: it would fail each job alike.
    """

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._jobs: queue.SimpleQueue[_Job[Any] | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    async def run(self, work: Callable[[Batch], T]) -> T:
        """The outcome of ``work`` once its transaction has committed."""
        loop = asyncio.get_running_loop()
        job = _Job(work, loop, loop.create_future())
        self._start()
        self._jobs.put(job)
        outcome: T = await job.future
        return outcome

    def close(self) -> None:
        """Finish the jobs already queued, then stop the thread (at shutdown)."""
        with self._start_lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._jobs.put(None)
            thread.join()

    def _start(self) -> None:
        with self._start_lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._serve, name="spasmcare-group-commit", daemon=True
                )
                self._thread.start()

    def _serve(self) -> None:
        while True:
            first = self._jobs.get()
            if first is None:
                return
            jobs = [first]
            stop = False
            while len(jobs) < BATCH:
                try:
                    job = self._jobs.get_nowait()
                except queue.Empty:
                    break
                if job is None:
                    stop = True
                    break
                jobs.append(job)
            self._commit(jobs)
            if stop:
                return

    def _commit(self, jobs: list[_Job[Any]]) -> None:
        pending = list(jobs)
        while pending:
            outcomes: list[object] = []
            refused: tuple[_Job[Any], SpasmCareError] | None = None
            try:
                with transaction(self._sessions) as session:
                    batch = Batch(session)
                    for job in pending:
                        try:
                            outcomes.append(job.work(batch))
                        except SpasmCareError as error:
                            refused = (job, error)
                            raise
                    batch.flush()
            except SpasmCareError as error:
                if refused is None or refused[1] is not error:
                    _settle_all(pending, error)  # the commit itself refused (not expected)
                    return
                _settle(refused[0], error=error)
                pending.remove(refused[0])
                continue  # the others again, in a fresh transaction
            except OperationalError as error:
                _settle_all(pending, StorageUnavailableError(storage_problem(error)))
                return
            except Exception as error:  # handed to the request at fault
                if len(pending) == 1:
                    _settle(pending[0], error=error)
                else:
                    for job in pending:
                        self._commit([job])
                return
            for job, outcome in zip(pending, outcomes, strict=True):
                _settle(job, outcome=outcome)
            return


def _settle_all(jobs: list[_Job[Any]], error: BaseException) -> None:
    for job in jobs:
        _settle(job, error=error)


def _settle(job: _Job[Any], *, outcome: object = None, error: BaseException | None = None) -> None:
    def done() -> None:
        if job.future.done():  # the request was cancelled (its client went away)
            return
        if error is None:
            job.future.set_result(outcome)
        else:
            job.future.set_exception(error)

    with contextlib.suppress(RuntimeError):  # that loop has closed: nobody is waiting
        job.loop.call_soon_threadsafe(done)
