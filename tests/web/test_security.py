"""Security, generated from the app's own route table where it can be: every route against
every role and someone else's resources, CSRF on every form, sessions, headers, and what an
account deletion leaves behind."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import func, inspect, select, text

from spasmcare.settings import Settings
from spasmcare.storage.database import engine_for, session_factory
from spasmcare.storage.tables import Base
from spasmcare.web.api import assessments as assessments_api
from spasmcare.web.api import diary as diary_api
from spasmcare.web.api import fhir as fhir_api
from spasmcare.web.api import interviews as interviews_api
from spasmcare.web.api import knowledge as knowledge_api
from spasmcare.web.app import API, create_app
from spasmcare.web.pages import accounts, check, clinics, diary, history, site
from tests.web.conftest import STRAIN, api_token, csrf, sign_up

SECRET = "OWNER-SECRET-NOTE-7f3a"  # written in the owner's records; must never leak

PAGES = [site.router, check.router, history.router, diary.router, clinics.router, accounts.router]
APIS = [
    assessments_api.router,
    assessments_api.care_plans,
    interviews_api.router,
    knowledge_api.router,
    diary_api.router,
]
# Path parameters that name one person's own records, and those that name a clinic's.
OWNED = {"assessment_id", "interview_id", "episode_id", "local_date", "day", "token_id",
         "request_id"}  # fmt: skip
CLINIC = {"clinic_id"}


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # with {placeholders}
    page: bool

    @property
    def params(self) -> set[str]:
        return set(re.findall(r"{(\w+)}", self.path))


def route_table() -> list[Route]:
    """Every route of the app: the pages and the API, from the routers themselves."""
    table = []
    for router in PAGES:
        for route in router.routes:
            assert isinstance(route, APIRoute)
            table += [Route(m, route.path, True) for m in route.methods]
    for router in APIS:
        for route in router.routes:
            assert isinstance(route, APIRoute)
            table += [Route(m, API + route.path, False) for m in route.methods]
    for route in fhir_api.router.routes:
        assert isinstance(route, APIRoute)
        table += [Route(m, route.path, False) for m in route.methods]
    return table


def test_the_table_covers_every_documented_operation(client: TestClient) -> None:
    documented = {
        (method.upper(), path)
        for path, operations in client.get(f"{API}/openapi.json").json()["paths"].items()
        for method in operations
    }
    generated = {(r.method, r.path) for r in route_table()}
    operational = {("GET", "/healthz"), ("GET", "/readyz")}
    assert documented - operational <= generated


@dataclass
class World:
    owner: TestClient
    owner_token: str
    stranger: TestClient
    stranger_token: str
    staff: TestClient  # admin of the clinic the owner sends a request to
    other_staff: TestClient  # admin of another clinic
    anonymous: TestClient
    values: dict[str, str]


@pytest.fixture
def world(app_settings: Settings) -> Iterator[World]:
    clients = [TestClient(create_app(app_settings)) for _ in range(5)]
    for client in clients:
        client.__enter__()
    owner, stranger, staff, other_staff, anonymous = clients
    for client, email in zip(clients[:4], ("owner", "stranger", "staff", "other"), strict=True):
        sign_up(client, f"{email}@example.com")
    owner_token, stranger_token = api_token(owner), api_token(stranger)
    auth = {"Authorization": f"Bearer {owner_token}"}
    assessment = owner.post(f"{API}/assessments", json={"findings": STRAIN}, headers=auth).json()[
        "id"
    ]
    interview = owner.post(f"{API}/interviews", json={}, headers=auth).json()["id"]
    episode = owner.post(
        f"{API}/diary/episodes",
        json={"started_at": "2026-03-01T09:00:00+00:00", "locations": ["mid"], "intensity": 5,
              "notes": SECRET},
        headers=auth,
    ).json()["id"]  # fmt: skip
    owner.put(
        f"{API}/diary/checkins/2026-03-01",
        json={"local_date": "2026-03-01", "pain_average": 3, "note": SECRET},
        headers=auth,
    )
    token_id = re.search(r"/account/tokens/([\w-]+)/delete", owner.get("/account").text)
    clinic = staff.post("/clinics", data={"csrf_token": csrf(staff), "name": "Own Clinic"},
                        follow_redirects=False).headers["location"].rsplit("/", 1)[-1]  # fmt: skip
    other_staff.post("/clinics", data={"csrf_token": csrf(other_staff), "name": "Other Clinic"})
    sent = owner.post(
        f"/assessments/{assessment}/requests",
        data={"csrf_token": csrf(owner), "clinic_id": clinic, "contact_name": SECRET,
              "contact_phone": "0100", "share_diary": "yes", "diary_from": "2026-02-01",
              "diary_to": "2026-03-31"},
        follow_redirects=False,
    )  # fmt: skip
    invitation = staff.post(f"/clinics/{clinic}/invitations", data={"csrf_token": csrf(staff)})
    link = re.search(r"/invitations/([\w-]+)", invitation.text)
    assert token_id and link
    values = {
        "assessment_id": assessment,
        "interview_id": interview,
        "episode_id": episode,
        "local_date": "2026-03-01",
        "day": "2026-03-01",
        "token_id": token_id.group(1),
        "request_id": sent.headers["location"].split("/")[-1].split("?")[0],
        "clinic_id": clinic,
        "article_id": "heat-or-ice",
        "token": link.group(1),
        "kind": "pdf",
        "name": "pain",
    }
    yield World(owner, owner_token, stranger, stranger_token, staff, other_staff, anonymous, values)
    for client in clients:
        client.__exit__(None, None, None)


def _call(client: TestClient, route: Route, values: dict[str, str], token: str | None) -> object:
    path = route.path
    for name in route.params:
        path = path.replace("{" + name + "}", values[name])
    headers = {"Authorization": f"Bearer {token}"} if token and not route.page else {}
    if route.method == "GET":
        return client.get(path, headers=headers, follow_redirects=False)
    data = {"csrf_token": csrf(client)} if route.page else None
    return client.request(
        route.method, path, data=data, json=None if route.page else {}, headers=headers,
        follow_redirects=False,
    )  # fmt: skip


def _owner_data_intact(world: World) -> None:
    auth = {"Authorization": f"Bearer {world.owner_token}"}
    values = world.values
    assert (
        world.owner.get(f"{API}/assessments/{values['assessment_id']}", headers=auth).status_code
        == 200
    )
    assert (
        world.owner.get(f"{API}/diary/episodes/{values['episode_id']}", headers=auth).status_code
        == 200
    )
    assert world.owner.get(f"{API}/diary/checkins/2026-03-01", headers=auth).status_code == 200
    assert "Waiting for the clinic" in world.owner.get(f"/requests/{values['request_id']}").text


def test_every_route_against_every_role(world: World) -> None:
    """Someone else's records are never reachable: a stranger, the staff of another clinic
    and anonymous visitors get 404, 401, 403, 422 or the login page, never the data; the
    clinic's own staff reach only the clinic's routes; nothing of the owner's changes."""
    # The account-level routes that act on "me" (logout, delete, ...) are exercised by
    # their own tests; here they would end the very sessions the matrix needs.
    skip = {"/logout", "/account/delete", "/account/password", "/signup", "/login",
            "/invitations/{token}", "/account/import-fhir", "/fhir/Bundle/$import"}  # fmt: skip
    checked = 0
    for route in route_table():
        if route.path in skip or not (route.params & (OWNED | CLINIC)):
            continue
        outsiders = [(world.stranger, world.stranger_token), (world.anonymous, None)]
        if route.params & OWNED and not route.path.startswith("/clinics"):
            outsiders.append((world.staff, None))  # staff are not the patient
        if route.params & CLINIC:
            outsiders.append((world.other_staff, None))
            outsiders.append((world.owner, world.owner_token))  # a patient is not staff
        for client, token in outsiders:
            response = _call(client, route, world.values, token)
            status = response.status_code  # type: ignore[attr-defined]
            where = (route.method, route.path, status)
            if status == 303:
                assert "/login" in response.headers["location"], where  # type: ignore[attr-defined]
            else:
                assert status in (401, 403, 404, 422), where
            assert SECRET not in response.text, where  # type: ignore[attr-defined]
            checked += 1
    assert checked > 60
    _owner_data_intact(world)


