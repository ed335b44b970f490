"""The care plan: phased, personal, every item with its reason and sources."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from spasmcare.domain.plain import plain
from spasmcare.domain.triage import TriageLevel

ItemKind = Literal["action", "treatment", "clinician", "exercise", "habit"]
MedicineStatus = Literal["suggested", "caution", "check_first", "left_out"]


@dataclass(frozen=True, slots=True)
class PlanItem:
    kind: ItemKind
    id: str
    title: str
    detail: str
    dose: str | None
    steps: tuple[str, ...]
    cautions: tuple[str, ...]
    why: str
    evidence: str | None
    sources: tuple[str, ...]
    highlight: bool = False
    topic: str | None = None  # for habits: posture, desk, hydration ...


@dataclass(frozen=True, slots=True)
class PlanPhase:
    id: Literal["now", "this_week", "weeks_2_6", "long_term"]
    title: str
    items: tuple[PlanItem, ...]


@dataclass(frozen=True, slots=True)
class MedicineAdvice:
    """An over-the-counter medicine and whether it suits this person, with the reasons."""

    id: str
    name: str
    kind: Literal["oral", "topical"]
    status: MedicineStatus
    what_it_does: str
    how_to_use: str
    reasons: tuple[str, ...]
    note: str | None
    sources: tuple[str, ...]
    unanswered: tuple[str, ...] = ()  # for check_first: the safety questions still open


@dataclass(frozen=True, slots=True)
class WarningSign:
    text: str
    level: TriageLevel
    action: str
    rule: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CarePlan:
    triage: TriageLevel
    get_care_now: bool
    headline: str
    action: str
    condition: str
    condition_name: str
    phases: tuple[PlanPhase, ...]
    medicines: tuple[MedicineAdvice, ...]
    medicines_note: str | None
    warning_signs_title: str
    warning_signs: tuple[WarningSign, ...]
    review: str
    review_after_days: int | None
    sources: tuple[str, ...]
    notice: str
    knowledge_version: str

    def medicine_questions(self) -> list[str]:
        """The unanswered findings that decide which medicines suit (pregnancy among them)."""
        return sorted({code for medicine in self.medicines for code in medicine.unanswered})

    def items(self) -> tuple[PlanItem, ...]:
        return tuple(item for phase in self.phases for item in phase.items)

    def to_dict(self) -> dict[str, Any]:
        return plain(self)


def careplan_from_dict(data: dict[str, Any]) -> CarePlan:
    """Rebuild a stored plan (the output of CarePlan.to_dict) exactly as it was given."""
    phases = tuple(
        PlanPhase(
            id=phase["id"],
            title=phase["title"],
            items=tuple(
                PlanItem(
                    **{
                        **item,
                        "steps": tuple(item["steps"]),
                        "cautions": tuple(item["cautions"]),
                        "sources": tuple(item["sources"]),
                    }
                )
                for item in phase["items"]
            ),
        )
        for phase in data["phases"]
    )
    medicines = tuple(
        MedicineAdvice(
            **{
                **m,
                "reasons": tuple(m["reasons"]),
                "sources": tuple(m["sources"]),
                "unanswered": tuple(m.get("unanswered", ())),
            }
        )
        for m in data["medicines"]
    )
    signs = tuple(
        WarningSign(
            text=s["text"],
            level=TriageLevel(s["level"]),
            action=s["action"],
            rule=s["rule"],
            sources=tuple(s["sources"]),
        )
        for s in data["warning_signs"]
    )
    return CarePlan(
        **{
            **data,
            "triage": TriageLevel(data["triage"]),
            "phases": phases,
            "medicines": medicines,
            "warning_signs": signs,
            "sources": tuple(data["sources"]),
        }
    )
