"""Request and response models of the REST API (XCreate for input, XPublic for output)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from spasmcare.domain.triage import TriageLevel

FindingValue = bool | float | str
Level = Literal["emergency", "urgent", "routine", "self_care"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorPublic(_Model):
    error: str = Field(description="what was wrong, in plain words")
    field: str | None = Field(default=None, description="the input field at fault, if one")


class AssessmentCreate(_Model):
    findings: dict[str, FindingValue | None] = Field(
        description="codes of /api/v1/knowledge/findings to answers; null or missing: unknown",
        examples=[{"age": 34, "sex": "male", "pain_lower_back": True, "trigger_lifting": True}],
    )


class EvidencePublic(_Model):
    kind: Literal["red_flag", "condition_risk", "not_ruled_out", "no_warning_signs"]
    level: Level
    text: str
    findings: list[str]
    sources: list[str]
    rule: str | None
    conditions: list[str]
    probability: float | None


class ContributionPublic(_Model):
    finding: str
    value: FindingValue
    weight: float
    statement: str


class RankedConditionPublic(_Model):
    code: str
    name: str
    probability: float
    disposition: Level
    presentation: str | None
    supporting: list[ContributionPublic]
    opposing: list[ContributionPublic]
    escalations: list[str]
    sources: list[str]


class AssessmentResult(_Model):
    triage: Level
    action: str
    reasons: list[EvidencePublic]
    red_flags: list[EvidencePublic]
    differential: list[RankedConditionPublic]
    risk: dict[str, float]
    not_ruled_out: list[str]
    findings: dict[str, FindingValue]
    knowledge_version: str
    notice: str


class AssessmentPublic(_Model):
    id: str | None = Field(description="set when the assessment was saved (signed-in API clients)")
    created_at: datetime | None
    assessment: AssessmentResult


class AssessmentSummary(_Model):
    id: str
    created_at: datetime
    triage: Level
    top_condition: str
    knowledge_version: str


class OptionPublic(_Model):
    value: str
    label: str


class QuestionPublic(_Model):
    code: str
    text: str
    text_someone_else: str = Field(
        description="the same question asked about another person, for a check done on "
        "someone else's behalf (a child, a parent)"
    )
    why: str
    type: Literal["bool", "number", "choice"]
    options: list[OptionPublic]
    minimum: float | None
    maximum: float | None
    unit: str | None
    purpose: Literal["about_you", "warning_sign", "narrowing_down"]
    screens: list[str]


class InterviewCreate(_Model):
    answers: dict[str, FindingValue | None] = Field(
        default_factory=dict, description="answers already known (for example from free text)"
    )


class AnswerCreate(_Model):
    code: str = Field(description="the code of the question being answered")
    value: FindingValue | None = Field(description="the answer; null means don't know")


class InterviewPublic(_Model):
    id: str
    done: bool
    question: QuestionPublic | None
    asked: int
    progress: float
    assessment: AssessmentResult = Field(
        description="the assessment on the answers so far (final when done)"
    )
    assessment_id: str | None = Field(
        description="the saved assessment, once done, for signed-in clients"
    )


class FindingPublic(_Model):
    code: str
    group: str
    type: Literal["bool", "number", "choice"]
    means: str
    question: str
    minimum: float | None
    maximum: float | None
    options: list[str]


class ConditionPublic(_Model):
    code: str
    name: str
    summary: str
    default_triage: Level
    sources: list[str]


class CarePlanCreate(_Model):
    findings: dict[str, FindingValue | None]


class AskCreate(_Model):
    question: str = Field(min_length=1, max_length=2000)


class CitationPublic(_Model):
    id: str
    title: str
    source: str


class AskPublic(_Model):
    answer: str
    citations: list[CitationPublic]
    triage: Level | None


class ExtractCreate(_Model):
    text: str = Field(min_length=1, max_length=10_000)
    about_someone_else: bool | None = Field(
        None,
        description="true: the story is told for another person (a child, a parent), whose "
        "age, sex and symptoms it gives; false: it is the writer's own; null: decided from "
        "the story ('my dad has hurt his back' is his)",
    )


class MentionPublic(_Model):
    code: str
    status: Literal["present", "absent", "uncertain", "hypothetical"]
    text: str


class ExtractPublic(_Model):
    findings: dict[str, FindingValue]
    mentions: list[MentionPublic]


class RemedyPublic(_Model):
    remedy: str
    relief: int | None


class EpisodePublic(_Model):
    id: str
    started_at: datetime
    timezone: str
    local_date: date
    duration_minutes: int | None
    locations: list[str]
    intensity: int
    triggers: list[str]
    trigger_note: str | None
    remedies: list[RemedyPublic]
    notes: str | None
    created_at: datetime
    updated_at: datetime


class CheckInPublic(_Model):
    id: str
    local_date: date
    timezone: str
    recorded_at: datetime
    pain_average: int | None
    pain_worst: int | None
    sleep_hours: float | None
    sleep_quality: int | None
    water_litres: float | None
    sitting_hours: float | None
    exercise_minutes: int | None
    stress: int | None
    medicines: list[str]
    exercises_done: list[str]
    warning_signs: list[str]
    note: str | None
    updated_at: datetime


class DiaryVocabularyPublic(_Model):
    locations: dict[str, str]
    triggers: dict[str, str]
    remedies: dict[str, str]
    exercises: dict[str, str]
    warning_signs: dict[str, str]
    factors: dict[str, str]


class AlertPublic(_Model):
    kind: Literal["warning_sign", "worsening", "more_frequent", "not_improving"]
    level: Level
    title: str
    message: str
    reasons: list[str]
    findings: list[str]
    sources: list[str]
    on: date
    reassess: str = Field(description="where to re-assess")


class ImportPublic(_Model):
    episodes: int = Field(description="episodes imported")
    checkins_created: int
    checkins_replaced: int


class HealthPublic(_Model):
    status: Literal["ok"]


def level(value: TriageLevel) -> Level:
    result: Level = value.value
    return result