def test_the_owner_and_the_clinic_reach_their_own(world: World) -> None:
    """The other side of the matrix: the same reads work for whoever may see them."""
    for route in route_table():
        if route.method != "GET" or not (route.params & (OWNED | CLINIC)):
            continue
        if route.path.startswith("/invitations"):
            continue
        if route.params & CLINIC:
            response = _call(world.staff, route, world.values, None)
        else:
            response = _call(world.owner, route, world.values, world.owner_token)
        assert response.status_code == 200, (route.path, response.status_code)  # type: ignore[attr-defined]


def test_every_form_refuses_a_missing_or_wrong_csrf_token(world: World) -> None:
    """Generated from the route table: every state-changing page route."""
    forms = [r for r in route_table() if r.page and r.method == "POST"]
    assert len(forms) >= 25
    for route in forms:
        path = route.path
        for name in route.params:
            path = path.replace("{" + name + "}", world.values[name])
        for data in ({}, {"csrf_token": "forged"}):
            response = world.owner.post(path, data=data, follow_redirects=False)
            assert response.status_code == 403, (route.path, response.status_code)
    _owner_data_intact(world)


def test_login_starts_a_fresh_session_and_logout_ends_it(client: TestClient) -> None:
    sign_up(client, "fixation@example.com")
    client.post("/logout", data={"csrf_token": csrf(client)})
    planted = "attacker-chosen-session-value"
    client.cookies.set("spasmcare_session", planted, domain="testserver.local")
    client.post(
        "/login",
        data={
            "csrf_token": csrf(client),
            "email": "fixation@example.com",
            "password": "correct horse battery",
        },
    )
    issued = client.cookies.get("spasmcare_session", domain="testserver.local")
    assert issued and issued != planted  # the server never adopts a session id it did not make
    with TestClient(client.app) as attacker:
        attacker.cookies.set("spasmcare_session", planted)
        assert attacker.get("/account", follow_redirects=False).status_code == 303
        attacker.cookies.set("spasmcare_session", issued)
        assert attacker.get("/account").status_code == 200
        client.post("/logout", data={"csrf_token": csrf(client)})
        # The stolen copy of the cookie stops working at logout: sessions live on the server.
        assert attacker.get("/account", follow_redirects=False).status_code == 303


