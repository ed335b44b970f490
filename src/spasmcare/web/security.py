"""Security for the pages: CSRF (double-submit cookie) and response headers."""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from spasmcare.errors import AccountError
from spasmcare.web.deps import CSRF_COOKIE

_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def csrf_token(request: Request) -> str:
    """The token to put in forms: the browser's CSRF cookie, or a new one (set by the
    middleware on the way out)."""
    token = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf", None)
    if token is None:
        token = secrets.token_urlsafe(24)
        request.state.new_csrf = token
    return token


_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def check_csrf(request: Request) -> None:
    """Every state-changing page request must echo the CSRF cookie in a form field or the
    X-CSRF-Token header. A dependency of every page router, so it runs before the form is
    validated and no route can forget it."""
    if request.method in _SAFE_METHODS:
        return
    cookie = request.cookies.get(CSRF_COOKIE, "")
    sent = request.headers.get("x-csrf-token", "")
    if not sent:
        form = await request.form()
        field = form.get("csrf_token")
        sent = field if isinstance(field, str) else ""
    if not cookie or not sent or not hmac.compare_digest(cookie, sent):
        raise AccountError(
            "this form has expired; reload the page and try again", "csrf_token", 403
        )


def is_https(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"


class SecurityHeaders:
    """Pure ASGI middleware (cheaper than BaseHTTPMiddleware on every request): security
    headers on every response, and the CSRF cookie when a page handed out a new token."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = scope.get("scheme") == "https" or (b"x-forwarded-proto", b"https") in scope.get(
            "headers", []
        )

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", _CSP)
                headers["X-Content-Type-Options"] = "nosniff"
                headers["X-Frame-Options"] = "DENY"
                headers["Referrer-Policy"] = "same-origin"
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
                if https:
                    headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
                new = scope.get("state", {}).get("new_csrf")
                if new:
                    secure = "; Secure" if https else ""
                    headers.append(
                        "set-cookie", f"{CSRF_COOKIE}={new}; HttpOnly; Path=/; SameSite=lax{secure}"
                    )
            await send(message)

        await self.app(scope, receive, send_with_headers)
