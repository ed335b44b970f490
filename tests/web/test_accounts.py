"""Accounts through the pages, on real SQLite and PostgreSQL: sign up, log in and out, CSRF,
rate limiting, password change, export and deletion with all data."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from spasmcare.settings import Settings
from spasmcare.storage.database import engine_for, session_factory
from spasmcare.storage.tables import (
    ApiToken,
    AssessmentRecord,
    CarePlanRecord,
    CheckInRecord,
    EpisodeRecord,
    User,
    WebSession,
)
from spasmcare.web.app import create_app
from tests.web.conftest import PASSWORD, STRAIN, api_token, csrf, sign_up


def _count(settings: Settings, table: type) -> int:
    with session_factory(engine_for(settings.resolved_database_url()))() as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


def _log_in(client: TestClient, email: str, password: str = PASSWORD) -> int:
    response = client.post(
        "/login",
        data={"csrf_token": csrf(client), "email": email, "password": password},
        follow_redirects=False,
    )
    return response.status_code


def test_sign_up_sets_a_safe_session_cookie_and_stores_only_a_hash(
    client: TestClient, app_settings: Settings
) -> None:
    response = client.post(
        "/signup",
        data={"csrf_token": csrf(client), "email": " Ana@Example.com ", "password": PASSWORD},
        follow_redirects=False,
    )
    assert response.status_code == 303
    cookie = response.headers["set-cookie"]
    assert "spasmcare_session=" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie.replace("Lax", "lax")
    with session_factory(engine_for(app_settings.resolved_database_url()))() as session:
        user = session.scalars(select(User)).one()
        assert user.email == "ana@example.com"
        assert user.password_hash.startswith("$argon2id$")
        token = client.cookies.get("spasmcare_session")
        assert token is not None
        assert session.get(WebSession, token) is None  # only the SHA-256 is kept
    assert "ana@example.com" in client.get("/account").text
    welcome = client.get(response.headers["location"]).text
    assert "your account is ready" in welcome
    client.cookies.clear()  # signed out, the same address greets no one
    assert "your account is ready" not in client.get(response.headers["location"]).text


def test_sign_up_problems_are_named_and_nothing_is_created(
    client: TestClient, app_settings: Settings
) -> None:
    short = client.post(
        "/signup", data={"csrf_token": csrf(client), "email": "a@example.com", "password": "short"}
    )
    assert short.status_code == 400
    assert "at least 10 characters" in short.text
    bad = client.post(
        "/signup", data={"csrf_token": csrf(client), "email": "not-an-email", "password": PASSWORD}
    )
    assert "valid email" in bad.text
    assert _count(app_settings, User) == 0
    sign_up(client, "a@example.com")
    client.cookies.delete("spasmcare_session")
    twice = client.post(
        "/signup", data={"csrf_token": csrf(client), "email": "A@example.com", "password": PASSWORD}
    )
    assert twice.status_code == 409
    assert _count(app_settings, User) == 1


def test_every_form_needs_the_csrf_token(client: TestClient, app_settings: Settings) -> None:
    client.get("/")
    for path, data in (
        ("/signup", {"email": "x@example.com", "password": PASSWORD}),
        ("/login", {"email": "x@example.com", "password": PASSWORD}),
        ("/check/start", {"story": "my back hurts"}),
        ("/ask", {"question": "heat or ice?"}),
    ):
        missing = client.post(path, data=data)
        assert missing.status_code == 403, path
        forged = client.post(path, data={**data, "csrf_token": "forged"})
        assert forged.status_code == 403, path
    assert _count(app_settings, User) == 0


def test_log_out_and_in_again(client: TestClient) -> None:
    sign_up(client, "cy@example.com")
    logout = client.post("/logout", data={"csrf_token": csrf(client)}, follow_redirects=False)
    assert logout.status_code == 303
    assert (
        client.get("/account", follow_redirects=False).headers["location"] == "/login?next=/account"
    )
    assert _log_in(client, "cy@example.com", "wrong password!") == 401
    assert _log_in(client, "cy@example.com") == 303
    assert client.get("/account").status_code == 200


def test_login_is_rate_limited_per_account(client: TestClient, app_settings: Settings) -> None:
    sign_up(client, "dee@example.com")
    client.cookies.delete("spasmcare_session")
    for _ in range(app_settings.login_attempts):
        assert _log_in(client, "dee@example.com", "guess guess guess") == 401
    # Even the right password waits now: guessing cannot continue.
    assert _log_in(client, "dee@example.com") == 429
    page = client.post(
        "/login",
        data={"csrf_token": csrf(client), "email": "dee@example.com", "password": PASSWORD},
    )
    assert "too many failed logins" in page.text


def test_changing_the_password_logs_out_other_devices(
    client: TestClient, app_settings: Settings
) -> None:
    sign_up(client, "eve@example.com")
    with TestClient(create_app(app_settings)) as phone:
        assert _log_in(phone, "eve@example.com") == 303
        assert phone.get("/account").status_code == 200
        wrong = client.post(
            "/account/password",
            data={
                "csrf_token": csrf(client),
                "current_password": "nope nope nope",
                "new_password": "a new long password",
            },
        )
        assert wrong.status_code == 401
        changed = client.post(
            "/account/password",
            data={
                "csrf_token": csrf(client),
                "current_password": PASSWORD,
                "new_password": "a new long password",
            },
        )
        assert "Password changed" in changed.text and "API tokens keep working" in changed.text
        assert client.get("/account").status_code == 200  # this device stays in
        assert phone.get("/account", follow_redirects=False).status_code == 303
        assert _log_in(phone, "eve@example.com") == 401
        assert _log_in(phone, "eve@example.com", "a new long password") == 303


def test_export_holds_all_of_ones_data(client: TestClient) -> None:
    sign_up(client, "fay@example.com")
    token = api_token(client)
    client.post(
        "/api/v1/assessments",
        json={"findings": STRAIN},
        headers={"Authorization": f"Bearer {token}"},
    )
    response = client.get("/account/export")
    assert "attachment" in response.headers["content-disposition"]
    data = json.loads(response.text)
    assert data["account"]["email"] == "fay@example.com"
    assert len(data["assessments"]) == 1
    assert data["assessments"][0]["findings"]["trigger_lifting"] is True
    assert data["assessments"][0]["care_plan"]["phases"]
    assert "password_hash" not in response.text
    assert data["diary"]["format"] == "spasmcare-diary/1"


def test_deleting_the_account_removes_every_row_of_it(
    client: TestClient, app_settings: Settings
) -> None:
    sign_up(client, "gus@example.com")
    token = api_token(client)
    headers = {"Authorization": f"Bearer {token}"}
    client.post("/api/v1/assessments", json={"findings": STRAIN}, headers=headers)
    client.post("/api/v1/interviews", json={}, headers=headers)
    client.post(
        "/diary/episodes",
        data={"csrf_token": csrf(client), "locations": "mid", "intensity": "5"},
    )
    client.put(
        "/api/v1/diary/checkins/2026-01-05",
        json={"local_date": "2026-01-05", "pain_average": 3},
        headers=headers,
    )
    assert _count(app_settings, EpisodeRecord) == 1
    with TestClient(create_app(app_settings)) as other:
        sign_up(other, "hal@example.com")
        other_token = api_token(other)
        other.post(
            "/api/v1/assessments",
            json={"findings": STRAIN},
            headers={"Authorization": f"Bearer {other_token}"},
        )
    refused = client.post("/account/delete", data={"csrf_token": csrf(client), "confirm": "yes"})
    assert refused.status_code == 422
    assert _count(app_settings, User) == 2
    done = client.post("/account/delete", data={"csrf_token": csrf(client), "confirm": "DELETE"})
    assert "deleted" in done.text
    assert _count(app_settings, User) == 1
    assert _count(app_settings, AssessmentRecord) == 1  # only the other person's
    assert _count(app_settings, CarePlanRecord) == 1
    assert _count(app_settings, ApiToken) == 1
    assert _count(app_settings, WebSession) == 1
    assert _count(app_settings, EpisodeRecord) == 0
    assert _count(app_settings, CheckInRecord) == 0
    assert client.get("/api/v1/assessments", headers=headers).status_code == 401
    assert _log_in(client, "gus@example.com") == 401


def test_login_redirects_only_within_the_site(client: TestClient) -> None:
    sign_up(client, "ivy@example.com")
    client.cookies.delete("spasmcare_session")
    for target, expected in (
        ("/assessments", "/assessments"),
        ("//evil.example", "/assessments"),
        ("https://evil.example", "/assessments"),
    ):
        response = client.post(
            "/login",
            data={
                "csrf_token": csrf(client),
                "email": "ivy@example.com",
                "password": PASSWORD,
                "next": target,
            },
            follow_redirects=False,
        )
        assert response.headers["location"] == expected


def test_common_breached_passwords_and_the_email_are_refused(client: TestClient) -> None:
    for password, message in (
        ("password123", "most common breached passwords"),
        ("qwertyuiop", "most common breached passwords"),
        ("juniper.moss@example.com", "email address"),
    ):
        response = client.post(
            "/signup",
            data={
                "csrf_token": csrf(client),
                "email": "juniper.moss@example.com",
                "password": password,
            },
        )
        assert response.status_code == 400, password
        assert message in response.text
