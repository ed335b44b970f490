"""The diary from the terminal: `spasmcare log`, `checkin`, `insights`, `report` and
`spasmcare diary export|import`. It works on the default SQLite file as one local person,
with no login (or on SPASMCARE_DATABASE_URL with --email to pick an account)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from spasmcare.words import counted

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from spasmcare.storage.tables import User

diary_app = typer.Typer(help="Export or import the diary.", no_args_is_help=True)
EMAIL = typer.Option(
    "--email", help="Whose diary (an account's email); default: the local person, no login."
)


@contextmanager
def _diary_session(email: str | None) -> Iterator[tuple[Session, User]]:
    """A transaction on the configured database (migrated if needed) and whose diary."""
    from sqlalchemy import select

    from spasmcare.errors import NotFoundError
    from spasmcare.services.accounts import local_user
    from spasmcare.settings import get_settings
    from spasmcare.storage.database import engine_for, session_factory, transaction
    from spasmcare.storage.migrate import upgrade
    from spasmcare.storage.tables import User

    engine = engine_for(get_settings().resolved_database_url())
    upgrade(engine)
    with transaction(session_factory(engine)) as session:
        if email is None:
            user = local_user(session)
        else:
            found = session.scalar(select(User).where(User.email == email.strip().lower()))
            if found is None:
                raise NotFoundError(f"account {email}")
            user = found
        yield session, user


def _now() -> datetime:
    from datetime import UTC

    return datetime.now(UTC)


def _split(values: list[str] | None) -> list[str]:
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def log(
    intensity: Annotated[int, typer.Option("--intensity", "-i", min=0, max=10, help="0-10.")],
    where: Annotated[
        list[str], typer.Option("--where", "-w", help="upper, mid or lower (repeat or commas).")
    ],
    trigger: Annotated[
        list[str] | None,
        typer.Option("--trigger", help="e.g. trigger_lifting (see `spasmcare log --help`)."),
    ] = None,
    tried: Annotated[
        list[str] | None,
        typer.Option("--tried", help="What you tried and its relief 0-10, e.g. heat:7 or ice."),
    ] = None,
    at: Annotated[
        str | None, typer.Option("--at", help="When it started, e.g. '2026-03-29 08:30' (local).")
    ] = None,
    minutes: Annotated[int | None, typer.Option("--minutes", min=0, help="How long.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="Anything else.")] = None,
    tz: Annotated[
        str | None, typer.Option("--tz", help="IANA time zone (default: this computer's).")
    ] = None,
    email: Annotated[str | None, EMAIL] = None,
) -> None:
    """Log a back spasm."""
    from spasmcare.diary.inputs import EpisodeInput, parse_model
    from spasmcare.diary.records import system_zone, zone
    from spasmcare.diary.vocabulary import diary_vocabulary
    from spasmcare.knowledge.loader import default_knowledge
    from spasmcare.services import diary as service

    kb = default_knowledge()
    timezone = tz or system_zone()
    started = _now().replace(microsecond=0)
    if at:
        try:
            started = datetime.fromisoformat(at).replace(tzinfo=zone(timezone))
        except ValueError:
            raise typer.BadParameter(
                f"cannot read '{at}'; use YYYY-MM-DD HH:MM", param_hint="--at"
            ) from None
    remedies = []
    for item in _split(tried):
        name, _, relief = item.partition(":")
        remedies.append({"remedy": name.strip(), "relief": relief.strip() or None})
    raw: dict[str, Any] = {
        "started_at": started,
        "timezone": timezone,
        "locations": _split(where),
        "intensity": intensity,
        "triggers": _split(trigger),
        "remedies": remedies,
        "duration_minutes": minutes,
        "notes": note,
    }
    data = parse_model(EpisodeInput, raw)
    with _diary_session(email) as (session, user):
        record = service.add_episode(session, user, data, diary_vocabulary(kb), _now())
        typer.echo(f"Logged: {record.local_date:%a %d %b %Y}, strength {record.intensity}/10.")


def checkin(
    pain: Annotated[
        int | None, typer.Option("--pain", min=0, max=10, help="Average pain 0-10.")
    ] = None,
    worst: Annotated[
        int | None, typer.Option("--worst", min=0, max=10, help="Worst pain 0-10.")
    ] = None,
    sleep: Annotated[
        float | None, typer.Option("--sleep", min=0, max=24, help="Hours slept.")
    ] = None,
    sleep_quality: Annotated[
        int | None, typer.Option("--sleep-quality", min=0, max=10, help="0-10.")
    ] = None,
    water: Annotated[float | None, typer.Option("--water", min=0, max=15, help="Litres.")] = None,
    sitting: Annotated[
        float | None, typer.Option("--sitting", min=0, max=24, help="Hours.")
    ] = None,
    exercise: Annotated[int | None, typer.Option("--exercise", min=0, help="Minutes.")] = None,
    stress: Annotated[int | None, typer.Option("--stress", min=0, max=10, help="0-10.")] = None,
    medicine: Annotated[
        list[str] | None, typer.Option("--medicine", help="e.g. ibuprofen.")
    ] = None,
    did: Annotated[
        list[str] | None, typer.Option("--did", help="Care-plan exercise ids done.")
    ] = None,
    warning: Annotated[
        list[str] | None, typer.Option("--warning", help="Warning sign codes, e.g. fever.")
    ] = None,
    note: Annotated[str | None, typer.Option("--note")] = None,
    day: Annotated[str | None, typer.Option("--date", help="Which day (default today).")] = None,
    tz: Annotated[str | None, typer.Option("--tz", help="IANA time zone.")] = None,
    email: Annotated[str | None, EMAIL] = None,
) -> None:
    """Record (or replace) the day's check-in."""
    from spasmcare.diary.inputs import CheckInInput, parse_model
    from spasmcare.diary.records import local_date_of, system_zone
    from spasmcare.diary.vocabulary import diary_vocabulary
    from spasmcare.knowledge.loader import default_knowledge
    from spasmcare.services import diary as service

    kb = default_knowledge()
    timezone = tz or system_zone()
    raw: dict[str, Any] = {
        "local_date": day or local_date_of(_now(), timezone),
        "timezone": timezone,
        "pain_average": pain,
        "pain_worst": worst,
        "sleep_hours": sleep,
        "sleep_quality": sleep_quality,
        "water_litres": water,
        "sitting_hours": sitting,
        "exercise_minutes": exercise,
        "stress": stress,
        "medicines": _split(medicine),
        "exercises_done": _split(did),
        "warning_signs": _split(warning),
        "note": note,
    }
    data = parse_model(CheckInInput, raw)
    with _diary_session(email) as (session, user):
        record, created = service.save_checkin(
            session, user, data, diary_vocabulary(kb), kb, _now()
        )
        typer.echo(
            f"Check-in for {record.local_date:%a %d %b %Y} {'saved' if created else 'replaced'}."
        )
        _print_alerts(session, user)


