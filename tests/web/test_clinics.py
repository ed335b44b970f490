"""Clinics on real SQLite and PostgreSQL: invitations, requests, the queue order, sharing
and revocation, and every role against every clinic and patient resource."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from spasmcare.settings import Settings
from spasmcare.storage.database import engine_for, session_factory
from spasmcare.storage.tables import AppointmentRequest, AuditEvent
from spasmcare.web.app import create_app
from tests.web.conftest import HEART, STRAIN, api_token, csrf, sign_up

URGENT = {"age": 45, "sex": "female", "pain_lower_back": True, "fever": True}  # fmt: skip


@dataclass
class Person:
    client: TestClient
    email: str

    @property
    def token(self) -> str:
        return csrf(self.client)

    def post(self, path: str, **data: str) -> object:
        return self.client.post(
            path, data={"csrf_token": self.token, **data}, follow_redirects=False
        )


@pytest.fixture
def people(app_settings: Settings) -> Iterator[dict[str, Person]]:
    clients = {}
    for name in ("admin", "doctor", "other_admin", "patient", "patient2"):
        client = TestClient(create_app(app_settings))
        client.__enter__()
        sign_up(client, f"{name}@example.com")
        clients[name] = Person(client, f"{name}@example.com")
    yield clients
    for person in clients.values():
        person.client.__exit__(None, None, None)


def _clinic(admin: Person, name: str) -> str:
    response = admin.post("/clinics", name=name)
    assert response.status_code == 303  # type: ignore[attr-defined]
    return str(response.headers["location"]).rsplit("/", 1)[-1]  # type: ignore[attr-defined]


def _invite(admin: Person, clinic_id: str, person: Person, role: str = "clinician") -> None:
    page = admin.post(f"/clinics/{clinic_id}/invitations", role=role)
    link = re.search(r"http://testserver(/invitations/[\w-]+)", page.text)  # type: ignore[attr-defined]
    assert link, page.text  # type: ignore[attr-defined]
    assert person.post(link.group(1)).status_code == 303  # type: ignore[attr-defined]


def _assessment(person: Person, findings: dict[str, object]) -> str:
    token = api_token(person.client)
    response = person.client.post(
        "/api/v1/assessments",
        json={"findings": findings},
        headers={"Authorization": f"Bearer {token}"},
    )
    return str(response.json()["id"])


def _request(person: Person, assessment_id: str, clinic_id: str, **extra: str) -> str:
    response = person.post(
        f"/assessments/{assessment_id}/requests",
        clinic_id=clinic_id,
        contact_name=person.email.split("@")[0],
        contact_phone="0100 000",
        **extra,
    )
    assert response.status_code == 303, response.text  # type: ignore[attr-defined]
    return str(response.headers["location"]).split("/")[-1].split("?")[0]  # type: ignore[attr-defined]


def _count_audit(settings: Settings, **where: str) -> int:
    with session_factory(engine_for(settings.resolved_database_url()))() as session:
        query = select(func.count()).select_from(AuditEvent)
        for key, value in where.items():
            query = query.where(getattr(AuditEvent, key) == value)
        return session.scalar(query) or 0


def test_queue_is_most_urgent_first_then_longest_waiting(
    people: dict[str, Person], app_settings: Settings
) -> None:
    admin, doctor, patient, patient2 = (
        people[k] for k in ("admin", "doctor", "patient", "patient2")
    )
    clinic = _clinic(admin, "Back Clinic")
    _invite(admin, clinic, doctor)
    routine_first = _request(patient, _assessment(patient, STRAIN), clinic)
    urgent = _request(patient2, _assessment(patient2, URGENT), clinic)
    emergency = _request(patient, _assessment(patient, HEART), clinic)
    routine_later = _request(patient2, _assessment(patient2, STRAIN), clinic)
    page = doctor.client.get(f"/clinics/{clinic}/queue").text
    order = [
        page.index(f"/requests/{r}") for r in (emergency, urgent, routine_first, routine_later)
    ]
    assert order == sorted(order)
    assert "EMERGENCY: the patient was told to call the emergency number" in page


def test_the_whole_request_flow_with_audit(
    people: dict[str, Person], app_settings: Settings
) -> None:
    admin, doctor, patient = people["admin"], people["doctor"], people["patient"]
    clinic = _clinic(admin, "Spine Care")
    _invite(admin, clinic, doctor)
    patient.client.post(
        "/diary/episodes",
        data={"csrf_token": patient.token, "locations": "lower", "intensity": "6"},
    )
    today = datetime.now(UTC).date()
    request = _request(
        patient,
        _assessment(patient, URGENT),
        clinic,
        share_diary="yes",
        diary_from=(today - timedelta(days=30)).isoformat(),
        diary_to=today.isoformat(),
    )
    queue = doctor.client.get(f"/clinics/{clinic}/queue").text
    assert "1 spasm," in queue and "(s)" not in queue
    detail = doctor.client.get(f"/clinics/{clinic}/requests/{request}")
    assert "Shared assessment" in detail.text and "Most likely causes" in detail.text
    report = doctor.client.get(f"/clinics/{clinic}/requests/{request}/diary-report.pdf")
    assert report.content.startswith(b"%PDF")
    assert (
        doctor.post(f"/clinics/{clinic}/requests/{request}/notes", note="Call her back").status_code
        == 303
    )  # type: ignore[attr-defined]
    bad = doctor.post(f"/clinics/{clinic}/requests/{request}/status", status="declined")
    assert bad.status_code == 400 and "reason" in bad.text  # type: ignore[attr-defined]
    when = (datetime.now(UTC) + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    accepted = doctor.post(
        f"/clinics/{clinic}/requests/{request}/status",
        status="accepted",
        appointment_at=when,
        timezone="UTC",
    )
    assert accepted.status_code == 303  # type: ignore[attr-defined]
    # The patient lives in Tokyo (her diary said so): she reads the time as hers, not UTC.
    patient.post("/diary/checkin", local_date=today.isoformat(), timezone="Asia/Tokyo")
    mine = patient.client.get(f"/requests/{request}").text
    assert "Status: Accepted" in mine
    tokyo = datetime.strptime(when, "%Y-%m-%dT%H:%M") + timedelta(hours=9)
    assert f"{tokyo.strftime('%A %d %B %Y, %H:%M')} (Asia/Tokyo time)" in mine
    assert "doctor@example.com" in mine  # the patient sees who looked
    audit = admin.client.get(f"/clinics/{clinic}/audit").text
    for action in ("view assessment", "view diary report", "add note", "status accepted"):
        assert action in audit
    views = _count_audit(app_settings, request_id=request, action="view_assessment")
    assert views >= 1
    # Revoking sharing stops access at once.
    assert patient.post(f"/requests/{request}/revoke").status_code == 303  # type: ignore[attr-defined]
    after = doctor.client.get(f"/clinics/{clinic}/requests/{request}")
    assert "stopped sharing" in after.text and "Most likely causes" not in after.text
    assert (
        doctor.client.get(f"/clinics/{clinic}/requests/{request}/diary-report.pdf").status_code
        == 404
    )
    assert doctor.client.get(f"/clinics/{clinic}/requests/{request}/plan.pdf").status_code == 404
    # A page without the data is not a view of it.
    assert _count_audit(app_settings, request_id=request, action="view_assessment") == views


def test_withdrawn_requests_leave_the_queue(people: dict[str, Person]) -> None:
    admin, patient = people["admin"], people["patient"]
    clinic = _clinic(admin, "Withdraw Clinic")
    request = _request(patient, _assessment(patient, STRAIN), clinic)
    assert request in admin.client.get(f"/clinics/{clinic}/queue").text
    patient.post(f"/requests/{request}/withdraw")
    assert request not in admin.client.get(f"/clinics/{clinic}/queue").text
    assert admin.client.get(f"/clinics/{clinic}/requests/{request}").status_code == 404
    assert "Withdrawn" in patient.client.get("/requests").text


def test_a_refused_request_shows_the_problem_and_keeps_what_was_typed(
    people: dict[str, Person],
) -> None:
    admin, patient = people["admin"], people["patient"]
    clinic = _clinic(admin, "Careful Clinic")
    assessment = _assessment(patient, STRAIN)
    page = patient.post(
        f"/assessments/{assessment}/requests",
        clinic_id=clinic,
        contact_name="Sam Patient",
        contact_email="",
        preferred_times="Tuesday after 4",
        message="It catches when I turn.",
    )
    assert page.status_code == 400  # type: ignore[attr-defined]
    text = page.text  # type: ignore[attr-defined]
    assert 'id="request-error" tabindex="-1" autofocus>give a phone number' in text
    assert 'value="Sam Patient"' in text and 'value="Tuesday after 4"' in text
    assert ">It catches when I turn.</textarea>" in text
    assert 'action="/assessments/' + assessment + '/requests#request"' in text
    assert 'id="triage-title" tabindex="-1">' in text  # the error, not the heading, has focus


def test_an_emergency_result_leads_with_the_emergency_number(people: dict[str, Person]) -> None:
    admin, patient = people["admin"], people["patient"]
    _clinic(admin, "Any Clinic")
    page = patient.client.get(f"/assessments/{_assessment(patient, HEART)}").text
    form = page[page.index('id="request"') :]
    assert form.index("Call now") < form.index("I still want to send this to a clinic")


def test_invitations_expire_and_work_once(
    people: dict[str, Person], app_settings: Settings
) -> None:
    admin, doctor, other = people["admin"], people["doctor"], people["patient"]
    clinic = _clinic(admin, "Invite Clinic")
    page = admin.post(f"/clinics/{clinic}/invitations", role="clinician")
    link = re.search(r"http://testserver(/invitations/[\w-]+)", page.text).group(1)  # type: ignore[attr-defined,union-attr]
    assert doctor.post(link).status_code == 303  # type: ignore[attr-defined]
    used = other.post(link)
    assert used.status_code == 410 and "already been used" in used.text  # type: ignore[attr-defined]
    page = admin.post(f"/clinics/{clinic}/invitations", role="clinician")
    stale = re.search(r"http://testserver(/invitations/[\w-]+)", page.text).group(1)  # type: ignore[attr-defined,union-attr]
    from spasmcare.storage.tables import ClinicInvitation

    with (
        session_factory(engine_for(app_settings.resolved_database_url()))() as session,
        session.begin(),
    ):
        for invitation in session.scalars(
            select(ClinicInvitation).where(ClinicInvitation.accepted_at.is_(None))
        ):
            invitation.expires_at = datetime.now(UTC) - timedelta(minutes=1)
    expired = other.post(stale)
    assert expired.status_code == 410 and "expired" in expired.text  # type: ignore[attr-defined]
    assert other.client.get(f"/clinics/{clinic}/queue").status_code == 404
    assert admin.client.get("/invitations/not-a-token").status_code == 404


def test_every_role_against_every_resource(
    people: dict[str, Person], app_settings: Settings
) -> None:
    """Staff of one clinic never reach another clinic's data; patients never reach each
    other's; a clinician is not an admin; anonymous visitors are sent to log in."""
    admin, doctor, other_admin, patient, patient2 = (
        people[k] for k in ("admin", "doctor", "other_admin", "patient", "patient2")
    )
    clinic = _clinic(admin, "Clinic One")
    other_clinic = _clinic(other_admin, "Clinic Two")
    _invite(admin, clinic, doctor)
    assessment = _assessment(patient, STRAIN)
    request = _request(patient, assessment, clinic)
    staff_pages = [
        f"/clinics/{clinic}/queue",
        f"/clinics/{clinic}/requests/{request}",
        f"/clinics/{clinic}/requests/{request}/plan.pdf",
    ]
    admin_pages = [f"/clinics/{clinic}", f"/clinics/{clinic}/audit"]
    for page in staff_pages + admin_pages:
        assert admin.client.get(page).status_code == 200, page
    for page in staff_pages:
        assert doctor.client.get(page).status_code == 200, page
    assert doctor.client.get(f"/clinics/{clinic}/audit").status_code == 404
    assert doctor.post(f"/clinics/{clinic}/invitations", role="admin").status_code == 404  # type: ignore[attr-defined]
    for outsider in (other_admin, patient, patient2):
        for page in staff_pages + admin_pages:
            assert outsider.client.get(page).status_code == 404, (outsider.email, page)
        assert (
            outsider.post(f"/clinics/{clinic}/requests/{request}/notes", note="x").status_code
            == 404
        )  # type: ignore[attr-defined]
        assert (
            outsider.post(
                f"/clinics/{clinic}/requests/{request}/status", status="redirected"
            ).status_code
            == 404
        )  # type: ignore[attr-defined]
    # The request id under the other clinic's path is still not found.
    assert other_admin.client.get(f"/clinics/{other_clinic}/requests/{request}").status_code == 404
    # Patients: only their own requests and assessments.
    for page in (f"/requests/{request}",):
        assert patient.client.get(page).status_code == 200
        assert patient2.client.get(page).status_code == 404
        assert doctor.client.get(page).status_code == 404
    for action in ("withdraw", "revoke"):
        assert patient2.post(f"/requests/{request}/{action}").status_code == 404  # type: ignore[attr-defined]
    sneaky = patient2.post(
        f"/assessments/{assessment}/requests", clinic_id=clinic, contact_name="x", contact_phone="1"
    )
    assert sneaky.status_code == 404  # type: ignore[attr-defined]
    with TestClient(create_app(app_settings)) as anonymous:
        for page in staff_pages + admin_pages + [f"/requests/{request}", "/requests", "/clinics"]:
            response = anonymous.get(page, follow_redirects=False)
            assert response.status_code == 303 and "/login" in response.headers["location"], page
    with session_factory(engine_for(app_settings.resolved_database_url()))() as session:
        stored = session.get(AppointmentRequest, request)
        assert stored is not None and stored.status == "open"  # nothing changed by outsiders
