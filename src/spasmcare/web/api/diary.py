"""/api/v1/diary: episodes, daily check-ins, insights, alerts, charts, report, export, import.
Every operation needs an API token: a diary always belongs to someone."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response, status

from spasmcare.diary import transfer
from spasmcare.diary.inputs import CheckInInput, EpisodeInput
from spasmcare.diary.vocabulary import diary_vocabulary
from spasmcare.errors import AccountError, DiaryInputError
from spasmcare.services import diary as service
from spasmcare.services import diary_overview
from spasmcare.storage.tables import CheckInRecord, EpisodeRecord, User
from spasmcare.web.api.convert import json_response
from spasmcare.web.api.documents import download
from spasmcare.web.deps import ApiUserDep, KnowledgeDep, NowDep, SessionDep
from spasmcare.web.schemas import (
    AlertPublic,
    CheckInPublic,
    DiaryVocabularyPublic,
    EpisodePublic,
    ErrorPublic,
    ImportPublic,
)

router = APIRouter(prefix="/diary", tags=["diary"])
ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorPublic, "description": "No API token, or one that is not valid"},
    404: {"model": ErrorPublic},
    422: {"model": ErrorPublic},
}
FromQuery = Annotated[date | None, Query(alias="from", description="first local date")]
ToQuery = Annotated[date | None, Query(alias="to", description="last local date")]


def _owner(user: User | None) -> User:
    if user is None:
        raise AccountError(
            "the diary needs an API token: send Authorization: Bearer <token>", "authorization", 401
        )
    return user


def episode_public(record: EpisodeRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "started_at": record.started_at,
        "timezone": record.timezone,
        "local_date": record.local_date,
        "duration_minutes": record.duration_minutes,
        "locations": record.locations,
        "intensity": record.intensity,
        "triggers": record.triggers,
        "trigger_note": record.trigger_note,
        "remedies": record.remedies,
        "notes": record.notes,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
    }


def checkin_public(record: CheckInRecord) -> dict[str, Any]:
    fields = CheckInPublic.model_fields
    return {name: getattr(record, name) for name in fields}


@router.get("/vocabulary", response_model=DiaryVocabularyPublic)
def vocabulary(kb: KnowledgeDep) -> DiaryVocabularyPublic:
    """The codes a diary entry may use: locations, triggers, remedies, exercises, the
    warning signs a check-in asks about, and the daily factors tested as triggers."""
    words = diary_vocabulary(kb)
    return DiaryVocabularyPublic(
        locations={c.id: c.label for c in words.locations},
        triggers={t.finding: t.label for t in words.triggers},
        remedies={c.id: c.label for c in words.remedies},
        exercises={e.id: e.name for e in kb.care.exercises},
        warning_signs={code: kb.findings[code].means for code in words.checkin_warning_signs},
        factors={f.id: f.label for f in words.factors},
    )


@router.post(
    "/episodes",
    response_model=EpisodePublic,
    status_code=status.HTTP_201_CREATED,
    responses=ERRORS,
)
def add_episode(
    body: EpisodeInput, user: ApiUserDep, session: SessionDep, kb: KnowledgeDep, now: NowDep
) -> Response:
    record = service.add_episode(session, _owner(user), body, diary_vocabulary(kb), now)
    return json_response(episode_public(record), status.HTTP_201_CREATED)


@router.get("/episodes", response_model=list[EpisodePublic], responses=ERRORS)
def list_episodes(
    user: ApiUserDep, session: SessionDep, start: FromQuery = None, end: ToQuery = None
) -> Response:
    """Episodes between two local dates (inclusive), newest first."""
    records = service.episode_records(session, _owner(user), start, end)
    return json_response([episode_public(r) for r in records])


@router.get("/episodes/{episode_id}", response_model=EpisodePublic, responses=ERRORS)
def get_episode(episode_id: str, user: ApiUserDep, session: SessionDep) -> Response:
    return json_response(episode_public(service.get_episode(session, _owner(user), episode_id)))


@router.put("/episodes/{episode_id}", response_model=EpisodePublic, responses=ERRORS)
def update_episode(
    episode_id: str,
    body: EpisodeInput,
    user: ApiUserDep,
    session: SessionDep,
    kb: KnowledgeDep,
    now: NowDep,
) -> Response:
    record = service.update_episode(
        session, _owner(user), episode_id, body, diary_vocabulary(kb), now
    )
    return json_response(episode_public(record))


@router.delete("/episodes/{episode_id}", status_code=status.HTTP_204_NO_CONTENT, responses=ERRORS)
def delete_episode(episode_id: str, user: ApiUserDep, session: SessionDep) -> Response:
    service.delete_episode(session, _owner(user), episode_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.put(
    "/checkins/{local_date}",
    response_model=CheckInPublic,
    responses={**ERRORS, 201: {"model": CheckInPublic, "description": "Created"}},
)
def save_checkin(
    local_date: date,
    body: CheckInInput,
    user: ApiUserDep,
    session: SessionDep,
    kb: KnowledgeDep,
    now: NowDep,
) -> Response:
    """Create or replace the check-in of one local date (201 when new, 200 when replaced)."""
    if body.local_date != local_date:
        raise DiaryInputError("local_date", "must be the same as the date in the path")
    record, created = service.save_checkin(
        session, _owner(user), body, diary_vocabulary(kb), kb, now
    )
    return json_response(checkin_public(record), 201 if created else 200)


@router.get("/checkins", response_model=list[CheckInPublic], responses=ERRORS)
def list_checkins(
    user: ApiUserDep, session: SessionDep, start: FromQuery = None, end: ToQuery = None
) -> Response:
    records = service.checkin_records(session, _owner(user), start, end)
    return json_response([checkin_public(r) for r in records])


@router.get("/checkins/{local_date}", response_model=CheckInPublic, responses=ERRORS)
def get_checkin(local_date: date, user: ApiUserDep, session: SessionDep) -> Response:
    return json_response(checkin_public(service.get_checkin(session, _owner(user), local_date)))


@router.delete("/checkins/{local_date}", status_code=status.HTTP_204_NO_CONTENT, responses=ERRORS)
def delete_checkin(local_date: date, user: ApiUserDep, session: SessionDep) -> Response:
    service.delete_checkin(session, _owner(user), local_date)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/alerts", response_model=list[AlertPublic], responses=ERRORS)
def alerts(user: ApiUserDep, session: SessionDep, kb: KnowledgeDep, now: NowDep) -> Response:
    """What the diary says about getting care now, most urgent first, each with its reason
    and sources. Re-assess at /api/v1/interviews or /check."""
    found = diary_overview.alerts_for(session, _owner(user), kb, now)
    return json_response([diary_overview.alert_public(alert) for alert in found])


@router.get("/insights", responses=ERRORS)
def insights(user: ApiUserDep, session: SessionDep, kb: KnowledgeDep, now: NowDep) -> Response:
    """Trends, trigger effects with confidence intervals, what helps, streaks, adherence."""
    overview = diary_overview.overview(session, _owner(user), kb, now)
    return json_response(overview.insights_data())


ChartName = Literal["pain", "triggers", "relief", "weekly", "monthly"]


@router.get(
    "/charts/{name}.svg",
    responses={**ERRORS, 200: {"content": {"image/svg+xml": {}}}},
)
def chart(
    name: ChartName, user: ApiUserDep, session: SessionDep, kb: KnowledgeDep, now: NowDep
) -> Response:
    overview = diary_overview.overview(session, _owner(user), kb, now)
    return Response(overview.charts()[name], media_type="image/svg+xml")


@router.get(
    "/report.pdf",
    responses={**ERRORS, 200: {"content": {"application/pdf": {}}}},
)
def report(
    user: ApiUserDep,
    session: SessionDep,
    kb: KnowledgeDep,
    now: NowDep,
    start: FromQuery = None,
    end: ToQuery = None,
) -> Response:
    """The doctor report for a period (default: the last 90 days) as a PDF."""
    pdf = diary_overview.report_pdf(session, _owner(user), kb, now, start, end)
    return download(pdf, "application/pdf", "spasmcare-diary-report.pdf")


@router.get(
    "/export",
    responses={**ERRORS, 200: {"content": {"text/csv": {}, "application/json": {}}}},
)
def export(
    user: ApiUserDep,
    session: SessionDep,
    format: Literal["csv", "json"] = "json",
    kind: transfer.Kind = "episodes",
) -> Response:
    """The whole diary as JSON, or one kind of entry as CSV."""
    book = service.diary(session, _owner(user))
    if format == "json":
        return json_response(transfer.diary_json(book.episodes, book.checkins))
    text = transfer.diary_csv(book.episodes, book.checkins, kind)
    return download(text, "text/csv", f"spasmcare-{kind}.csv")


@router.post(
    "/import",
    response_model=ImportPublic,
    responses=ERRORS,
    openapi_extra={
        "requestBody": {
            "content": {"text/csv": {"schema": {"type": "string"}}, "application/json": {}},
            "required": True,
        }
    },
)
async def import_diary(
    request: Request,
    user: ApiUserDep,
    session: SessionDep,
    kb: KnowledgeDep,
    now: NowDep,
    kind: transfer.Kind = "episodes",
) -> Response:
    """Import a CSV (Content-Type text/csv, one kind per file) or a JSON export. Every row is
    checked first; if any is bad, nothing is imported and each bad row is listed."""
    raw = await request.body()
    content_type = request.headers.get("content-type", "").split(";")[0].strip()
    is_json = content_type == "application/json"
    counts = diary_overview.import_file(session, _owner(user), raw, is_json, kind, kb, now)
    return json_response(counts)