def _print_alerts(session: Session, user: User) -> None:
    from spasmcare.knowledge.loader import default_knowledge
    from spasmcare.services import diary_overview

    kb = default_knowledge()
    console = Console()
    for alert in diary_overview.alerts_for(session, user, kb, _now()):
        level = kb.levels[alert.level]
        console.print(f"[bold]{level.marker} {alert.title}: {level.label}[/]")
        console.print(alert.message, highlight=False)
        console.print(f"{level.action} Re-assess: spasmcare assess", highlight=False)


def insights(
    json_output: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
    email: Annotated[str | None, EMAIL] = None,
) -> None:
    """What the diary shows: alerts, trends, triggers, what helps, streaks."""
    from spasmcare.knowledge.loader import default_knowledge
    from spasmcare.services import diary_overview

    kb = default_knowledge()
    with _diary_session(email) as (session, user):
        overview = diary_overview.overview(session, user, kb, _now())
    if json_output:
        typer.echo(json.dumps(overview.insights_data(), indent=2, default=str))
        return
    console = Console()
    data = overview.insights
    for alert in overview.alerts:
        console.print(f"[bold red]{alert.title}[/]: {alert.message}", highlight=False)
    console.print(
        f"Check-in run: {counted(data.streaks.current, 'day')} "
        f"(longest {counted(data.streaks.longest, 'day')}).",
        highlight=False,
    )
    weeks = Table(title="The last 8 weeks")
    for column in ("week of", "spasms", "average pain", "worst"):
        weeks.add_column(column)
    for point in data.weekly[-8:]:
        weeks.add_row(
            f"{point.period_start:%d %b}",
            str(point.episodes),
            "-" if point.pain_average is None else f"{point.pain_average:.1f}",
            "-" if point.pain_worst is None else f"{point.pain_worst:g}",
        )
    console.print(weeks)
    console.print("[bold]Daily habits and the next day's pain[/]")
    for effect in data.factor_effects:
        console.print(f"  • {effect.message}", highlight=False)
    helps = Table(title="What helps (relief 0-10)")
    for column in ("remedy", "mean relief", "times"):
        helps.add_column(column)
    for relief in data.what_helps:
        mean = "-" if relief.mean_relief is None else f"{relief.mean_relief:.1f}"
        helps.add_row(relief.label, mean, str(relief.uses))
    console.print(helps)


