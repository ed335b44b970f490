"""Clinic pages (staff: clinics, invitations, the triage queue, a request, the audit log)
and the patient's side (sending a request from a saved result, following and withdrawing
it, revoking sharing, and seeing who looked at their data)."""

from __future__ import annotations

import statistics
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import RedirectResponse

from spasmcare.diary.records import zone
from spasmcare.domain.careplan import careplan_from_dict
from spasmcare.errors import AccountError, NotFoundError
from spasmcare.knowledge.base import KnowledgeBase
from spasmcare.services import assessments, clinics, diary_overview
from spasmcare.services import diary as diary_records
from spasmcare.storage.tables import AppointmentRequest, User
from spasmcare.web.api.documents import careplan_response, download
from spasmcare.web.deps import KnowledgeDep, NowDep, PageUserDep, SessionDep, SignedInDep
from spasmcare.web.pages.history import saved_result_page
from spasmcare.web.security import check_csrf
from spasmcare.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])
Text = Annotated[str, Form(max_length=4000)]
STATUS_WORDS = {
    "open": "Waiting for the clinic",
    "accepted": "Accepted",
    "redirected": "Redirected to emergency care",
    "declined": "Declined",
    "withdrawn": "Withdrawn",
}


def _date_or_none(text: str, field: str) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise AccountError(f"'{text}' is not a date", field) from None


def diary_summary(session: SessionDep, request: AppointmentRequest) -> dict[str, Any] | None:
    """A short summary of the shared diary period, for the queue and the request page."""
    if request.diary_from is None or request.diary_to is None or not clinics.shared(request):
        return None
    patient = session.get(User, request.patient_id)
    if patient is None:
        return None
    book = diary_records.diary(session, patient, request.diary_from, request.diary_to)
    pains = [c.pain_average for c in book.checkins if c.pain_average is not None]
    return {
        "start": request.diary_from,
        "end": request.diary_to,
        "episodes": len(book.episodes),
        "strongest": max((e.intensity for e in book.episodes), default=None),
        "checkins": len(book.checkins),
        "pain": statistics.fmean(pains) if pains else None,
    }


# ---------------------------------------------------------------- staff


@router.get("/clinics")
def clinics_page(request: Request, session: SessionDep, owner: SignedInDep) -> Response:
    return render(
        request,
        "pages/clinics/index.html",
        {"user": owner, "memberships": clinics.memberships(session, owner)},
    )


