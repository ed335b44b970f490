"""Sign up, log in and out, and the account page (password, API tokens, export, deletion)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import RedirectResponse

from spasmcare.engine import assess
from spasmcare.errors import AccountError, DiaryImportError, NotFoundError
from spasmcare.knowledge.loader import default_knowledge
from spasmcare.services import accounts, assessments, fhir_records
from spasmcare.services.export import export_user_data
from spasmcare.storage.tables import User
from spasmcare.web.api.documents import download
from spasmcare.web.deps import (
    SESSION_COOKIE,
    KnowledgeDep,
    NowDep,
    PageUserDep,
    SessionDep,
    SettingsDep,
    SignedInDep,
)
from spasmcare.web.pages.check_state import Answers
from spasmcare.web.security import check_csrf, is_https
from spasmcare.web.templating import render
from spasmcare.web.uploads import read_upload
from spasmcare.words import counted

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])
Text = Annotated[str, Form(max_length=1000)]
OptionalText = Annotated[str, Form(max_length=20_000)]

_EMAIL = {"name": "email", "label": "Email", "type": "email", "autocomplete": "email"}


def _fields(*extra: dict[str, str], email: str = "") -> list[dict[str, str]]:
    return [{**_EMAIL, "value": email}, *extra]


def login_form(
    request: Request,
    *,
    state: str = "",
    problem: AccountError | None = None,
    email: str = "",
    next_url: str = "",
) -> Response:
    if state:
        return save_page(request, state, problem, email)
    password = {"name": "password", "label": "Password", "type": "password"}
    return render(
        request,
        "pages/form.html",
        {
            "heading": "Log in",
            "action": "/login",
            "fields": _fields({**password, "autocomplete": "current-password"}, email=email),
            "submit": "Log in",
            "next_url": next_url,
            "after": ("No account yet?", "/signup", "Sign up"),
        },
        problem=problem,
    )


def save_page(
    request: Request, state: str, problem: AccountError | None = None, email: str = ""
) -> Response:
    """Log in or sign up to save the result whose answers wait in `state`."""
    return render(
        request,
        "pages/save.html",
        {
            "state": state,
            "email": email,
            "min_password": accounts.MIN_PASSWORD,
        },
        problem=problem,
    )


def _signup_form(
    request: Request, *, state: str = "", problem: AccountError | None = None, email: str = ""
) -> Response:
    if state:
        return save_page(request, state, problem, email)
    return render(
        request,
        "pages/form.html",
        {
            "heading": "Sign up",
            "intro": "An account keeps your assessments so you can look back at them. "
            "You can download or delete everything at any time.",
            "action": "/signup",
            "fields": _fields(
                {
                    "name": "password",
                    "label": "Password",
                    "type": "password",
                    "autocomplete": "new-password",
                    "hint": f"At least {accounts.MIN_PASSWORD} characters.",
                },
                email=email,
            ),
            "submit": "Create my account",
            "after": ("Already have an account?", "/login", "Log in"),
        },
        problem=problem,
    )


def _logged_in(
    request: Request, user: User, settings: SettingsDep, session: SessionDep, now: NowDep, to: str
) -> Response:
    token = accounts.start_session(session, user, settings, now)
    response = RedirectResponse(to, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.session_days * 86400,
        httponly=True,
        samesite="lax",
        secure=is_https(request),
        path="/",
    )
    return response


def _safe_next(url: str) -> str:
    """Only a path on this site (no open redirects)."""
    return url if url.startswith("/") and not url.startswith("//") and "\\" not in url else ""


def _save_waiting(session: SessionDep, user: User, state: str, now: NowDep) -> str | None:
    """Save a result that waited in the login or sign-up form; returns where to go."""
    if not state:
        return None
    kb = default_knowledge()
    answers = Answers.decode(state, kb)
    record = assessments.save(session, user.id, assess(answers.answers, kb), kb, "interview", now)
    return f"/assessments/{record.id}?saved=1"


@router.get("/signup")
def signup_page(request: Request, user: PageUserDep) -> Response:
    if user is not None:
        return RedirectResponse("/account", status_code=303)
    return _signup_form(request)


@router.post("/signup")
async def signup(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    email: Text = "",
    password: Text = "",
    state: OptionalText = "",
) -> Response:
    try:
        user = accounts.sign_up(session, email, password)
    except AccountError as problem:
        return _signup_form(request, state=state, problem=problem, email=email)
    to = _save_waiting(session, user, state, now) or "/check?welcome=1"
    return _logged_in(request, user, settings, session, now, to)


@router.get("/login")
def login_page(request: Request, user: PageUserDep, next: str = "") -> Response:
    if user is not None:
        return RedirectResponse(_safe_next(next) or "/assessments", status_code=303)
    return login_form(request, next_url=_safe_next(next))


@router.post("/login")
async def login(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    email: Text = "",
    password: Text = "",
    state: OptionalText = "",
    next: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    client = request.client.host if request.client else "unknown"
    try:
        user = accounts.log_in(session, email, password, client, settings, now)
    except AccountError as problem:
        # Returning (not raising) keeps the transaction, so the failed attempt is counted.
        return login_form(request, state=state, problem=problem, email=email, next_url=next)
    to = _save_waiting(session, user, state, now) or _safe_next(next) or "/assessments"
    return _logged_in(request, user, settings, session, now, to)


@router.post("/logout")
async def logout(request: Request, session: SessionDep) -> Response:
    accounts.end_session(session, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _account_page(
    request: Request,
    session: SessionDep,
    user: User,
    *,
    message: str | None = None,
    problem: AccountError | None = None,
    new_token: str | None = None,
) -> Response:
    context: dict[str, Any] = {
        "user": user,
        "tokens": accounts.list_api_tokens(session, user),
        "message": message,
        "new_token": new_token,
    }
    return render(request, "pages/account.html", context, problem=problem)


@router.get("/account")
def account(request: Request, session: SessionDep, owner: SignedInDep) -> Response:
    return _account_page(request, session, owner)


@router.post("/account/password")
async def change_password(
    request: Request,
    session: SessionDep,
    owner: SignedInDep,
    current_password: Text,
    new_password: Text,
) -> Response:
    try:
        accounts.change_password(
            session, owner, current_password, new_password, request.cookies.get(SESSION_COOKIE)
        )
    except AccountError as problem:
        return _account_page(request, session, owner, problem=problem)
    return _account_page(
        request,
        session,
        owner,
        message="Password changed. Other devices were logged out; API tokens keep working "
        "until you revoke them below.",
    )


@router.post("/account/tokens")
async def create_token(
    request: Request, session: SessionDep, owner: SignedInDep, name: Annotated[str, Form()]
) -> Response:
    try:
        token = accounts.create_api_token(session, owner, name)
    except AccountError as problem:
        return _account_page(request, session, owner, problem=problem)
    return _account_page(request, session, owner, new_token=token.token)


@router.post("/account/tokens/{token_id}/delete")
async def revoke_token(token_id: str, session: SessionDep, owner: SignedInDep) -> Response:
    if not accounts.revoke_api_token(session, owner, token_id):
        raise NotFoundError("token")
    return RedirectResponse("/account", status_code=303)


@router.get("/account/export")
def export(session: SessionDep, owner: SignedInDep, now: NowDep) -> Response:
    data = export_user_data(session, owner, now)
    return download(
        json.dumps(data, indent=2, ensure_ascii=False), "application/json", "spasmcare-my-data.json"
    )


@router.get("/account/export.fhir.json")
def export_fhir(session: SessionDep, owner: SignedInDep, kb: KnowledgeDep, now: NowDep) -> Response:
    bundle = fhir_records.export_bundle(session, owner, kb, now)
    text = json.dumps(bundle, indent=2, ensure_ascii=False)
    return download(text, "application/fhir+json", "spasmcare-fhir-bundle.json")


@router.post("/account/import-fhir")
async def import_fhir(
    request: Request, session: SessionDep, owner: SignedInDep, kb: KnowledgeDep, now: NowDep
) -> Response:
    """A FHIR export from another SpasmCare server, into this new account."""
    form = await request.form()
    try:
        _name, raw = await read_upload(form, "file", 20_000_000, "a FHIR Bundle file")
        try:
            bundle = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise AccountError("the file is not JSON", "file", 422) from None
        counts = fhir_records.import_bundle(session, owner, bundle, kb, now)
    except (AccountError, DiaryImportError) as problem:
        status = problem.status if isinstance(problem, AccountError) else 422
        return render(
            request,
            "pages/message.html",
            {"user": owner, "heading": "Nothing was imported", "message": problem.message},
            status,
        )
    return render(
        request,
        "pages/message.html",
        {
            "user": owner,
            "heading": "Imported",
            "message": f"{counted(counts['assessments'], 'assessment')}, "
            f"{counted(counts['episodes'], 'spasm')} and {counted(counts['checkins'], 'check-in')} "
            "were added to your account.",
            "link": ("/assessments", "See my assessments"),
        },
    )


@router.post("/account/delete")
async def delete_account(
    request: Request,
    session: SessionDep,
    owner: SignedInDep,
    confirm: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    if confirm.strip() != "DELETE":
        problem = AccountError("type DELETE (in capitals) to confirm", "confirm", 422)
        return _account_page(request, session, owner, problem=problem)
    accounts.delete_account(session, owner)
    response = render(
        request,
        "pages/message.html",
        {
            "heading": "Your account is deleted",
            "message": "Your account and everything saved with it have been removed.",
            "link": ("/", "Back to the home page"),
        },
    )
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
