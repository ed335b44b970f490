"""Clinics: staff and invitations, appointment requests with what the patient shares, the
triage queue, and the audit log of every time staff see a patient's data.

Access rules, in one place:
* a clinic's staff (clinicians and admins) see the clinic's requests; the shared
  assessment and diary only while the patient shares them (withdrawing or revoking stops
  access at once);
* admins also invite staff and read the clinic's audit log;
* patients see and manage their own requests, and the audit events about their data.
Anything else is "not found", exactly as if it did not exist.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from spasmcare.domain.triage import TriageLevel
from spasmcare.errors import AccountError, NotFoundError
from spasmcare.storage.tables import (
    AppointmentRequest,
    AssessmentRecord,
    AuditEvent,
    Clinic,
    ClinicInvitation,
    ClinicMember,
    RequestNote,
    User,
)

Role = Literal["admin", "clinician"]
Status = Literal["open", "accepted", "redirected", "declined", "withdrawn"]
INVITATION_DAYS = 7
_URGENCY = {level.value: level.urgency for level in TriageLevel}


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# ---------------------------------------------------------------- clinics and staff


def create_clinic(session: Session, admin: User, name: str, now: datetime) -> Clinic:
    label = name.strip()
    if not 2 <= len(label) <= 200:
        raise AccountError("give the clinic a name of 2 to 200 characters", "name")
    clinic = Clinic(name=label, created_at=now)
    session.add(clinic)
    session.flush()
    session.add(ClinicMember(clinic_id=clinic.id, user_id=admin.id, role="admin", created_at=now))
    session.flush()
    return clinic


def all_clinics(session: Session) -> list[Clinic]:
    """The clinics a patient can send a request to."""
    return list(session.scalars(select(Clinic).order_by(Clinic.name)))


def memberships(session: Session, user: User) -> list[tuple[Clinic, str]]:
    rows = session.execute(
        select(Clinic, ClinicMember.role)
        .join(ClinicMember, ClinicMember.clinic_id == Clinic.id)
        .where(ClinicMember.user_id == user.id)
        .order_by(Clinic.name)
    )
    return [(clinic, role) for clinic, role in rows]


def staff_clinic(session: Session, user: User, clinic_id: str, admin: bool = False) -> Clinic:
    """The clinic, if the user works there (as an admin when `admin`)."""
    member = session.scalar(
        select(ClinicMember).where(
            ClinicMember.clinic_id == clinic_id, ClinicMember.user_id == user.id
        )
    )
    if member is None or (admin and member.role != "admin"):
        raise NotFoundError("clinic")
    clinic = session.get(Clinic, clinic_id)
    assert clinic is not None
    return clinic


def staff(session: Session, clinic: Clinic) -> list[tuple[User, str]]:
    rows = session.execute(
        select(User, ClinicMember.role)
        .join(ClinicMember, ClinicMember.user_id == User.id)
        .where(ClinicMember.clinic_id == clinic.id)
        .order_by(User.email)
    )
    return [(user, role) for user, role in rows]


@dataclass(frozen=True)
class NewInvitation:
    id: str
    token: str  # shown once, as a link
    expires_at: datetime


def invite(
    session: Session, admin: User, clinic_id: str, role: Role, now: datetime
) -> NewInvitation:
    clinic = staff_clinic(session, admin, clinic_id, admin=True)
    if role not in ("admin", "clinician"):
        raise AccountError("the role must be clinician or admin", "role")
    token = secrets.token_urlsafe(32)
    invitation = ClinicInvitation(
        clinic_id=clinic.id,
        token_hash=_digest(token),
        role=role,
        created_by=admin.id,
        created_at=now,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    session.add(invitation)
    session.flush()
    return NewInvitation(invitation.id, token, invitation.expires_at)


def invitation(session: Session, token: str, now: datetime) -> tuple[ClinicInvitation, Clinic]:
    found = session.scalar(
        select(ClinicInvitation).where(ClinicInvitation.token_hash == _digest(token))
    )
    if found is None:
        raise NotFoundError("invitation")
    if found.accepted_at is not None:
        raise AccountError("this invitation has already been used", "invitation", 410)
    if found.expires_at <= now:
        raise AccountError(
            "this invitation has expired; ask the clinic for a new one", "invitation", 410
        )
    clinic = session.get(Clinic, found.clinic_id)
    assert clinic is not None
    return found, clinic


def accept_invitation(session: Session, user: User, token: str, now: datetime) -> Clinic:
    found, clinic = invitation(session, token, now)
    member = session.scalar(
        select(ClinicMember).where(
            ClinicMember.clinic_id == clinic.id, ClinicMember.user_id == user.id
        )
    )
    if member is None:
        session.add(
            ClinicMember(clinic_id=clinic.id, user_id=user.id, role=found.role, created_at=now)
        )
    elif found.role == "admin":
        member.role = "admin"
    found.accepted_at, found.accepted_by = now, user.id
    session.flush()
    return clinic


# ---------------------------------------------------------------- requests (patient side)


@dataclass(frozen=True)
class RequestDetails:
    clinic_id: str
    contact_name: str
    contact_phone: str | None
    contact_email: str | None
    preferred_times: str | None
    message: str | None
    diary_from: date | None
    diary_to: date | None


def send_request(
    session: Session,
    patient: User,
    assessment_id: str,
    details: RequestDetails,
    now: datetime,
) -> AppointmentRequest:
    record = session.get(AssessmentRecord, assessment_id)
    if record is None or record.user_id != patient.id:
        raise NotFoundError("assessment")
    if session.get(Clinic, details.clinic_id) is None:
        raise AccountError("choose a clinic from the list", "clinic_id")
    if not details.contact_name.strip():
        raise AccountError("give a name the clinic can use", "contact_name")
    if not (details.contact_phone or details.contact_email):
        raise AccountError("give a phone number or an email address", "contact_phone")
    if (details.diary_from is None) != (details.diary_to is None):
        raise AccountError("give both dates of the diary period, or neither", "diary_from")
    if details.diary_from and details.diary_to and details.diary_from > details.diary_to:
        raise AccountError("the diary period starts after it ends", "diary_from")
    request = AppointmentRequest(
        clinic_id=details.clinic_id,
        patient_id=patient.id,
        assessment_id=record.id,
        triage=record.triage,
        # Booking is never the advice for an emergency; if the person still sends a
        # request, the clinic sees it flagged at the top of the queue.
        emergency=record.triage == TriageLevel.EMERGENCY.value,
        diary_from=details.diary_from,
        diary_to=details.diary_to,
        preferred_times=(details.preferred_times or "").strip()[:1000] or None,
        contact_name=details.contact_name.strip()[:200],
        contact_phone=(details.contact_phone or "").strip()[:50] or None,
        contact_email=(details.contact_email or "").strip()[:254] or None,
        message=(details.message or "").strip()[:2000] or None,
        status="open",
        created_at=now,
        updated_at=now,
    )
    session.add(request)
    session.flush()
    return request


def patient_requests(session: Session, patient: User) -> list[tuple[AppointmentRequest, Clinic]]:
    rows = session.execute(
        select(AppointmentRequest, Clinic)
        .join(Clinic, Clinic.id == AppointmentRequest.clinic_id)
        .where(AppointmentRequest.patient_id == patient.id)
        .order_by(AppointmentRequest.created_at.desc())
    )
    return [(request, clinic) for request, clinic in rows]


def own_request(session: Session, patient: User, request_id: str) -> AppointmentRequest:
    request = session.get(AppointmentRequest, request_id)
    if request is None or request.patient_id != patient.id:
        raise NotFoundError("request")
    return request


def withdraw(session: Session, patient: User, request_id: str, now: datetime) -> None:
    """Withdrawing also stops the clinic's access to what was shared."""
    request = own_request(session, patient, request_id)
    request.status = "withdrawn"
    request.sharing_revoked_at = request.sharing_revoked_at or now
    request.updated_at = now


