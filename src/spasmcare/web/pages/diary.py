"""The diary pages: a quick log from a phone (three taps), the daily check-in, the list of
episodes, insights with charts, the doctor report, export and import."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import orjson
from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import BaseModel
from starlette.datastructures import FormData

from spasmcare.diary import transfer
from spasmcare.diary.inputs import CheckInInput, EpisodeInput, field_label, parse_model
from spasmcare.diary.records import local_date_of, zone
from spasmcare.diary.vocabulary import DiaryVocabulary, diary_vocabulary
from spasmcare.errors import AccountError, DiaryImportError, DiaryInputError
from spasmcare.knowledge.base import KnowledgeBase
from spasmcare.services import diary as service
from spasmcare.services import diary_overview
from spasmcare.storage.tables import EpisodeRecord, User
from spasmcare.web.api.documents import download
from spasmcare.web.deps import KnowledgeDep, NowDep, SessionDep, SignedInDep
from spasmcare.web.security import check_csrf
from spasmcare.web.templating import render
from spasmcare.web.uploads import read_upload

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])
MAX_UPLOAD = 5_000_000
_RELIEF = frozenset(["", *(str(n) for n in range(11))])  # a relief radio's values


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _many(form: FormData, name: str) -> list[str]:
    return [v for v in form.getlist(name) if isinstance(v, str) and v]


def _zone_from(form: FormData, user: User) -> str:
    """The zone the browser reports (set by spasmcare.js), else the account's."""
    name = _text(form, "timezone")
    try:
        return zone(name).key if name else user.timezone
    except ValueError:
        return user.timezone


def _episode_from_form(
    form: FormData, user: User, vocabulary: DiaryVocabulary, now: datetime
) -> EpisodeInput:
    timezone = _zone_from(form, user)
    when = _text(form, "started_local")
    if when:
        try:
            started = datetime.fromisoformat(when).replace(tzinfo=zone(timezone))
        except ValueError:
            raise DiaryInputError("started_at", "give the date and time it started") from None
    else:
        started = now.replace(second=0, microsecond=0)
    # Each tried remedy's "relief_<id>" is a radio: "" (not sure) or 0 to 10. A rating
    # of something not ticked as tried is left out.
    remedies, wrong = [], []
    for remedy in vocabulary.remedies:
        if remedy.id in _many(form, "remedies"):
            relief = _text(form, f"relief_{remedy.id}")
            if relief not in _RELIEF:
                wrong.append(
                    ("remedies", f"choose how much {remedy.label.lower()} helped, from 0 to 10")
                )
            remedies.append({"remedy": remedy.id, "relief": relief or None})
    raw: dict[str, Any] = {
        "started_at": started,
        "timezone": timezone,
        "locations": _many(form, "locations"),
        "intensity": _text(form, "intensity"),
        "triggers": _many(form, "triggers"),
        "remedies": remedies,
    }
    for name in ("duration_minutes", "trigger_note", "notes"):
        if _text(form, name):
            raw[name] = _text(form, name)
    missing = [
        (field, message)
        for field, message in (
            ("locations", "choose where the spasm is"),
            ("intensity", "choose how strong it is, from 0 to 10"),
        )
        if not raw[field]
    ]
    if missing or wrong:
        raise DiaryInputError.listing(missing + wrong)
    return parse_model(EpisodeInput, raw)


def _checkin_from_form(form: FormData, user: User) -> CheckInInput:
    raw: dict[str, Any] = {
        "local_date": _text(form, "local_date"),
        "timezone": _zone_from(form, user),
        "medicines": _many(form, "medicines"),
        "exercises_done": _many(form, "exercises_done"),
        "warning_signs": _many(form, "warning_signs"),
    }
    for name in (
        "pain_average", "pain_worst", "sleep_hours", "sleep_quality", "water_litres",
        "sitting_hours", "exercise_minutes", "stress", "note",
    ):  # fmt: skip
        if _text(form, name):
            raw[name] = _text(form, name).replace(",", ".") if name != "note" else _text(form, name)
    return parse_model(CheckInInput, raw)


def _common(kb: KnowledgeBase, user: User) -> dict[str, Any]:
    return {"user": user, "words": diary_vocabulary(kb), "kb": kb}


def _problems(problem: DiaryInputError | None, model: type[BaseModel]) -> dict[str, Any]:
    """Every problem of a refused form in the form's own words, and the fields to mark."""
    problems = () if problem is None else problem.problems
    return {
        "problem_list": [(field_label(model, field), message) for field, message in problems],
        "problem_fields": {field.split(".")[0] for field, _ in problems},
    }


