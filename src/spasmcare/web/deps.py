"""Annotated dependencies shared by the API and the pages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from spasmcare.errors import AccountError, StorageUnavailableError
from spasmcare.knowledge.base import KnowledgeBase
from spasmcare.knowledge.loader import default_knowledge
from spasmcare.services import accounts
from spasmcare.settings import Settings
from spasmcare.storage.tables import User

SESSION_COOKIE = "spasmcare_session"
CSRF_COOKIE = "spasmcare_csrf"


async def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_db(request: Request) -> Iterator[Session]:
    """A session per request, committed when the request succeeds."""
    factory: sessionmaker[Session] = request.app.state.sessions
    try:
        with factory() as session, session.begin():
            yield session
    except OperationalError as error:
        raise StorageUnavailableError(
            "the database is not reachable right now; please try again shortly"
        ) from error


# Cheap dependencies are async so they run on the event loop, not in a worker thread.
async def get_kb() -> KnowledgeBase:
    return default_knowledge()


async def now() -> datetime:
    return datetime.now(UTC)


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
# scope="function": the transaction commits before the response is sent, so a client that
# got a 201 always finds its data (and a failed commit is an error, not a silent loss).
SessionDep = Annotated[Session, Depends(get_db, scope="function")]
KnowledgeDep = Annotated[KnowledgeBase, Depends(get_kb)]
NowDep = Annotated[datetime, Depends(now)]


def page_user(request: Request, session: SessionDep, moment: NowDep) -> User | None:
    """The person logged in through the browser (session cookie), if any."""
    return accounts.user_for_session(session, request.cookies.get(SESSION_COOKIE), moment)


async def bearer_token(request: Request) -> str | None:
    """The token of `Authorization: Bearer <token>`, if one was sent. The API never reads
    cookies, so a page elsewhere cannot make a browser call it (no CSRF on the API)."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


BearerDep = Annotated[str | None, Depends(bearer_token)]


def token_user(session: Session, token: str | None, moment: datetime) -> User | None:
    """The token's user; None without a token. A token that is wrong or revoked is refused
    (401) rather than silently treated as anonymous."""
    if token is None:
        return None
    user = accounts.user_for_api_token(session, token, moment)
    if user is None:
        raise AccountError("the API token is not valid or was revoked", "authorization", 401)
    return user


def api_user(token: BearerDep, session: SessionDep, moment: NowDep) -> User | None:
    return token_user(session, token, moment)


PageUserDep = Annotated[User | None, Depends(page_user)]
ApiUserDep = Annotated[User | None, Depends(api_user)]