def revoke_sharing(session: Session, patient: User, request_id: str, now: datetime) -> None:
    request = own_request(session, patient, request_id)
    request.sharing_revoked_at = request.sharing_revoked_at or now
    request.updated_at = now


def patient_audit(session: Session, patient: User) -> list[tuple[AuditEvent, str | None]]:
    """Every time clinic staff saw or changed this person's data, newest first."""
    rows = session.execute(
        select(AuditEvent, Clinic.name)
        .outerjoin(Clinic, Clinic.id == AuditEvent.clinic_id)
        .where(AuditEvent.patient_id == patient.id)
        .order_by(AuditEvent.at.desc())
        .limit(1000)
    )
    return [(event, name) for event, name in rows]


# ---------------------------------------------------------------- the clinic's side


def shared(request: AppointmentRequest) -> bool:
    return (
        request.sharing_revoked_at is None
        and request.status != "withdrawn"
        and request.assessment_id is not None
    )


def queue(session: Session, clinician: User, clinic_id: str) -> list[AppointmentRequest]:
    """Open requests, most urgent triage first (an emergency first of all), then the
    longest waiting."""
    clinic = staff_clinic(session, clinician, clinic_id)
    requests = list(
        session.scalars(
            select(AppointmentRequest).where(
                AppointmentRequest.clinic_id == clinic.id, AppointmentRequest.status == "open"
            )
        )
    )
    return sorted(requests, key=lambda r: (-_URGENCY.get(r.triage, 0), r.created_at))


