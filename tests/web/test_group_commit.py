"""Group commit on real SQLite and PostgreSQL: saves share a transaction, yet each request
gets its own outcome, and a refused or failed request keeps nothing and spoils no other."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from spasmcare.engine import assess
from spasmcare.errors import AccountError
from spasmcare.knowledge.base import KnowledgeBase
from spasmcare.services import accounts, assessments
from spasmcare.storage.database import engine_for, session_factory, transaction
from spasmcare.storage.group_commit import Batch, GroupCommit
from spasmcare.storage.tables import AssessmentRecord, CarePlanRecord
from spasmcare.web.deps import token_owner
from tests.web.conftest import _empty

NOW = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    yield session_factory(engine_for(database_url))
    _empty(engine_for(database_url))


@pytest.fixture
def token(sessions: sessionmaker[Session]) -> str:
    with transaction(sessions) as session:
        user = accounts.sign_up(session, "batch@example.com", "a long enough password")
        return accounts.create_api_token(session, user, "tests").token


def _count(sessions: sessionmaker[Session], table: type[object]) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


Work = Callable[[Batch], object]


def _save(kb: KnowledgeBase, token: str, findings: dict[str, object]) -> Work:
    return _saving(token, assessments.rows(assess(findings, kb), kb, "findings", NOW))


def _saving(token: str, rows: assessments.Rows) -> Work:
    def work(batch: Batch) -> assessments.Saved:
        owner = batch.once(("owner", token), lambda: token_owner(batch.session, token, NOW))
        return assessments.add_rows(batch, owner, rows)

    return work


def _held_open() -> tuple[threading.Event, threading.Event, Work]:
    """Keep the writer busy with a first job until released, so that the jobs queued
    meanwhile all go into the next batch together."""
    started, release = threading.Event(), threading.Event()

    def hold(_batch: Batch) -> None:
        started.set()
        release.wait(10)

    return started, release, hold


async def _batch_after_hold(commits: GroupCommit, works: list[Work]) -> list[object]:
    started, release, hold = _held_open()
    first = asyncio.ensure_future(commits.run(hold))
    await asyncio.to_thread(started.wait, 10)
    tasks = [asyncio.ensure_future(commits.run(work)) for work in works]
    await asyncio.sleep(0.05)  # every task has queued its job
    release.set()
    await first
    return await asyncio.gather(*tasks, return_exceptions=True)


def test_each_save_is_committed_when_its_request_hears_back(
    sessions: sessionmaker[Session], token: str, kb: KnowledgeBase
) -> None:
    commits = GroupCommit(sessions)

    async def main() -> list[object]:
        works = [_save(kb, token, {"age": 30 + i}) for i in range(20)]
        return await asyncio.gather(*(commits.run(work) for work in works))

    saved = asyncio.run(main())
    commits.close()
    ids = {s.id for s in saved if isinstance(s, assessments.Saved)}
    assert len(ids) == 20
    with sessions() as session:
        stored = session.scalars(select(AssessmentRecord.id)).all()
    assert set(stored) == ids
    assert _count(sessions, CarePlanRecord) == 20


def test_a_refused_request_keeps_nothing_and_spoils_no_other(
    sessions: sessionmaker[Session], token: str, kb: KnowledgeBase
) -> None:
    commits = GroupCommit(sessions)
    save = _save(kb, token, {"age": 43})

    def refused_after_writing(batch: Batch) -> object:
        save(batch)  # its rows are added, then the request is refused after all
        raise AccountError("refused after writing", "authorization", 403)

    works = [
        _save(kb, token, {"age": 40}),
        _save(kb, "sc_not-a-token", {"age": 41}),
        refused_after_writing,
        _save(kb, token, {"age": 42}),
    ]
    outcomes = asyncio.run(_batch_after_hold(commits, works))
    commits.close()
    assert isinstance(outcomes[0], assessments.Saved)
    assert isinstance(outcomes[1], AccountError) and outcomes[1].status == 401
    assert isinstance(outcomes[2], AccountError) and outcomes[2].status == 403
    assert isinstance(outcomes[3], assessments.Saved)
    with sessions() as session:
        stored = set(session.scalars(select(AssessmentRecord.id)))
    assert stored == {outcomes[0].id, outcomes[3].id}
    assert _count(sessions, CarePlanRecord) == 2


def test_an_unexpected_failure_fails_only_the_job_at_fault(
    sessions: sessionmaker[Session], token: str, kb: KnowledgeBase
) -> None:
    commits = GroupCommit(sessions)

    def broken(_batch: Batch) -> None:
        raise RuntimeError("the disk went away")

    works: list[Work] = [_save(kb, token, {"age": 50}), broken, _save(kb, token, {"age": 51})]
    outcomes = asyncio.run(_batch_after_hold(commits, works))
    commits.close()
    assert isinstance(outcomes[0], assessments.Saved)
    assert isinstance(outcomes[1], RuntimeError)
    assert isinstance(outcomes[2], assessments.Saved)
    assert _count(sessions, AssessmentRecord) == 2


def test_a_batch_sends_each_insert_once_with_every_row(
    sessions: sessionmaker[Session], token: str, kb: KnowledgeBase
) -> None:
    """Twenty saves in one batch: one INSERT per table carrying all twenty rows, and
    one look-up of the token, instead of sixty statements."""
    sent: list[tuple[str, bool]] = []

    def record(*arguments: object) -> None:  # (connection, cursor, statement, ..., many)
        sent.append((str(arguments[2]).lower(), bool(arguments[-1])))

    bind = sessions.kw["bind"]
    event.listen(bind, "before_cursor_execute", record)
    commits = GroupCommit(sessions)
    try:
        outcomes = asyncio.run(
            _batch_after_hold(commits, [_save(kb, token, {"age": 20 + i}) for i in range(20)])
        )
    finally:
        commits.close()
        event.remove(bind, "before_cursor_execute", record)
    assert all(isinstance(outcome, assessments.Saved) for outcome in outcomes)
    inserts = [
        (text.split("(")[0].strip(), many) for text, many in sent if text.startswith("insert")
    ]
    assert inserts == [("insert into assessments", True), ("insert into care_plans", True)]
    assert sum(text.startswith("select") and "api_tokens" in text for text, _ in sent) == 1
    assert _count(sessions, AssessmentRecord) == 20
    assert _count(sessions, CarePlanRecord) == 20


def test_a_row_refused_by_the_database_fails_only_its_own_request(
    sessions: sessionmaker[Session], token: str, kb: KnowledgeBase
) -> None:
    """The batch's inserts fail together (a second save of the same assessment id); each
    job then runs alone, so only the duplicate fails and nothing of it is kept."""
    rows = assessments.rows(assess({"age": 70}, kb), kb, "findings", NOW)
    works = [_saving(token, rows), _save(kb, token, {"age": 71}), _saving(token, rows)]
    commits = GroupCommit(sessions)
    outcomes = asyncio.run(_batch_after_hold(commits, works))
    commits.close()
    assert isinstance(outcomes[0], assessments.Saved)
    assert isinstance(outcomes[1], assessments.Saved)
    assert isinstance(outcomes[2], IntegrityError)
    assert _count(sessions, AssessmentRecord) == 2
    assert _count(sessions, CarePlanRecord) == 2


def test_closing_finishes_what_is_queued(
    sessions: sessionmaker[Session], token: str, kb: KnowledgeBase
) -> None:
    commits = GroupCommit(sessions)

    async def main() -> None:
        started, release, hold = _held_open()
        first = asyncio.ensure_future(commits.run(hold))
        await asyncio.to_thread(started.wait, 10)
        queued = [asyncio.ensure_future(commits.run(_save(kb, token, {"age": 60})))]
        await asyncio.sleep(0.05)
        release.set()
        closing = asyncio.to_thread(commits.close)
        await asyncio.gather(first, *queued, closing)

    asyncio.run(main())
    assert _count(sessions, AssessmentRecord) == 1
