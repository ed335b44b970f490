"""The FHIR endpoints on real SQLite and PostgreSQL: metadata, the Questionnaire,
$assess, export of a person's records and import into a new account."""

from __future__ import annotations

from fastapi.testclient import TestClient

from spasmcare.settings import Settings
from spasmcare.web.app import create_app
from tests.fhir import entries_of, leaf_items, revalidate
from tests.web.conftest import api_token, sign_up

FHIR = "application/fhir+json"


def _response(answers: dict[str, object]) -> dict[str, object]:
    items = []
    for code, value in answers.items():
        if isinstance(value, bool):
            answer = {"valueBoolean": value}
        elif isinstance(value, str):
            answer = {"valueCoding": {"code": value}}
        else:
            answer = {"valueDecimal": value}
        items.append({"linkId": code, "answer": [answer]})
    return {"resourceType": "QuestionnaireResponse", "status": "completed", "item": items}


def test_metadata_and_questionnaire_validate(client: TestClient, kb) -> None:  # type: ignore[no-untyped-def]
    metadata = client.get("/fhir/metadata")
    assert metadata.headers["content-type"].startswith(FHIR)
    assert revalidate(metadata.json())["resourceType"] == "CapabilityStatement"
    questionnaire = client.get("/fhir/Questionnaire/spasmcare-intake").json()
    revalidate(questionnaire)
    assert {item["linkId"] for item in leaf_items(questionnaire["item"])} == set(kb.findings)
    search = client.get("/fhir/Questionnaire", params={"url": questionnaire["url"]}).json()
    assert search["total"] == 1


def test_assess_a_questionnaire_response(client: TestClient) -> None:
    answers = {"age": 61, "sex": "male", "pain_mid_back": True, "pain_pressure_chest": True}
    response = client.post("/fhir/QuestionnaireResponse/$assess", json=_response(answers))
    assert response.status_code == 200
    bundle = revalidate(response.json())
    (risk,) = entries_of(bundle, "RiskAssessment")
    assert "emergency" in str(risk["resource"])
    assert entries_of(bundle, "CarePlan")
    codes = {e["resource"]["code"]["coding"][0]["code"] for e in entries_of(bundle, "Observation")}
    assert {"age", "pain_pressure_chest"} <= codes


def test_bad_fhir_input_is_an_operation_outcome(client: TestClient) -> None:
    for body in (b"not json", b"[]", b'{"resourceType": "Patient"}'):
        response = client.post(
            "/fhir/QuestionnaireResponse/$assess", content=body, headers={"content-type": FHIR}
        )
        assert response.status_code == 422, body
        outcome = response.json()
        assert outcome["resourceType"] == "OperationOutcome"
        assert outcome["issue"][0]["diagnostics"]
    unknown = client.post("/fhir/QuestionnaireResponse/$assess", json=_response({"no_such": True}))
    assert unknown.status_code == 422
    assert "no_such" in unknown.json()["issue"][0]["diagnostics"]
    assert client.get("/fhir/Patient/$export").json()["resourceType"] == "OperationOutcome"


def test_export_and_import_into_a_new_account(client: TestClient, app_settings: Settings) -> None:
    sign_up(client, "fhir-out@example.com")
    headers = {"Authorization": f"Bearer {api_token(client)}"}
    saved = client.post(
        "/fhir/QuestionnaireResponse/$assess",
        json=_response({"age": 34, "sex": "female", "pain_lower_back": True, "severity": 6}),
        headers=headers,
    )
    assert saved.status_code == 201
    client.post(
        "/api/v1/diary/episodes",
        json={"started_at": "2026-03-29T00:30:00+00:00", "timezone": "Europe/London",
              "locations": ["lower"], "intensity": 5},
        headers=headers,
    )  # fmt: skip
    client.put(
        "/api/v1/diary/checkins/2026-03-29",
        json={"local_date": "2026-03-29", "pain_average": 4, "pain_worst": 6, "sleep_hours": 7},
        headers=headers,
    )
    bundle = client.get("/fhir/Patient/$export", headers=headers).json()
    revalidate(bundle)
    assert "72514-3" in str(bundle)  # LOINC pain severity on the diary's pain scores
    with TestClient(create_app(app_settings)) as other:
        sign_up(other, "fhir-in@example.com")
        theirs = {"Authorization": f"Bearer {api_token(other)}"}
        done = other.post("/fhir/Bundle/$import", json=bundle, headers=theirs)
        assert done.status_code == 200, done.text
        assert done.json() | {"ignored": []} == {
            "assessments": 1,
            "episodes": 1,
            "checkins": 1,
            "ignored": [],
        }
        again = other.post("/fhir/Bundle/$import", json=bundle, headers=theirs)
        assert again.status_code == 409  # only into a new, empty account
        checkins = other.get("/api/v1/diary/checkins", headers=theirs).json()
        assert [(c["local_date"], c["pain_average"], c["pain_worst"]) for c in checkins] == [
            ("2026-03-29", 4, 6)
        ]
        episodes = other.get("/api/v1/diary/episodes", headers=theirs).json()
        assert (
            episodes[0]["local_date"] == "2026-03-29" and episodes[0]["timezone"] == "Europe/London"
        )
        imported = other.get("/api/v1/assessments", headers=theirs).json()
        assert len(imported) == 1


def test_a_broken_bundle_imports_nothing(client: TestClient) -> None:
    sign_up(client, "fhir-broken@example.com")
    headers = {"Authorization": f"Bearer {api_token(client)}"}
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": {"resourceType": "Observation", "status": "final"}}],
    }
    refused = client.post("/fhir/Bundle/$import", json=bundle, headers=headers)
    assert refused.status_code == 422
    assert refused.json()["resourceType"] == "OperationOutcome"
    assert client.get("/api/v1/assessments", headers=headers).json() == []


def test_the_account_page_exports_and_imports_fhir(
    client: TestClient, app_settings: Settings
) -> None:
    from tests.web.conftest import csrf

    sign_up(client, "fhir-page@example.com")
    client.post(
        "/diary/checkin",
        data={"csrf_token": csrf(client), "local_date": "2026-03-01", "pain_average": "2"},
    )
    download = client.get("/account/export.fhir.json")
    assert download.headers["content-type"].startswith(FHIR)
    assert "attachment" in download.headers["content-disposition"]
    with TestClient(create_app(app_settings)) as other:
        sign_up(other, "fhir-page-2@example.com")
        page = other.post(
            "/account/import-fhir",
            data={"csrf_token": csrf(other)},
            files={"file": ("bundle.json", download.content, FHIR)},
        )
        assert page.status_code == 200 and "1 check-in were added" in page.text
        bad = other.post(
            "/account/import-fhir",
            data={"csrf_token": csrf(other)},
            files={"file": ("bundle.json", b"{oops", FHIR)},
        )
        assert bad.status_code == 422 and "not JSON" in bad.text