def handled(session: Session, clinician: User, clinic_id: str) -> list[AppointmentRequest]:
    clinic = staff_clinic(session, clinician, clinic_id)
    return list(
        session.scalars(
            select(AppointmentRequest)
            .where(
                AppointmentRequest.clinic_id == clinic.id,
                AppointmentRequest.status.in_(("accepted", "redirected", "declined")),
            )
            .order_by(AppointmentRequest.updated_at.desc())
            .limit(100)
        )
    )


def clinic_request(
    session: Session, clinician: User, clinic_id: str, request_id: str
) -> AppointmentRequest:
    clinic = staff_clinic(session, clinician, clinic_id)
    request = session.get(AppointmentRequest, request_id)
    if request is None or request.clinic_id != clinic.id or request.status == "withdrawn":
        raise NotFoundError("request")
    return request


def shared_assessment(session: Session, request: AppointmentRequest) -> AssessmentRecord:
    """The assessment, only while it is shared."""
    if not shared(request):
        raise NotFoundError("shared assessment (the patient stopped sharing it)")
    record = session.get(AssessmentRecord, request.assessment_id)
    if record is None:
        raise NotFoundError("shared assessment")
    return record


def record_view(
    session: Session,
    actor: User,
    request: AppointmentRequest,
    action: str,
    now: datetime,
    detail: str | None = None,
) -> None:
    session.add(
        AuditEvent(
            at=now,
            clinic_id=request.clinic_id,
            actor_id=actor.id,
            actor_email=actor.email,
            patient_id=request.patient_id,
            request_id=request.id,
            action=action,
            detail=detail,
        )
    )


def add_note(
    session: Session, clinician: User, clinic_id: str, request_id: str, text: str, now: datetime
) -> RequestNote:
    request = clinic_request(session, clinician, clinic_id, request_id)
    body = text.strip()
    if not 1 <= len(body) <= 4000:
        raise AccountError("write a note of 1 to 4000 characters", "note")
    note = RequestNote(request_id=request.id, author_id=clinician.id, text=body, created_at=now)
    session.add(note)
    record_view(session, clinician, request, "add_note", now)
    return note


def notes(session: Session, request: AppointmentRequest) -> list[tuple[RequestNote, str | None]]:
    rows = session.execute(
        select(RequestNote, User.email)
        .outerjoin(User, User.id == RequestNote.author_id)
        .where(RequestNote.request_id == request.id)
        .order_by(RequestNote.created_at)
    )
    return [(note, email) for note, email in rows]


def set_status(
    session: Session,
    clinician: User,
    clinic_id: str,
    request_id: str,
    status: str,
    now: datetime,
    appointment_at: datetime | None = None,
    reason: str | None = None,
) -> AppointmentRequest:
    request = clinic_request(session, clinician, clinic_id, request_id)
    why = (reason or "").strip()
    if status == "accepted":
        if appointment_at is None:
            raise AccountError("give the appointment's date and time", "appointment_at")
        if appointment_at < now - timedelta(hours=1):
            raise AccountError("the appointment time is in the past", "appointment_at")
    elif status == "declined":
        if not why:
            raise AccountError("give the reason the request is declined", "reason")
    elif status != "redirected":
        raise AccountError("choose accepted, redirected to emergency care or declined", "status")
    request.status = status
    request.appointment_at = appointment_at if status == "accepted" else None
    request.status_reason = why or None
    request.updated_at = now
    record_view(session, clinician, request, f"status_{status}", now, why or None)
    return request


def clinic_audit(session: Session, admin: User, clinic_id: str) -> list[AuditEvent]:
    clinic = staff_clinic(session, admin, clinic_id, admin=True)
    return list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.clinic_id == clinic.id)
            .order_by(AuditEvent.at.desc())
            .limit(1000)
        )
    )
