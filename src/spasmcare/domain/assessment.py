"""The engine's only output: a frozen record of what it concluded and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from spasmcare.domain.plain import plain
from spasmcare.domain.triage import TriageLevel

FindingValue = bool | float | str
EvidenceKind = Literal["red_flag", "condition_risk", "not_ruled_out", "no_warning_signs"]


@dataclass(frozen=True, slots=True)
class Evidence:
    """One reason behind the triage: which findings set which level, on whose authority."""

    kind: EvidenceKind
    level: TriageLevel
    text: str
    findings: tuple[str, ...]
    sources: tuple[str, ...]
    rule: str | None = None
    conditions: tuple[str, ...] = ()
    probability: float | None = None


@dataclass(frozen=True, slots=True)
class Contribution:
    """How much one answer moved a condition, as a natural-log likelihood ratio against
    a typical back-pain presentation (positive raises, negative lowers)."""

    finding: str
    value: FindingValue
    weight: float
    statement: str


@dataclass(frozen=True, slots=True)
class RankedCondition:
    code: str
    name: str
    probability: float
    disposition: TriageLevel
    presentation: str | None
    supporting: tuple[Contribution, ...]
    opposing: tuple[Contribution, ...]
    escalations: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Assessment:
    """Triage first, then the ranked causes with their evidence.

    ``risk`` maps each level to the probability that the cause needs at least that level of
    care, taken as the largest over the ways the warning signs present could be read (see
    ``engine.model.worst_case_risk``). Treat the dicts as read-only.
    """

    triage: TriageLevel
    action: str
    reasons: tuple[Evidence, ...]
    differential: tuple[RankedCondition, ...]
    risk: dict[str, float]
    not_ruled_out: tuple[str, ...]
    findings: dict[str, FindingValue]
    knowledge_version: str
    notice: str
    # The reasons that are warning signs. A field rather than a property so that orjson
    # writes it when it writes the whole record (the API's response, with no copy).
    red_flags: tuple[Evidence, ...] = field(init=False)

    def __post_init__(self) -> None:
        warning_signs = tuple(reason for reason in self.reasons if reason.kind == "red_flag")
        object.__setattr__(self, "red_flags", warning_signs)

    def top(self, count: int = 3) -> tuple[RankedCondition, ...]:
        return self.differential[:count]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary (enums become their string codes)."""
        return plain(self)
