"""Accounts: sign up, log in and out, sessions, password changes, API tokens, deletion."""

from __future__ import annotations

import functools
import gzip
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import resources
from typing import Any, cast

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Executable, Row, bindparam, delete, func, select, update
from sqlalchemy.orm import Session

from spasmcare.errors import AccountError, TooManyAttemptsError
from spasmcare.settings import Settings
from spasmcare.storage.database import forget_after_commit
from spasmcare.storage.tables import ApiToken, LoginAttempt, User, WebSession

_HASHER = PasswordHasher()  # Argon2id with the library's current recommended parameters
_DUMMY = _HASHER.hash("a password nobody uses for anything")  # for timing-safe unknown users
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
MIN_PASSWORD = 10
_LAST_USED_EVERY = timedelta(minutes=5)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email: str) -> str:
    cleaned = email.strip().lower()
    if not _EMAIL.match(cleaned) or len(cleaned) > 254:
        raise AccountError("enter a valid email address, like name@example.com", "email")
    return cleaned


@functools.cache
def _common_passwords() -> frozenset[str]:
    """Passwords seen most often in breaches (a bundled list; see services/data/README.md)."""
    raw = (resources.files("spasmcare.services") / "data" / "common-passwords.txt.gz").read_bytes()
    return frozenset(gzip.decompress(raw).decode().split())


