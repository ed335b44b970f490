"""The loaded knowledge base: frozen objects the engine reads and never changes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from spasmcare.domain.triage import TriageLevel
from spasmcare.knowledge.expressions import Expr, FindingValue
from spasmcare.words import counted

LikelihoodTable = float | Mapping[str, float]


@dataclass(frozen=True, slots=True)
class Band:
    id: str
    label: str
    upto: float | None
    background: float | None


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str
    background: float | None


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    group: str
    type: Literal["bool", "number", "choice"]
    means: str
    question: str
    question_someone_else: str  # the same question about another person ("Do they ...")
    why: str
    use: Literal["ranking", "demographic", "medicine_safety"]
    background: float | None
    minimum: float | None
    maximum: float | None
    unit: str | None
    says: str | None
    options: tuple[Option, ...]
    bands: tuple[Band, ...]
    ask_if: Expr | None

    def question_for(self, someone_else: bool) -> str:
        """The question as asked of the person in pain, or about them by someone else."""
        return self.question_someone_else if someone_else else self.question

    def band_of(self, value: float) -> Band:
        """The band a number falls in (bands are ordered; the last is open-ended)."""
        for band in self.bands:
            if band.upto is None or value < band.upto:
                return band
        raise ValueError(f"{self.code} has no band for {value}")  # pragma: no cover

    def option(self, value: str) -> Option:
        return next(option for option in self.options if option.value == value)

    def describe(self, value: FindingValue) -> str:
        """A short statement of an answer, for explanations ('because you said ...')."""
        if self.type == "bool":
            # A "no" quotes the finding: "no: has had cancer" read as a statement of fact.
            return self.means if value is True else f'no to "{self.means}"'
        assert self.says is not None
        if self.type == "choice":
            return self.says.format(label=self.option(str(value)).label.lower())
        number = float(value)
        return self.says.format(value=f"{number:g}", amount=amount(number, self.unit))


def amount(number: float, unit: str | None) -> str:
    """A number with its unit as a person would say it: "1 day", "3 days", and part of a
    day in hours or minutes ("30 minutes", not "0.021 days")."""
    if unit == "days" and number < 1:
        minutes = round(number * 24 * 60)
        if minutes < 60:
            return counted(max(minutes, 1), "minute")
        return counted(round(minutes / 60), "hour")
    if unit in ("days", "hours", "years"):
        return counted(number, unit[:-1])
    return f"{number:g} {unit}" if unit else f"{number:g}"


@dataclass(frozen=True, slots=True)
class Prior:
    base: float
    age: Mapping[str, float]
    sex: Mapping[str, float]


@dataclass(frozen=True, slots=True)
class Presentation:
    """One way a condition shows itself; the condition's shared likelihoods merged in."""

    name: str | None
    weight: float
    likelihoods: Mapping[str, LikelihoodTable]


@dataclass(frozen=True, slots=True)
class Escalation:
    when: Expr
    level: TriageLevel
    reason: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Condition:
    code: str
    name: str
    group: str
    summary: str
    default_triage: TriageLevel
    self_care_window_days: int | None
    prior: Prior
    presentations: tuple[Presentation, ...]
    escalations: tuple[Escalation, ...]
    sources: tuple[str, ...]
    care_tags: tuple[str, ...]
    review_after_days: int | None


@dataclass(frozen=True, slots=True)
class RedFlagRule:
    id: str
    level: TriageLevel
    when: Expr
    applies_when: Expr | None
    watch_for: str
    reason: str
    action: str | None  # where to go, when not the level's usual place
    conditions: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LevelText:
    level: TriageLevel
    label: str
    marker: str
    colour: str
    action: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    kind: Literal["guideline", "textbook", "review", "seed"]
    title: str
    publisher: str | None
    year: int | None
    url: str | None
    file: str | None


@dataclass(frozen=True, slots=True)
class Explanations:
    condition_risk: str
    not_ruled_out: str
    no_warning_signs: str
    many_warning_signs: str
    past_self_care_window: str


Phase = Literal["now", "this_week", "weeks_2_6", "long_term"]


@dataclass(frozen=True, slots=True)
class Treatment:
    id: str
    name: str
    kind: Literal["self_care", "clinician"]
    phases: tuple[Phase, ...]
    how: str
    dose: str
    evidence: Literal["strong", "moderate", "limited", "expert_opinion"]
    applies_to: tuple[str, ...]
    not_for: tuple[str, ...]
    avoid_when: Expr | None
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Dose:
    sets: int | None
    reps: int | None
    hold_seconds: int | None
    minutes: int | None
    times_per_day: int

    def describe(self) -> str:
        parts = []
        if self.sets and self.reps:
            parts.append(f"{self.sets} sets of {self.reps}")
        elif self.reps:
            parts.append(f"{self.reps} times")
        elif self.sets:
            parts.append(f"{self.sets} times")
        if self.hold_seconds:
            parts.append(f"hold {self.hold_seconds} seconds")
        if self.minutes:
            parts.append(f"{self.minutes} minutes")
        parts.append(
            "once a day" if self.times_per_day == 1 else f"{self.times_per_day} times a day"
        )
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Exercise:
    id: str
    name: str
    kind: str
    regions: tuple[str, ...]
    phases: tuple[Phase, ...]
    steps: tuple[str, ...]
    dose: Dose
    progression: str
    not_when: tuple[str, ...]
    applies_to: tuple[str, ...]
    not_for: tuple[str, ...]
    avoid_when: Expr | None
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Habit:
    id: str
    name: str
    topic: str
    advice: tuple[str, ...]
    applies_to: tuple[str, ...]
    not_for: tuple[str, ...]
    avoid_when: Expr | None
    highlight_when: Expr | None
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MedicineRule:
    when: Expr
    reason: str


@dataclass(frozen=True, slots=True)
class Medicine:
    id: str
    name: str
    kind: Literal["oral", "topical"]
    what_it_does: str
    how_to_use: str
    applies_to: tuple[str, ...]
    not_for: tuple[str, ...]
    avoid_if: tuple[MedicineRule, ...]
    caution_if: tuple[MedicineRule, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CareKnowledge:
    tags: Mapping[str, str]
    phase_titles: Mapping[str, str]
    texts: Mapping[str, str]  # the plan's own words, by name (care/plan_texts.yaml)
    text_sources: tuple[str, ...]
    treatments: tuple[Treatment, ...]
    exercises: tuple[Exercise, ...]
    habits: tuple[Habit, ...]
    medicines: tuple[Medicine, ...]


@dataclass(frozen=True, slots=True)
class OpeningQuestion:
    """A question every interview starts with (when its condition is not false)."""

    code: str
    when: Expr | None


@dataclass(frozen=True, eq=False)
class KnowledgeBase:
    """Everything SpasmCare knows, validated and cross-checked at load time.

    Instances hash by identity, so derived structures (the engine's compiled matrices)
    can be cached per knowledge base.
    """

    version: str
    findings: Mapping[str, Finding]
    conditions: Mapping[str, Condition]
    rules: tuple[RedFlagRule, ...]
    levels: Mapping[TriageLevel, LevelText]
    sources: Mapping[str, Source]
    notice: str
    emergency_numbers: tuple[tuple[str, str], ...]  # (number, where it applies)
    explanations: Explanations
    finding_sources: tuple[str, ...]
    opening: tuple[OpeningQuestion, ...]
    interview_sources: tuple[str, ...]
    someone_else_reminder: str  # shown with each question when checking for someone else
    care: CareKnowledge
    red_flag_codes: frozenset[str]

    def condition_name(self, code: str) -> str:
        return self.conditions[code].name
