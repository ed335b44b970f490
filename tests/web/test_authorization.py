"""One person can never read, change or delete another's data, through pages or the API:
the answer is always 404, the same as for something that does not exist."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from spasmcare.settings import Settings
from spasmcare.web.app import create_app
from tests.web.conftest import STRAIN, api_token, csrf, sign_up


def test_another_persons_records_are_404_everywhere(
    client: TestClient, app_settings: Settings
) -> None:
    sign_up(client, "owner@example.com")
    owner_headers = {"Authorization": f"Bearer {api_token(client)}"}
    ident = client.post(
        "/api/v1/assessments", json={"findings": STRAIN}, headers=owner_headers
    ).json()["id"]
    interview = client.post("/api/v1/interviews", json={}, headers=owner_headers).json()["id"]
    own_token_id = re.search(r"/account/tokens/([0-9a-f-]+)/delete", client.get("/account").text)
    assert own_token_id is not None

    with TestClient(create_app(app_settings)) as intruder:
        sign_up(intruder, "intruder@example.com")
        headers = {"Authorization": f"Bearer {api_token(intruder)}"}
        for path in (
            f"/api/v1/assessments/{ident}",
            f"/api/v1/assessments/{ident}/care-plan",
            f"/api/v1/assessments/{ident}/care-plan?format=pdf",
            f"/api/v1/interviews/{interview}",
        ):
            assert intruder.get(path, headers=headers).status_code == 404, path
            assert intruder.get(path).status_code == 404, path  # no token at all
        assert intruder.get("/api/v1/assessments", headers=headers).json() == []
        answer = intruder.post(
            f"/api/v1/interviews/{interview}/answers",
            json={"code": "age", "value": 30},
            headers=headers,
        )
        assert answer.status_code == 404
        assert (
            intruder.post(f"/api/v1/interviews/{interview}/back", headers=headers).status_code
            == 404
        )
        for path in (
            f"/assessments/{ident}",
            f"/assessments/{ident}/plan.pdf",
            f"/assessments/{ident}/plan.ics",
        ):
            assert intruder.get(path).status_code == 404, path
        deleted = intruder.post(f"/assessments/{ident}/delete", data={"csrf_token": csrf(intruder)})
        assert deleted.status_code == 404
        revoke = intruder.post(
            f"/account/tokens/{own_token_id.group(1)}/delete",
            data={"csrf_token": csrf(intruder)},
            follow_redirects=False,
        )
        assert revoke.status_code == 404  # not theirs: not found ...
        wrong_token = {"Authorization": "Bearer sc_not-a-real-token"}
        assert intruder.get(f"/api/v1/assessments/{ident}", headers=wrong_token).status_code == 401

    # ... and the owner's data and token are untouched.
    assert client.get(f"/api/v1/assessments/{ident}", headers=owner_headers).status_code == 200
    assert client.get(f"/api/v1/interviews/{interview}", headers=owner_headers).status_code == 200
    assert client.get(f"/assessments/{ident}").status_code == 200


def test_an_anonymous_interview_is_not_reachable_with_a_token(client: TestClient) -> None:
    """An anonymous interview belongs to whoever holds its id, never to a signed-in user."""
    interview = client.post("/api/v1/interviews", json={}).json()["id"]
    sign_up(client, "someone@example.com")
    headers = {"Authorization": f"Bearer {api_token(client)}"}
    assert client.get(f"/api/v1/interviews/{interview}", headers=headers).status_code == 404
    assert client.get(f"/api/v1/interviews/{interview}").status_code == 200


def test_a_revoked_token_stops_working(client: TestClient) -> None:
    sign_up(client, "tok@example.com")
    token = api_token(client, "laptop")
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/assessments", headers=headers).status_code == 200
    token_id = re.search(r"/account/tokens/([0-9a-f-]+)/delete", client.get("/account").text)
    assert token_id is not None
    client.post(f"/account/tokens/{token_id.group(1)}/delete", data={"csrf_token": csrf(client)})
    refused = client.get("/api/v1/assessments", headers=headers)
    assert refused.status_code == 401
    assert refused.json()["field"] == "authorization"
    saving = client.post("/api/v1/assessments", json={"findings": STRAIN}, headers=headers)
    assert saving.status_code == 401  # never silently unsaved


def test_the_api_ignores_the_browser_cookie(client: TestClient) -> None:
    """The API authenticates by token only, so a web page elsewhere cannot use a person's
    login cookie to read their data."""
    sign_up(client, "cookie@example.com")
    assert client.get("/account").status_code == 200
    assert client.get("/api/v1/assessments").status_code == 404
