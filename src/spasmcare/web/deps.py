"""Annotated dependencies shared by the API and the pages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated, TypeVar

import anyio
from anyio import to_thread
from fastapi import Depends, Request
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from spasmcare.errors import AccountError, StorageUnavailableError
from spasmcare.knowledge.base import KnowledgeBase
from spasmcare.knowledge.loader import default_knowledge
from spasmcare.services import accounts
from spasmcare.settings import Settings
from spasmcare.storage.database import WIPE_AFTER_COMMIT, storage_problem, wipe_sqlite_wal
from spasmcare.storage.group_commit import GroupCommit
from spasmcare.storage.tables import User

T = TypeVar("T")
SESSION_COOKIE = "spasmcare_session"
CSRF_COOKIE = "spasmcare_csrf"


async def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


# Commits and closes run in threads of their own. Were they to queue for the request
# threads, a request holding SQLite's one connection could wait for a thread while every
# thread waits for that connection: a deadlock (found by the soak test).
_FINISHERS = anyio.CapacityLimiter(16)


def _finish(session: Session) -> None:
    session.commit()
    if session.info.get(WIPE_AFTER_COMMIT):
        wipe_sqlite_wal(session.get_bind())  # type: ignore[arg-type]


async def get_db(request: Request) -> AsyncIterator[Session]:
    """A session per request, committed when the request succeeds (before the response is
    sent: see SessionDep), rolled back otherwise."""
    factory: sessionmaker[Session] = request.app.state.sessions
    session = factory()
    try:
        yield session
        if _touched(session):
            await to_thread.run_sync(_finish, session, limiter=_FINISHERS)
    except OperationalError as error:
        await to_thread.run_sync(session.rollback, limiter=_FINISHERS)
        raise StorageUnavailableError(storage_problem(error)) from error
    except BaseException:
        await to_thread.run_sync(session.rollback, limiter=_FINISHERS)
        raise
    finally:
        if _touched(session):
            await to_thread.run_sync(session.close, limiter=_FINISHERS)
        else:
            session.close()  # nothing to release: no thread hop for requests that stored nothing


def _touched(session: Session) -> bool:
    """Whether the request began a transaction or left objects to flush."""
    return session.in_transaction() or bool(session.new or session.dirty or session.deleted)


# Cheap dependencies are async so they run on the event loop, not in a worker thread.
async def get_kb() -> KnowledgeBase:
    return default_knowledge()


async def now() -> datetime:
    return datetime.now(UTC)


async def get_group_commit(request: Request) -> GroupCommit:
    commits: GroupCommit = request.app.state.group_commit
    return commits


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
GroupCommitDep = Annotated[GroupCommit, Depends(get_group_commit)]
# scope="function": the transaction commits before the response is sent, so a client that
# got a 201 always finds its data (and a failed commit is an error, not a silent loss).
SessionDep = Annotated[Session, Depends(get_db, scope="function")]
KnowledgeDep = Annotated[KnowledgeBase, Depends(get_kb)]
NowDep = Annotated[datetime, Depends(now)]


def _released(session: Session, user: User | None) -> User | None:
    """End the lookup's short transaction here, in this thread: holding the connection
    (SQLite has one) while this request waits for a thread to run its endpoint could
    leave every thread waiting for that connection."""
    session.commit()
    return user


def page_user(request: Request, session: SessionDep, moment: NowDep) -> User | None:
    """The person logged in through the browser (session cookie), if any."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None  # no database call at all
    return _released(session, accounts.user_for_session(session, token, moment))


async def bearer_token(request: Request) -> str | None:
    """The token of `Authorization: Bearer <token>`, if one was sent. The API never reads
    cookies, so a page elsewhere cannot make a browser call it (no CSRF on the API)."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


BearerDep = Annotated[str | None, Depends(bearer_token)]


def token_owner(session: Session, token: str, moment: datetime) -> str:
    """The id of the token's owner (see token_user)."""
    return _accepted(accounts.api_token_owner(session, token, moment))


def token_user(session: Session, token: str | None, moment: datetime) -> User | None:
    """The token's user; None without a token. A token that is wrong or revoked is refused
    (401) rather than silently treated as anonymous."""
    if token is None:
        return None
    return _accepted(accounts.user_for_api_token(session, token, moment))


def _accepted(owner: T | None) -> T:
    if owner is None:
        raise AccountError("the API token is not valid or was revoked", "authorization", 401)
    return owner


def api_user(token: BearerDep, session: SessionDep, moment: NowDep) -> User | None:
    if token is None:
        return None
    return _released(session, token_user(session, token, moment))


PageUserDep = Annotated[User | None, Depends(page_user)]


class LoginRequired(Exception):
    """A page that needs a login; the app redirects to the login page and back."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


def signed_in(request: Request, user: PageUserDep) -> User:
    """The person logged in; anyone else is sent to the login page and back."""
    if user is None:
        raise LoginRequired(request.url.path)
    return user


SignedInDep = Annotated[User, Depends(signed_in)]
ApiUserDep = Annotated[User | None, Depends(api_user)]
