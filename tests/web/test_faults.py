"""When something SpasmCare depends on fails, people get a clear message or the emergency
fallback, never a traceback or a blank page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from spasmcare.settings import Settings
from spasmcare.web.app import create_app
from tests.web.conftest import csrf

# Port 9 (discard) has no PostgreSQL: every connection is refused at once.
UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:9/test?connect_timeout=2"


@pytest.fixture
def no_database(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(data_dir=tmp_path, database_url=UNREACHABLE, migrate_on_start=False)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


def test_the_api_says_503_with_a_reason_when_the_database_is_down(no_database: TestClient) -> None:
    response = no_database.get("/readyz")
    assert response.status_code == 503
    assert "database" in response.json()["error"]
    saved = no_database.get("/api/v1/assessments", headers={"Authorization": "Bearer sc_x"})
    assert saved.status_code == 503
    saving = no_database.post(
        "/api/v1/assessments",
        json={"findings": {"age": 30}},
        headers={"Authorization": "Bearer sc_x"},
    )
    assert saving.status_code == 503 and "database" in saving.json()["error"]
    assert response.headers["retry-after"] == "30"
    assert no_database.get("/healthz").status_code == 200


def test_an_anonymous_check_still_works_without_the_database(no_database: TestClient) -> None:
    """Nothing is stored for an anonymous person, so nothing needs the database."""
    assessed = no_database.post(
        "/api/v1/assessments", json={"findings": {"age": 60, "pain_pressure_chest": True}}
    )
    assert assessed.status_code == 200
    assert assessed.json()["assessment"]["triage"] == "emergency"
    page = no_database.post("/check/start", data={"csrf_token": csrf(no_database), "story": ""})
    assert page.status_code == 200
    assert 'name="code"' in page.text


def test_pages_that_need_the_database_show_the_emergency_fallback(no_database: TestClient) -> None:
    no_database.cookies.set("spasmcare_session", "some-session")
    page = no_database.get("/assessments")
    assert page.status_code == 503
    assert "call the emergency number now" in page.text
    assert "Numbness around your bottom or genitals" in page.text
    assert "Traceback" not in page.text


def test_an_engine_failure_shows_the_fallback_not_a_traceback(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fault injection: the engine raising mid-request (the knowledge or a bug)."""
    import spasmcare.web.api.assessments as service

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("injected engine failure")

    monkeypatch.setattr(service, "assess", broken)
    with TestClient(client.app, raise_server_exceptions=False) as fresh:
        api = fresh.post("/api/v1/assessments", json={"findings": {"age": 40}})
        assert api.status_code == 500
        assert "emergency" in api.json()["error"]
        assert "injected" not in api.text


def test_a_broken_knowledge_base_shows_the_fallback_everywhere(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fault injection: the knowledge files fail to load mid-run. Pages that would show a
    result show the static warning-sign page; the API says where to look; neither needs
    a login or the knowledge base."""
    from spasmcare.errors import KnowledgeBaseError
    from spasmcare.web import deps

    token = csrf(client)

    def broken() -> None:
        raise KnowledgeBaseError(["findings.yaml: injected failure"])

    monkeypatch.setattr(deps, "default_knowledge", broken)
    with TestClient(client.app, raise_server_exceptions=False) as fresh:
        fresh.cookies.set("spasmcare_csrf", token)
        page = fresh.post("/check/start", data={"csrf_token": token, "story": "my back"})
        assert page.status_code == 500
        assert "call the emergency number now" in page.text
        assert "injected" not in page.text and "Traceback" not in page.text
        api = fresh.post("/api/v1/assessments", json={"findings": {"age": 40}})
        assert api.status_code == 500 and "/emergency" in api.json()["error"]
        for _ in range(30):  # never rate-limited
            assert fresh.get("/static/emergency-fallback.html").status_code == 200