@router.get("/diary")
def diary_home(
    request: Request, session: SessionDep, owner: SignedInDep, kb: KnowledgeDep, now: NowDep
) -> Response:
    overview = diary_overview.overview(session, owner, kb, now, days=90, whole_history=False)
    today = service.today_for(owner, now)
    return render(
        request,
        "pages/diary/home.html",
        {
            **_common(kb, owner),
            "overview": overview,
            "today": today,
            "checked_in": service.find_checkin(session, owner, today) is not None,
            "missed": service.missed_checkins(session, owner, now),
            "recent": service.episode_records(session, owner, today - timedelta(days=30), today)[
                :5
            ],
            "done": request.query_params.get("done"),
        },
    )


@router.post("/diary/episodes")
async def log_episode(
    request: Request, session: SessionDep, owner: SignedInDep, kb: KnowledgeDep, now: NowDep
) -> Response:
    form = await request.form()
    words = diary_vocabulary(kb)
    try:
        data = _episode_from_form(form, owner, words, now)
        service.set_timezone(owner, data.timezone)
        service.add_episode(session, owner, data, words, now)
    except DiaryInputError as problem:
        return _episode_page(request, kb, owner, None, form, problem)
    return RedirectResponse("/diary?done=episode", status_code=303)


def _episode_page(
    request: Request,
    kb: KnowledgeBase,
    user: User,
    record: EpisodeRecord | None,
    form: FormData | None = None,
    problem: DiaryInputError | None = None,
) -> Response:
    values: dict[str, Any] = {}
    if record is not None:
        local = record.started_at.astimezone(zone(record.timezone))
        values = {
            "started_local": local.strftime("%Y-%m-%dT%H:%M"),
            "locations": record.locations,
            "intensity": str(record.intensity),
            "triggers": record.triggers,
            "remedies": [r["remedy"] for r in record.remedies],
            "relief": {r["remedy"]: r.get("relief") for r in record.remedies},
            "duration_minutes": record.duration_minutes or "",
            "trigger_note": record.trigger_note or "",
            "notes": record.notes or "",
        }
    elif form is not None:
        values = {
            "started_local": _text(form, "started_local"),
            "locations": _many(form, "locations"),
            "intensity": _text(form, "intensity"),
            "triggers": _many(form, "triggers"),
            "remedies": _many(form, "remedies"),
            "relief": {r: _text(form, f"relief_{r}") for r in _many(form, "remedies")},
            "duration_minutes": _text(form, "duration_minutes"),
            "trigger_note": _text(form, "trigger_note"),
            "notes": _text(form, "notes"),
        }
    return render(
        request,
        "pages/diary/episode.html",
        {
            **_common(kb, user),
            **_problems(problem, EpisodeInput),
            "record": record,
            "values": values,
        },
        problem=problem,
    )


@router.get("/diary/episodes")
def episodes_page(
    request: Request, session: SessionDep, owner: SignedInDep, kb: KnowledgeDep
) -> Response:
    return render(
        request,
        "pages/diary/episodes.html",
        {**_common(kb, owner), "records": service.episode_records(session, owner)[:500]},
    )


@router.get("/diary/episodes/new")
def new_episode(request: Request, owner: SignedInDep, kb: KnowledgeDep) -> Response:
    return _episode_page(request, kb, owner, None)


@router.get("/diary/episodes/{episode_id}")
def edit_episode(
    request: Request, episode_id: str, session: SessionDep, owner: SignedInDep, kb: KnowledgeDep
) -> Response:
    return _episode_page(request, kb, owner, service.get_episode(session, owner, episode_id))


@router.post("/diary/episodes/{episode_id}")
async def update_episode(
    request: Request,
    episode_id: str,
    session: SessionDep,
    owner: SignedInDep,
    kb: KnowledgeDep,
    now: NowDep,
) -> Response:
    record = service.get_episode(session, owner, episode_id)
    form = await request.form()
    words = diary_vocabulary(kb)
    try:
        service.update_episode(
            session, owner, episode_id, _episode_from_form(form, owner, words, now), words, now
        )
    except DiaryInputError as problem:
        return _episode_page(request, kb, owner, record, form, problem)
    return RedirectResponse("/diary/episodes", status_code=303)


@router.post("/diary/episodes/{episode_id}/delete")
async def delete_episode(episode_id: str, session: SessionDep, owner: SignedInDep) -> Response:
    service.delete_episode(session, owner, episode_id)
    return RedirectResponse("/diary/episodes", status_code=303)


def _checkin_page(
    request: Request,
    kb: KnowledgeBase,
    user: User,
    now: datetime,
    day: date,
    values: dict[str, Any],
    problem: DiaryInputError | None = None,
    plan_exercises: tuple[str, ...] = (),
) -> Response:
    return render(
        request,
        "pages/diary/checkin.html",
        {
            **_common(kb, user),
            **_problems(problem, CheckInInput),
            "day": day,
            "today": service.today_for(user, now),
            "values": values,
            "plan_exercises": plan_exercises,
        },
        problem=problem,
    )


