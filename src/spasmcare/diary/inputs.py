"""What a person may write into the diary, checked in one place for the API, the pages, the
CLI and the importers. Every problem names the field (and the row, for imports)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from spasmcare.diary.records import zone
from spasmcare.diary.vocabulary import DiaryVocabulary
from spasmcare.errors import DiaryInputError
from spasmcare.knowledge.base import KnowledgeBase

M = TypeVar("M", bound=BaseModel)
Score = Annotated[int, Field(ge=0, le=10)]
Note = Annotated[str, Field(max_length=2000)]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("timezone", check_fields=False)
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None:
            zone(value)
        return value


class RemedyInput(_Input):
    remedy: str = Field(description="an id of GET /api/v1/diary/vocabulary `remedies`")
    relief: Score | None = Field(default=None, description="0 (no help) to 10 (pain gone)")


class EpisodeInput(_Input):
    started_at: datetime = Field(
        title="When it started",
        description="when it started, with its UTC offset (e.g. 2026-03-29T08:30:00+01:00)",
    )
    timezone: str | None = Field(
        default=None,
        description="IANA zone the person was in (default: the account's zone)",
        examples=["Europe/London"],
    )
    duration_minutes: Annotated[int, Field(ge=0, le=60 * 24 * 14)] | None = Field(
        default=None, title="How long it lasted, in minutes"
    )
    locations: list[str] = Field(title="Where", min_length=1, max_length=3, examples=[["mid"]])
    intensity: Score = Field(title="How strong")
    triggers: list[str] = Field(default_factory=list, title="What was happening", max_length=12)
    trigger_note: Note | None = Field(default=None, title="Anything else that set it off")
    remedies: list[RemedyInput] = Field(default_factory=list, title="What you tried", max_length=15)
    notes: Note | None = Field(default=None, title="Notes")

    @field_validator("started_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("give the time with its UTC offset, like 2026-03-29T08:30:00+01:00")
        return value


class CheckInInput(_Input):
    local_date: date = Field(
        title="Day", description="the day this check-in describes, in the person's zone"
    )
    timezone: str | None = Field(default=None, description="IANA zone (default: the account's)")
    pain_average: Score | None = Field(default=None, title="Pain on average")
    pain_worst: Score | None = Field(default=None, title="Worst pain")
    sleep_hours: Annotated[float, Field(ge=0, le=24)] | None = Field(
        default=None, title="Hours of sleep"
    )
    sleep_quality: Score | None = Field(default=None, title="How well you slept")
    water_litres: Annotated[float, Field(ge=0, le=15)] | None = Field(
        default=None, title="Water and other drinks, in litres"
    )
    sitting_hours: Annotated[float, Field(ge=0, le=24)] | None = Field(
        default=None, title="Hours sitting"
    )
    exercise_minutes: Annotated[int, Field(ge=0, le=1440)] | None = Field(
        default=None, title="Minutes of exercise or walking"
    )
    stress: Score | None = Field(default=None, title="Stress")
    medicines: list[str] = Field(default_factory=list, title="Medicines taken", max_length=15)
    exercises_done: list[str] = Field(default_factory=list, title="Exercises done", max_length=40)
    warning_signs: list[str] = Field(default_factory=list, title="Warning signs", max_length=20)
    note: Note | None = Field(default=None, title="Note")


def _unknown(values: list[str], allowed: frozenset[str], field: str) -> None:
    wrong = [value for value in values if value not in allowed]
    if wrong:
        raise DiaryInputError(
            field, f"unknown value(s) {', '.join(wrong)}; allowed: {', '.join(sorted(allowed))}"
        )
    if len(set(values)) != len(values):
        raise DiaryInputError(field, "a value is given twice")


def check_episode(data: EpisodeInput, vocabulary: DiaryVocabulary) -> EpisodeInput:
    """Cross-check the episode's codes against the vocabulary."""
    _unknown(data.locations, vocabulary.location_ids(), "locations")
    _unknown(data.triggers, vocabulary.trigger_codes(), "triggers")
    _unknown([r.remedy for r in data.remedies], vocabulary.remedy_ids(), "remedies")
    return data


def check_checkin(
    data: CheckInInput, vocabulary: DiaryVocabulary, kb: KnowledgeBase
) -> CheckInInput:
    _unknown(data.medicines, vocabulary.remedy_ids(), "medicines")
    exercises = frozenset(exercise.id for exercise in kb.care.exercises)
    _unknown(data.exercises_done, exercises, "exercises_done")
    _unknown(data.warning_signs, frozenset(vocabulary.checkin_warning_signs), "warning_signs")
    if (
        data.pain_average is not None
        and data.pain_worst is not None
        and data.pain_worst < data.pain_average
    ):
        raise DiaryInputError("pain_worst", "the worst pain cannot be lower than the average")
    return data


def parse_model(model: type[M], raw: dict[str, Any]) -> M:
    """Validate raw values, turning every one of Pydantic's complaints into one
    DiaryInputError (the first names `field`)."""
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        problems = [
            (".".join(str(part) for part in each["loc"]) or "entry", each["msg"])
            for each in error.errors()
        ]
        raise DiaryInputError.listing(problems) from None


def field_label(model: type[BaseModel], field: str) -> str:
    """The field's words for a person (its title), e.g. "Worst pain today" for pain_worst."""
    name = field.split(".")[0]
    known = model.model_fields.get(name)
    if known is not None and known.title:
        return known.title
    return name.replace("_", " ").capitalize()