def check_password(password: str, email: str | None = None, field: str = "password") -> None:
    """Long enough, not one of the most common breached passwords, not the email."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"use a password of at least {MIN_PASSWORD} characters", field)
    if len(password) > 1000:
        raise AccountError("that password is too long (1000 characters at most)", field)
    lowered = password.strip().lower()
    if lowered in _common_passwords():
        raise AccountError(
            "that password is on the list of the most common breached passwords; choose another",
            field,
        )
    if email and lowered in (email.strip().lower(), email.strip().lower().split("@")[0]):
        raise AccountError("do not use your email address as the password", field)


def sign_up(session: Session, email: str, password: str) -> User:
    address = normalise_email(email)
    check_password(password, address)
    if session.scalar(select(User.id).where(User.email == address)) is not None:
        raise AccountError(
            "an account with this email already exists; log in instead", "email", 409
        )
    user = User(email=address, password_hash=_HASHER.hash(password))
    session.add(user)
    session.flush()
    return user


def log_in(
    session: Session, email: str, password: str, client: str, settings: Settings, now: datetime
) -> User:
    """Check the password, slowing down guessing: after `login_attempts` failures for an
    account (or ten times that from one address) within the window, refuse for a while."""
    address = email.strip().lower()
    window = timedelta(minutes=settings.login_window_minutes)
    since = now - window
    for key, limit in (
        (f"email:{address}", settings.login_attempts),
        (f"ip:{client}", settings.login_attempts * 10),
    ):
        failures = session.scalar(
            select(func.count())
            .select_from(LoginAttempt)
            .where(LoginAttempt.key == key, LoginAttempt.at >= since)
        )
        if failures is not None and failures >= limit:
            raise TooManyAttemptsError(int(window.total_seconds()))
    user = session.scalar(select(User).where(User.email == address))
    valid = False
    try:
        # Verify against a dummy hash when there is no such user, so timing does not tell.
        valid = _HASHER.verify(user.password_hash if user else _DUMMY, password)
    except (VerificationError, InvalidHashError):
        valid = False
    if not valid or user is None:
        session.add_all(
            [LoginAttempt(key=f"email:{address}", at=now), LoginAttempt(key=f"ip:{client}", at=now)]
        )
        raise AccountError("that email and password do not match an account", "password", 401)
    session.execute(delete(LoginAttempt).where(LoginAttempt.key == f"email:{address}"))
    if _HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = _HASHER.hash(password)
    return user


def start_session(session: Session, user: User, settings: Settings, now: datetime) -> str:
    """A new login; returns the cookie token (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    session.add(
        WebSession(
            token_hash=_digest(token),
            user_id=user.id,
            expires_at=now + timedelta(days=settings.session_days),
        )
    )
    return token


def user_for_session(session: Session, token: str | None, now: datetime) -> User | None:
    if not token:
        return None
    login = session.get(WebSession, _digest(token))
    if login is None or login.expires_at <= now:
        return None
    return session.get(User, login.user_id)


def end_session(session: Session, token: str | None) -> None:
    if token:
        session.execute(delete(WebSession).where(WebSession.token_hash == _digest(token)))


def change_password(
    session: Session, user: User, current: str, new: str, keep_token: str | None
) -> None:
    """Change the password and log out every other session (a stolen session stops working)."""
    try:
        _HASHER.verify(user.password_hash, current)
    except (VerificationError, InvalidHashError):
        raise AccountError("the current password is not right", "current_password", 401) from None
    check_password(new, user.email, "new_password")
    user.password_hash = _HASHER.hash(new)
    keep = _digest(keep_token) if keep_token else ""
    session.execute(
        delete(WebSession).where(WebSession.user_id == user.id, WebSession.token_hash != keep)
    )


def delete_account(session: Session, user: User) -> None:
    """Remove the user and, by cascade, every row that belongs to them; ask for the SQLite
    WAL to be emptied after the commit so no old copy of their pages stays readable."""
    session.delete(user)
    session.flush()
    forget_after_commit(session)


@dataclass(frozen=True)
class NewToken:
    id: str
    name: str
    token: str  # shown once


def create_api_token(session: Session, user: User, name: str) -> NewToken:
    label = name.strip()
    if not 1 <= len(label) <= 100:
        raise AccountError("give the token a name of 1 to 100 characters", "name")
    token = "sc_" + secrets.token_urlsafe(32)
    record = ApiToken(user_id=user.id, name=label, token_hash=_digest(token))
    session.add(record)
    session.flush()
    return NewToken(record.id, label, token)


_BY_DIGEST = ApiToken.token_hash == bindparam("digest")
_TOKEN_OWNER = select(ApiToken.id, ApiToken.last_used_at, ApiToken.user_id).where(_BY_DIGEST)
_TOKEN_USER = (
    select(ApiToken.id, ApiToken.last_used_at, User)
    .join(User, User.id == ApiToken.user_id)
    .where(_BY_DIGEST)
)


def api_token_owner(session: Session, token: str, now: datetime) -> str | None:
    """The id of the token's owner, or None for a token that is wrong or revoked. Plain SQL
    and no ORM objects: this runs on every assessment an API client saves."""
    found = _used_token(session, _TOKEN_OWNER, token, now)
    return None if found is None else str(found.user_id)


def user_for_api_token(session: Session, token: str, now: datetime) -> User | None:
    """The token's owner, in the same round trip as the token."""
    found = _used_token(session, _TOKEN_USER, token, now)
    return None if found is None else cast(User, found.User)


def _used_token(session: Session, query: Executable, token: str, now: datetime) -> Row[Any] | None:
    found = session.execute(query, {"digest": _digest(token)}).one_or_none()
    # Noted at most every few minutes: a write on every request would cost more than it tells.
    if found is not None and (
        found.last_used_at is None or now - found.last_used_at > _LAST_USED_EVERY
    ):
        session.execute(update(ApiToken).where(ApiToken.id == found.id).values(last_used_at=now))
    return found


def revoke_api_token(session: Session, user: User, token_id: str) -> bool:
    result = session.execute(
        delete(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id)
    )
    return bool(getattr(result, "rowcount", 0))


def list_api_tokens(session: Session, user: User) -> list[ApiToken]:
    return list(
        session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at)
        )
    )


LOCAL_EMAIL = "local@spasmcare.invalid"  # .invalid never resolves: no one can sign up as it


def local_user(session: Session) -> User:
    """The one person of a local, single-user install (the CLI diary): no password can log
    in as them ("!" is not a valid hash)."""
    user = session.scalar(select(User).where(User.email == LOCAL_EMAIL))
    if user is None:
        from spasmcare.diary.records import system_zone

        user = User(email=LOCAL_EMAIL, password_hash="!", timezone=system_zone())
        session.add(user)
        session.flush()
    return user