@router.post("/clinics")
async def create_clinic(
    request: Request,
    session: SessionDep,
    owner: SignedInDep,
    now: NowDep,
    name: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    try:
        clinic = clinics.create_clinic(session, owner, name, now)
    except AccountError as problem:
        return render(
            request,
            "pages/clinics/index.html",
            {
                "user": owner,
                "memberships": clinics.memberships(session, owner),
                "problem": problem.message,
            },
            problem.status,
        )
    return RedirectResponse(f"/clinics/{clinic.id}", status_code=303)


def _clinic_page(
    request: Request,
    session: SessionDep,
    user: User,
    clinic_id: str,
    link: str | None = None,
) -> Response:
    clinic = clinics.staff_clinic(session, user, clinic_id, admin=True)
    return render(
        request,
        "pages/clinics/clinic.html",
        {
            "user": user,
            "clinic": clinic,
            "staff": clinics.staff(session, clinic),
            "link": link,
            "days": clinics.INVITATION_DAYS,
        },
    )


@router.get("/clinics/{clinic_id}")
def clinic_page(
    request: Request, clinic_id: str, session: SessionDep, owner: SignedInDep
) -> Response:
    if not any(c.id == clinic_id and r == "admin" for c, r in clinics.memberships(session, owner)):
        clinics.staff_clinic(session, owner, clinic_id)  # staff, not admin: to the queue
        return RedirectResponse(f"/clinics/{clinic_id}/queue", status_code=303)
    return _clinic_page(request, session, owner, clinic_id)


@router.post("/clinics/{clinic_id}/invitations")
async def create_invitation(
    request: Request,
    clinic_id: str,
    session: SessionDep,
    owner: SignedInDep,
    now: NowDep,
    role: Annotated[str, Form(max_length=20)] = "clinician",
) -> Response:
    invitation = clinics.invite(
        session, owner, clinic_id, "admin" if role == "admin" else "clinician", now
    )
    link = str(request.url_for("invitation_page", token=invitation.token))
    return _clinic_page(request, session, owner, clinic_id, link)


@router.get("/invitations/{token}", name="invitation_page")
def invitation_page(
    request: Request, token: str, session: SessionDep, user: PageUserDep, now: NowDep
) -> Response:
    found, clinic = clinics.invitation(session, token, now)
    return render(
        request,
        "pages/clinics/invitation.html",
        {"user": user, "clinic": clinic, "role": found.role, "token": token},
    )


@router.post("/invitations/{token}")
async def accept_invitation(
    token: str, session: SessionDep, owner: SignedInDep, now: NowDep
) -> Response:
    clinic = clinics.accept_invitation(session, owner, token, now)
    return RedirectResponse(f"/clinics/{clinic.id}/queue", status_code=303)


@router.get("/clinics/{clinic_id}/queue")
def queue_page(
    request: Request, clinic_id: str, session: SessionDep, owner: SignedInDep
) -> Response:
    clinic = clinics.staff_clinic(session, owner, clinic_id)
    open_requests = clinics.queue(session, owner, clinic_id)
    rows = []
    for item in open_requests:
        record = (
            assessments.get_any(session, item.assessment_id)
            if clinics.shared(item) and item.assessment_id
            else None
        )
        rows.append(
            {
                "request": item,
                "result": None if record is None else record.result,
                "diary": diary_summary(session, item),
            }
        )
    is_admin = any(
        c.id == clinic_id and r == "admin" for c, r in clinics.memberships(session, owner)
    )
    return render(
        request,
        "pages/clinics/queue.html",
        {
            "user": owner,
            "clinic": clinic,
            "rows": rows,
            "handled": clinics.handled(session, owner, clinic_id),
            "status_words": STATUS_WORDS,
            "is_admin": is_admin,
        },
    )


def _request_page(
    request: Request,
    session: SessionDep,
    kb: KnowledgeBase,
    user: User,
    clinic_id: str,
    request_id: str,
    now: datetime,
    problem: AccountError | None = None,
) -> Response:
    item = clinics.clinic_request(session, user, clinic_id, request_id)
    record = None
    if clinics.shared(item):
        record = clinics.shared_assessment(session, item)
        clinics.record_view(session, user, item, "view_assessment", now)
    return render(
        request,
        "pages/clinics/request.html",
        {
            "user": user,
            "clinic": clinics.staff_clinic(session, user, clinic_id),
            "item": item,
            "record": record,
            "result": None if record is None else record.result,
            "level": None if record is None else kb.levels[record.result["triage"]],
            "care": None if record is None else assessments.care_plan(record),
            "diary": diary_summary(session, item),
            "notes": clinics.notes(session, item),
            "status_words": STATUS_WORDS,
            "readonly": True,
        },
        problem=problem,
    )


@router.get("/clinics/{clinic_id}/requests/{request_id}")
def request_page(
    request: Request,
    clinic_id: str,
    request_id: str,
    session: SessionDep,
    owner: SignedInDep,
    kb: KnowledgeDep,
    now: NowDep,
) -> Response:
    return _request_page(request, session, kb, owner, clinic_id, request_id, now)


@router.get("/clinics/{clinic_id}/requests/{request_id}/diary-report.pdf")
def request_diary_report(
    clinic_id: str,
    request_id: str,
    session: SessionDep,
    owner: SignedInDep,
    kb: KnowledgeDep,
    now: NowDep,
) -> Response:
    item = clinics.clinic_request(session, owner, clinic_id, request_id)
    patient = session.get(User, item.patient_id)
    if not clinics.shared(item) or item.diary_from is None or patient is None:
        raise NotFoundError("shared diary report")
    pdf = diary_overview.report_pdf(session, patient, kb, now, item.diary_from, item.diary_to)
    clinics.record_view(
        session, owner, item, "view_diary_report", now, f"{item.diary_from} to {item.diary_to}"
    )
    return download(pdf, "application/pdf", "diary-report.pdf")


@router.get("/clinics/{clinic_id}/requests/{request_id}/plan.pdf")
def request_plan(
    clinic_id: str,
    request_id: str,
    session: SessionDep,
    owner: SignedInDep,
    kb: KnowledgeDep,
    now: NowDep,
) -> Response:
    item = clinics.clinic_request(session, owner, clinic_id, request_id)
    record = clinics.shared_assessment(session, item)
    clinics.record_view(session, owner, item, "view_care_plan", now)
    plan = careplan_from_dict(assessments.care_plan(record))
    return careplan_response(plan, kb, "pdf", now)


@router.post("/clinics/{clinic_id}/requests/{request_id}/notes")
async def add_note(
    request: Request,
    clinic_id: str,
    request_id: str,
    session: SessionDep,
    owner: SignedInDep,
    kb: KnowledgeDep,
    now: NowDep,
    note: Text = "",
) -> Response:
    try:
        clinics.add_note(session, owner, clinic_id, request_id, note, now)
    except AccountError as problem:
        return _request_page(request, session, kb, owner, clinic_id, request_id, now, problem)
    return RedirectResponse(f"/clinics/{clinic_id}/requests/{request_id}", status_code=303)


@router.post("/clinics/{clinic_id}/requests/{request_id}/status")
async def set_status(
    request: Request,
    clinic_id: str,
    request_id: str,
    session: SessionDep,
    owner: SignedInDep,
    kb: KnowledgeDep,
    now: NowDep,
    status: Annotated[str, Form(max_length=20)] = "",
    appointment_at: Annotated[str, Form(max_length=40)] = "",
    timezone: Annotated[str, Form(max_length=64)] = "",
    reason: Text = "",
) -> Response:
    try:
        when = None
        if appointment_at.strip():
            try:
                local = datetime.fromisoformat(appointment_at.strip())
            except ValueError:
                raise AccountError(
                    "give the appointment's date and time", "appointment_at"
                ) from None
            when = local.replace(tzinfo=zone(timezone or owner.timezone))
        clinics.set_status(session, owner, clinic_id, request_id, status, now, when, reason)
    except (AccountError, ValueError) as problem:
        error = (
            problem if isinstance(problem, AccountError) else AccountError(str(problem), "timezone")
        )
        return _request_page(request, session, kb, owner, clinic_id, request_id, now, error)
    return RedirectResponse(f"/clinics/{clinic_id}/queue", status_code=303)


@router.get("/clinics/{clinic_id}/audit")
def audit_page(
    request: Request, clinic_id: str, session: SessionDep, owner: SignedInDep
) -> Response:
    events = clinics.clinic_audit(session, owner, clinic_id)
    return render(
        request,
        "pages/clinics/audit.html",
        {
            "user": owner,
            "clinic": clinics.staff_clinic(session, owner, clinic_id),
            "events": events,
        },
    )


# ---------------------------------------------------------------- patients


@router.post("/assessments/{assessment_id}/requests")
async def send_request(
    request: Request,
    assessment_id: str,
    session: SessionDep,
    owner: SignedInDep,
    kb: KnowledgeDep,
    now: NowDep,
    clinic_id: Annotated[str, Form(max_length=36)] = "",
    contact_name: Annotated[str, Form(max_length=200)] = "",
    contact_phone: Annotated[str, Form(max_length=50)] = "",
    contact_email: Annotated[str, Form(max_length=254)] = "",
    preferred_times: Annotated[str, Form(max_length=1000)] = "",
    message: Annotated[str, Form(max_length=2000)] = "",
    share_diary: Annotated[str, Form(max_length=5)] = "",
    diary_from: Annotated[str, Form(max_length=20)] = "",
    diary_to: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    try:
        details = clinics.RequestDetails(
            clinic_id=clinic_id,
            contact_name=contact_name,
            contact_phone=contact_phone or None,
            contact_email=contact_email or None,
            preferred_times=preferred_times or None,
            message=message or None,
            diary_from=_date_or_none(diary_from, "diary_from") if share_diary else None,
            diary_to=_date_or_none(diary_to, "diary_to") if share_diary else None,
        )
        sent = clinics.send_request(session, owner, assessment_id, details, now)
    except AccountError as problem:
        # The form again as typed (FastAPI has already read it; this is the cached copy).
        typed = {
            name: value for name, value in (await request.form()).items() if isinstance(value, str)
        }
        return saved_result_page(
            request, session, owner, kb, assessment_id, now, problem, request_values=typed
        )
    return RedirectResponse(f"/requests/{sent.id}?sent=1", status_code=303)


@router.get("/requests")
def my_requests(request: Request, session: SessionDep, owner: SignedInDep) -> Response:
    return render(
        request,
        "pages/clinics/my_requests.html",
        {
            "user": owner,
            "requests": clinics.patient_requests(session, owner),
            "status_words": STATUS_WORDS,
            "events": clinics.patient_audit(session, owner),
        },
    )


@router.get("/requests/{request_id}")
def my_request(
    request: Request, request_id: str, session: SessionDep, owner: SignedInDep, sent: int = 0
) -> Response:
    item = clinics.own_request(session, owner, request_id)
    clinic = next(c for r, c in clinics.patient_requests(session, owner) if r.id == item.id)
    events = [(e, n) for e, n in clinics.patient_audit(session, owner) if e.request_id == item.id]
    return render(
        request,
        "pages/clinics/my_request.html",
        {
            "user": owner,
            "item": item,
            "clinic": clinic,
            "events": events,
            "status_words": STATUS_WORDS,
            "shared": clinics.shared(item),
            "sent": bool(sent),
        },
    )


@router.post("/requests/{request_id}/withdraw")
async def withdraw(
    request_id: str, session: SessionDep, owner: SignedInDep, now: NowDep
) -> Response:
    clinics.withdraw(session, owner, request_id, now)
    return RedirectResponse(f"/requests/{request_id}", status_code=303)


@router.post("/requests/{request_id}/revoke")
async def revoke(request_id: str, session: SessionDep, owner: SignedInDep, now: NowDep) -> Response:
    clinics.revoke_sharing(session, owner, request_id, now)
    return RedirectResponse(f"/requests/{request_id}", status_code=303)