def test_behind_https_cookies_are_secure_and_hsts_is_sent(client: TestClient) -> None:
    https = {"x-forwarded-proto": "https"}
    page = client.get("/", headers=https)
    assert "max-age=31536000" in page.headers["strict-transport-security"]
    assert "Secure" in page.headers["set-cookie"]
    signed = client.post(
        "/signup",
        data={
            "csrf_token": csrf(client),
            "email": "https@example.com",
            "password": "a long https password",
        },
        headers=https,
        follow_redirects=False,
    )
    assert "Secure" in signed.headers["set-cookie"] and "HttpOnly" in signed.headers["set-cookie"]
    assert "strict-transport-security" not in client.get("/").headers


def test_account_deletion_leaves_no_row_and_no_readable_trace(
    app_settings: Settings, tmp_path: Path
) -> None:
    """Every table is checked for the user's id, and the SQLite file and its WAL are read
    raw for a diary note after the deletion."""
    url = app_settings.resolved_database_url()
    database = Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite") else None

    def on_disk() -> bytes:
        assert database is not None
        wal = database.with_name(database.name + "-wal")
        return database.read_bytes() + (wal.read_bytes() if wal.exists() else b"")

    with TestClient(create_app(app_settings)) as client:
        sign_up(client, "vanish@example.com")
        auth = {"Authorization": f"Bearer {api_token(client)}"}
        client.post(f"{API}/assessments", json={"findings": STRAIN}, headers=auth)
        client.post(
            f"{API}/diary/episodes",
            json={"started_at": "2026-03-01T09:00:00+00:00", "locations": ["mid"], "intensity": 5,
                  "notes": SECRET},
            headers=auth,
        )  # fmt: skip
        user_id = client.get("/account/export").json()["account"]["id"]
        if database is not None:
            assert SECRET.encode() in on_disk()  # the check below can fail
        client.post("/account/delete", data={"csrf_token": csrf(client), "confirm": "DELETE"})
        # Read while the server still runs: nothing may wait for a shutdown to vanish.
        if database is not None:
            assert SECRET.encode() not in on_disk()
    engine = engine_for(url)
    with session_factory(engine)() as session:
        for table in Base.metadata.sorted_tables:
            for column in table.columns:
                if any(fk.column.table.name == "users" for fk in column.foreign_keys) or (
                    table.name == "users" and column.name == "id"
                ):
                    left = session.scalar(
                        select(func.count()).select_from(table).where(column == user_id)
                    )
                    assert left == 0, (table.name, column.name)
        if database is not None:
            assert session.execute(text("PRAGMA secure_delete")).scalar() == 1
    assert "users" in inspect(engine).get_table_names()
