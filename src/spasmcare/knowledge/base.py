"""The loaded knowledge base: frozen objects the engine reads and never changes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from spasmcare.domain.triage import TriageLevel
from spasmcare.knowledge.expressions import Expr, FindingValue

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
            return self.means if value is True else f"no: {self.means}"
        assert self.says is not None
        if self.type == "choice":
            return self.says.format(label=self.option(str(value)).label.lower())
        return self.says.format(value=f"{value:g}" if isinstance(value, float) else value)


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


@dataclass(frozen=True, slots=True)
class RedFlagRule:
    id: str
    level: TriageLevel
    when: Expr
    applies_when: Expr | None
    reason: str
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
    explanations: Explanations
    finding_sources: tuple[str, ...]
    opening: tuple[OpeningQuestion, ...]
    interview_sources: tuple[str, ...]
    red_flag_codes: frozenset[str]

    def condition_name(self, code: str) -> str:
        return self.conditions[code].name
