"""The REST API on real SQLite and PostgreSQL: assessments, interviews, care plans, knowledge."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from spasmcare.evaluation.datasets import load_vignettes
from spasmcare.web.schemas import AssessmentPublic
from tests.conftest import DATA
from tests.web.conftest import EMERGENCY_ANSWERS, HEART, STRAIN, api_token, sign_up


def test_openapi_documents_every_operation_the_issue_names(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/assessments",
        "/api/v1/assessments/{assessment_id}",
        "/api/v1/assessments/{assessment_id}/care-plan",
        "/api/v1/interviews",
        "/api/v1/interviews/{interview_id}",
        "/api/v1/interviews/{interview_id}/answers",
        "/api/v1/knowledge/conditions",
        "/api/v1/knowledge/findings",
    ):
        assert path in paths
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs.text
    assert "cdn" not in docs.text.lower()


def test_anonymous_assessment_is_returned_and_not_stored(client: TestClient) -> None:
    response = client.post("/api/v1/assessments", json={"findings": HEART})
    assert response.status_code == 200
    body = response.json()
    AssessmentPublic.model_validate(body)  # the documented schema holds
    assert body["id"] is None
    assert body["assessment"]["triage"] == "emergency"
    assert body["assessment"]["red_flags"][0]["sources"]
    assert client.get("/api/v1/assessments").status_code == 404


def test_a_token_client_saves_and_reads_back_its_assessment(client: TestClient) -> None:
    sign_up(client, "ana@example.com")
    headers = {"Authorization": f"Bearer {api_token(client)}"}
    created = client.post("/api/v1/assessments", json={"findings": STRAIN}, headers=headers)
    assert created.status_code == 201
    ident = created.json()["id"]
    AssessmentPublic.model_validate(created.json())
    again = client.get(f"/api/v1/assessments/{ident}", headers=headers).json()
    assert again["assessment"] == created.json()["assessment"]
    assert again["assessment"]["knowledge_version"]
    listed = client.get("/api/v1/assessments", headers=headers).json()
    assert [item["id"] for item in listed] == [ident]
    plan = client.get(f"/api/v1/assessments/{ident}/care-plan", headers=headers)
    assert plan.json()["triage"] == created.json()["assessment"]["triage"]
    pdf = client.get(f"/api/v1/assessments/{ident}/care-plan?format=pdf", headers=headers)
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    ics = client.get(f"/api/v1/assessments/{ident}/care-plan?format=ics", headers=headers)
    assert ics.headers["content-type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in ics.content


@pytest.mark.parametrize(
    ("findings", "field"),
    [
        ({"age": "old"}, "age"),
        ({"age": 400}, "age"),
        ({"sex": "other"}, "sex"),
        ({"no_such_code": True}, "no_such_code"),
        ({"fever": "yes please"}, "fever"),
    ],
)
def test_bad_findings_get_a_4xx_naming_the_field(
    client: TestClient, findings: dict[str, object], field: str
) -> None:
    response = client.post("/api/v1/assessments", json={"findings": findings})
    assert response.status_code == 422
    assert response.json()["field"] == field
    assert field in response.json()["error"]


@pytest.mark.parametrize(
    "body",
    [b"", b"{", b"[]", b'{"findings": 3}', b'{"findings": {}, "extra": 1}', b"\xff\xfe"],
)
def test_malformed_bodies_are_4xx_not_500(client: TestClient, body: bytes) -> None:
    response = client.post(
        "/api/v1/assessments", content=body, headers={"content-type": "application/json"}
    )
    assert 400 <= response.status_code < 500
    assert set(response.json()) == {"error", "field"}


def test_an_interview_over_the_api_reaches_the_vignettes_triage(client: TestClient, kb) -> None:
    vignette = next(
        v for v in load_vignettes(DATA / "dev_vignettes.yaml", kb) if v.triage.value == "emergency"
    )
    truth = vignette.full_findings(kb)
    state = client.post("/api/v1/interviews", json={}).json()
    ident = state["id"]
    while not state["done"]:
        code = state["question"]["code"]
        state = client.post(
            f"/api/v1/interviews/{ident}/answers",
            json={"code": code, "value": truth.get(code)},
        ).json()
        assert state["id"] == ident
    assert state["assessment"]["triage"] == "emergency"
    assert state["assessment_id"] is None  # anonymous: nothing saved
    assert client.get(f"/api/v1/interviews/{ident}").json()["done"] is True


def test_interview_answers_are_checked_and_can_be_taken_back(client: TestClient) -> None:
    state = client.post("/api/v1/interviews", json={"answers": {"age": 40}}).json()
    assert state["question"]["code"] == "sex"
    assert state["question"]["text_someone_else"] == (
        "What sex was the person with the back pain assigned at birth?"
    )
    wrong = client.post(
        f"/api/v1/interviews/{state['id']}/answers", json={"code": "fever", "value": True}
    )
    assert wrong.status_code == 422
    assert wrong.json()["field"] == "fever"
    bad = client.post(
        f"/api/v1/interviews/{state['id']}/answers", json={"code": "sex", "value": "robot"}
    )
    assert bad.status_code == 422
    moved = client.post(
        f"/api/v1/interviews/{state['id']}/answers", json={"code": "sex", "value": "female"}
    ).json()
    assert moved["asked"] == 2
    back = client.post(f"/api/v1/interviews/{state['id']}/back").json()
    assert back["question"]["code"] == "sex"
    assert "sex" not in back["assessment"]["findings"]
    assert client.get("/api/v1/interviews/not-an-id").status_code == 404


def test_a_signed_in_clients_finished_interview_is_saved(client: TestClient) -> None:
    sign_up(client, "ben@example.com")
    headers = {"Authorization": f"Bearer {api_token(client)}"}
    answers = EMERGENCY_ANSWERS
    state = client.post("/api/v1/interviews", json={"answers": answers}, headers=headers).json()
    while not state["done"]:
        state = client.post(
            f"/api/v1/interviews/{state['id']}/answers",
            json={"code": state["question"]["code"], "value": None},
            headers=headers,
        ).json()
    saved = client.get(f"/api/v1/assessments/{state['assessment_id']}", headers=headers)
    assert saved.status_code == 200
    assert saved.json()["assessment"]["triage"] == "emergency"


def test_knowledge_lists_the_vocabulary(client: TestClient, kb) -> None:
    findings = client.get("/api/v1/knowledge/findings").json()
    conditions = client.get("/api/v1/knowledge/conditions").json()
    assert {f["code"] for f in findings} == set(kb.findings)
    assert {c["code"] for c in conditions} == set(kb.conditions)
    assert all(c["sources"] for c in conditions)


def test_ask_and_extract_over_the_api(client: TestClient) -> None:
    answer = client.post("/api/v1/ask", json={"question": "Should I use heat or ice?"}).json()
    assert answer["citations"]
    assert answer["triage"] is None
    assert client.post("/api/v1/ask", json={"question": ""}).status_code == 422
    read = client.post("/api/v1/extract", json={"text": "I am 45 and my lower back hurts."})
    assert read.json()["findings"]["age"] == 45
    assert read.json()["findings"]["pain_lower_back"] is True
    story = {"text": "I'm 40; my daughter is 12 and her back hurts.", "about_someone_else": True}
    assert client.post("/api/v1/extract", json=story).json()["findings"]["age"] == 12
    # Unsaid, whose story it is is read from the story itself; said, it is taken as said.
    told = {"text": "My dad is 70 and his back has locked up."}
    assert client.post("/api/v1/extract", json=told).json()["findings"]["age"] == 70
    own = {**told, "about_someone_else": False}
    assert "age" not in client.post("/api/v1/extract", json=own).json()["findings"]


def test_an_unsaved_care_plan_in_each_format(client: TestClient) -> None:
    for kind, media in (
        ("json", "application/json"),
        ("pdf", "application/pdf"),
        ("html", "text/html"),
    ):
        response = client.post(f"/api/v1/care-plans?format={kind}", json={"findings": STRAIN})
        assert response.status_code == 200
        assert response.headers["content-type"].startswith(media)
    assert (
        client.post("/api/v1/care-plans?format=doc", json={"findings": STRAIN}).status_code == 422
    )


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ok"}
