"""Web fixtures: the app on a real SQLite file and, when one is reachable, a real PostgreSQL.

PostgreSQL: SPASMCARE_TEST_POSTGRES (default postgresql+psycopg://postgres@127.0.0.1:5432/test).
Each test process works in its own schema, dropped at the end, so runs never collide. On a
laptop without PostgreSQL those tests skip with the reason; under CI=true they fail instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import Engine

from spasmcare.settings import Settings
from spasmcare.storage.database import engine_for
from spasmcare.storage.migrate import upgrade
from spasmcare.storage.tables import Base
from spasmcare.web.app import create_app
from tests.postgres import create_schema, drop_schema
from tests.web.live_server import new_api_token

PASSWORD = "correct horse battery"

# Cases the web tests share: findings for the API, and answers a person gives in the check.
STRAIN = {"age": 34, "sex": "male", "pain_lower_back": True, "trigger_lifting": True}
HEART = {"age": 61.0, "sex": "male", "pain_mid_back": True, "pain_pressure_chest": True}
EMERGENCY_ANSWERS = {**HEART, "sweating_clammy": True}
SELF_CARE_ANSWERS = {
    "age": 31.0,
    "sex": "female",
    "pain_lower_back": True,
    "trigger_lifting": True,
    "onset_sudden": True,
    "pain_worse_movement": True,
    "duration_days": 2.0,
    "severity": 5.0,
}


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL is required on CI: {reason}")
    pytest.skip(f"PostgreSQL not reachable ({reason}); set SPASMCARE_TEST_POSTGRES")


@pytest.fixture(scope="session")
def postgresql_url() -> Iterator[str]:
    """A URL whose connections all work in a fresh schema of their own."""
    try:
        url, schema = create_schema("spasmcare_test")
    except Exception as error:  # any driver error: not reachable
        _unavailable(str(error).splitlines()[0])
    yield url
    drop_schema(schema)


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'spasmcare.db'}"


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str:
    url: str = request.getfixturevalue(f"{request.param}_url")
    upgrade(engine_for(url))
    return url


def _empty(engine: Engine) -> None:
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture
def app_settings(database_url: str, tmp_path: Path) -> Iterator[Settings]:
    yield Settings(data_dir=tmp_path, database_url=database_url, migrate_on_start=False)
    _empty(engine_for(database_url))


@pytest.fixture
def client(app_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(app_settings), base_url="http://testserver") as test_client:
        yield test_client


def csrf(client: TestClient) -> str:
    """The CSRF token a page would put in its forms (fetching a page sets the cookie)."""
    if not client.cookies.get("spasmcare_csrf"):
        client.get("/")
    token = client.cookies.get("spasmcare_csrf")
    assert token
    return token


def log_spasm(client: TestClient, **fields: str | list[str]) -> Response:
    """The spasm form as a browser sends it: a spasm in the middle back, strength 6."""
    data = {"csrf_token": csrf(client), "locations": "mid", "intensity": "6", **fields}
    return client.post("/diary/episodes", data=data, follow_redirects=False)


def sign_up(client: TestClient, email: str, password: str = PASSWORD) -> None:
    response = client.post(
        "/signup",
        data={"csrf_token": csrf(client), "email": email, "password": password},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def api_token(client: TestClient, name: str = "tests") -> str:
    """A personal API token, created through the account page as a person would."""
    page = client.post("/account/tokens", data={"csrf_token": csrf(client), "name": name})
    assert page.status_code == 200
    return new_api_token(page.text)