def report(
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the PDF.")],
    start: Annotated[str | None, typer.Option("--from", help="First day (YYYY-MM-DD).")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last day (YYYY-MM-DD).")] = None,
    email: Annotated[str | None, EMAIL] = None,
) -> None:
    """Write the report for your doctor (PDF) for a period (default: the last 90 days)."""
    from spasmcare.knowledge.loader import default_knowledge
    from spasmcare.services import diary_overview

    first = _date(start, "--from")
    last = _date(end, "--to")
    with _diary_session(email) as (session, user):
        pdf = diary_overview.report_pdf(session, user, default_knowledge(), _now(), first, last)
    output.write_bytes(pdf)
    typer.echo(f"Written: {output}")


def _date(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            f"'{text}' is not a date like 2026-03-29", param_hint=option
        ) from None


@diary_app.command("export")
def export(
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    format: Annotated[str, typer.Option("--format", help="json or csv.")] = "json",
    kind: Annotated[
        str, typer.Option("--kind", help="For CSV: episodes or checkins.")
    ] = "episodes",
    email: Annotated[str | None, EMAIL] = None,
) -> None:
    """Write the diary to a file (JSON: everything; CSV: one kind of entry)."""
    from spasmcare.diary import transfer
    from spasmcare.services import diary as service

    if format not in ("json", "csv") or kind not in ("episodes", "checkins"):
        raise typer.BadParameter("use --format json|csv and --kind episodes|checkins")
    with _diary_session(email) as (session, user):
        book = service.diary(session, user)
    if format == "json":
        text = json.dumps(transfer.diary_json(book.episodes, book.checkins), indent=2)
    elif kind == "episodes":
        text = transfer.episodes_csv(book.episodes)
    else:
        text = transfer.checkins_csv(book.checkins)
    output.write_text(text, encoding="utf-8")
    typer.echo(f"Written: {output}")


@diary_app.command("import")
def import_file(
    path: Annotated[Path, typer.Argument(help="A CSV or JSON file exported by SpasmCare.")],
    kind: Annotated[
        str, typer.Option("--kind", help="For CSV: episodes or checkins.")
    ] = "episodes",
    email: Annotated[str | None, EMAIL] = None,
) -> None:
    """Import a file: every row is checked first, and nothing is imported if one is bad."""
    from spasmcare.diary.transfer import Kind
    from spasmcare.errors import DiaryImportError
    from spasmcare.knowledge.loader import default_knowledge
    from spasmcare.services import diary_overview

    kb = default_knowledge()
    if kind not in ("episodes", "checkins"):
        raise typer.BadParameter("use --kind episodes or checkins")
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DiaryImportError([f"cannot read {path}: {error}"]) from None
    is_json = path.suffix.lower() == ".json"
    chosen: Kind = "checkins" if kind == "checkins" else "episodes"
    with _diary_session(email) as (session, user):
        counts = diary_overview.import_file(session, user, raw, is_json, chosen, kb, _now())
    typer.echo(
        f"Imported {counted(counts['episodes'], 'spasm')}; "
        f"check-ins: {counts['checkins_created']} added, "
        f"{counts['checkins_replaced']} replaced."
    )