@router.get("/diary/checkin")
def checkin_page(
    request: Request,
    session: SessionDep,
    owner: SignedInDep,
    kb: KnowledgeDep,
    now: NowDep,
    day: date | None = None,
) -> Response:
    chosen = day or service.today_for(owner, now)
    record = service.find_checkin(session, owner, chosen)
    values = {} if record is None else {k: getattr(record, k) for k in _CHECKIN_FIELDS}
    values["saved"] = record is not None
    plan = diary_overview.plan_exercises(session, owner)
    return _checkin_page(request, kb, owner, now, chosen, values, plan_exercises=plan)


_CHECKIN_FIELDS = (
    "pain_average", "pain_worst", "sleep_hours", "sleep_quality", "water_litres",
    "sitting_hours", "exercise_minutes", "stress", "medicines", "exercises_done",
    "warning_signs", "note",
)  # fmt: skip


@router.post("/diary/checkin")
async def save_checkin(
    request: Request, session: SessionDep, owner: SignedInDep, kb: KnowledgeDep, now: NowDep
) -> Response:
    form = await request.form()
    try:
        data = _checkin_from_form(form, owner)
        service.set_timezone(owner, data.timezone)
        service.save_checkin(session, owner, data, diary_vocabulary(kb), kb, now)
    except DiaryInputError as problem:
        values: dict[str, Any] = {k: _text(form, k) for k in _CHECKIN_FIELDS}
        for name in ("medicines", "exercises_done", "warning_signs"):
            values[name] = _many(form, name)
        try:
            day = date.fromisoformat(_text(form, "local_date"))
        except ValueError:
            day = service.today_for(owner, now)
        plan = diary_overview.plan_exercises(session, owner)
        return _checkin_page(request, kb, owner, now, day, values, problem, plan)
    return RedirectResponse("/diary?done=checkin", status_code=303)


@router.post("/diary/checkin/{day}/delete")
async def delete_checkin(day: date, session: SessionDep, owner: SignedInDep) -> Response:
    service.delete_checkin(session, owner, day)
    return RedirectResponse("/diary", status_code=303)


@router.get("/diary/insights")
def insights_page(
    request: Request, session: SessionDep, owner: SignedInDep, kb: KnowledgeDep, now: NowDep
) -> Response:
    overview = diary_overview.overview(session, owner, kb, now)
    return render(
        request, "pages/diary/insights.html", {**_common(kb, owner), "overview": overview}
    )


@router.get("/diary/report")
def report_page(request: Request, owner: SignedInDep, kb: KnowledgeDep, now: NowDep) -> Response:
    today = local_date_of(now, owner.timezone)
    return render(
        request,
        "pages/diary/report.html",
        {**_common(kb, owner), "start": today - timedelta(days=89), "end": today},
    )


@router.get("/diary/report.pdf")
def report_pdf(
    session: SessionDep,
    owner: SignedInDep,
    kb: KnowledgeDep,
    now: NowDep,
    start: date | None = None,
    end: date | None = None,
) -> Response:
    pdf = diary_overview.report_pdf(session, owner, kb, now, start, end)
    return download(pdf, "application/pdf", "spasmcare-diary-report.pdf")


@router.get("/diary/export")
def export(
    session: SessionDep,
    owner: SignedInDep,
    format: str = "json",
    kind: str = "episodes",
) -> Response:
    book = service.diary(session, owner)
    if format == "csv":
        chosen: transfer.Kind = "checkins" if kind == "checkins" else "episodes"
        text = transfer.diary_csv(book.episodes, book.checkins, chosen)
        return download(text, "text/csv", f"spasmcare-{chosen}.csv")
    data = transfer.diary_json(book.episodes, book.checkins)
    return download(
        orjson.dumps(data, option=orjson.OPT_INDENT_2), "application/json", "spasmcare-diary.json"
    )


@router.post("/diary/import")
async def import_file(
    request: Request, session: SessionDep, owner: SignedInDep, kb: KnowledgeDep, now: NowDep
) -> Response:
    form = await request.form()
    kind: transfer.Kind = "checkins" if _text(form, "kind") == "checkins" else "episodes"
    problems: list[str] = []
    counts: dict[str, int] | None = None
    try:
        name, raw = await read_upload(form, "file", MAX_UPLOAD, "a file")
        is_json = name.lower().endswith(".json")
        counts = diary_overview.import_file(session, owner, raw, is_json, kind, kb, now)
    except AccountError as error:
        problems = [error.message]
    except DiaryImportError as error:
        problems = list(error.problems)
    return render(
        request,
        "pages/diary/imported.html",
        {**_common(kb, owner), "problems": problems, "counts": counts},
        422 if problems else 200,
    )
