"""Build the care-plan knowledge (knowledge/data/care/*.yaml) into frozen objects."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from spasmcare.knowledge.base import (
    CareKnowledge,
    Dose,
    Exercise,
    Habit,
    Medicine,
    MedicineRule,
    Treatment,
)
from spasmcare.knowledge.care_schema import (
    ExerciseModel,
    ExercisesFile,
    HabitModel,
    HabitsFile,
    MedicineModel,
    MedicinesFile,
    PlanTextsFile,
    TagsFile,
    TreatmentModel,
    TreatmentsFile,
)
from spasmcare.knowledge.expressions import Expr

CARE_FILES: dict[str, type[BaseModel]] = {
    "care/tags.yaml": TagsFile,
    "care/treatments.yaml": TreatmentsFile,
    "care/exercises.yaml": ExercisesFile,
    "care/habits.yaml": HabitsFile,
    "care/medicines.yaml": MedicinesFile,
    "care/plan_texts.yaml": PlanTextsFile,
}

Reader = Callable[[object, str], Expr]


def _plain(text: str) -> str:
    return " ".join(text.split())


def build_care(files: dict[str, Any], expression: Reader) -> CareKnowledge:
    """``files`` maps each name of CARE_FILES to its validated model."""

    def optional(raw: object, where: str) -> Expr | None:
        return None if raw is None else expression(raw, where)

    def treatment(t: TreatmentModel) -> Treatment:
        return Treatment(
            id=t.id,
            name=t.name,
            kind=t.kind,
            phases=tuple(t.phases),
            how=_plain(t.how),
            dose=_plain(t.dose),
            evidence=t.evidence,
            applies_to=tuple(t.applies_to),
            not_for=tuple(t.not_for),
            avoid_when=optional(t.avoid_when, f"care/treatments.yaml {t.id}.avoid_when"),
            sources=tuple(t.sources),
        )

    def exercise(e: ExerciseModel) -> Exercise:
        return Exercise(
            id=e.id,
            name=e.name,
            kind=e.kind,
            regions=tuple(e.regions),
            phases=tuple(e.phases),
            steps=tuple(_plain(step) for step in e.steps),
            dose=Dose(
                e.dose.sets, e.dose.reps, e.dose.hold_seconds, e.dose.minutes, e.dose.times_per_day
            ),
            progression=_plain(e.progression),
            not_when=tuple(_plain(text) for text in e.not_when),
            applies_to=tuple(e.applies_to),
            not_for=tuple(e.not_for),
            avoid_when=optional(e.avoid_when, f"care/exercises.yaml {e.id}.avoid_when"),
            sources=tuple(e.sources),
        )

    def habit(h: HabitModel) -> Habit:
        return Habit(
            id=h.id,
            name=h.name,
            topic=h.topic,
            advice=tuple(_plain(text) for text in h.advice),
            applies_to=tuple(h.applies_to),
            not_for=tuple(h.not_for),
            avoid_when=optional(h.avoid_when, f"care/habits.yaml {h.id}.avoid_when"),
            highlight_when=optional(h.highlight_when, f"care/habits.yaml {h.id}.highlight_when"),
            sources=tuple(h.sources),
        )

    def medicine(m: MedicineModel) -> Medicine:
        where = f"care/medicines.yaml {m.id}"
        return Medicine(
            id=m.id,
            name=m.name,
            kind=m.kind,
            what_it_does=_plain(m.what_it_does),
            how_to_use=_plain(m.how_to_use),
            applies_to=tuple(m.applies_to),
            not_for=tuple(m.not_for),
            avoid_if=tuple(
                MedicineRule(expression(r.when, where), _plain(r.reason)) for r in m.avoid_if
            ),
            caution_if=tuple(
                MedicineRule(expression(r.when, where), _plain(r.reason)) for r in m.caution_if
            ),
            sources=tuple(m.sources),
        )

    tags: TagsFile = files["care/tags.yaml"]
    texts: PlanTextsFile = files["care/plan_texts.yaml"]
    return CareKnowledge(
        tags=dict(tags.tags),
        phase_titles={str(phase): title for phase, title in texts.phases.items()},
        texts={name: _plain(text) for name, text in texts.texts.model_dump().items()},
        text_sources=tuple(texts.sources),
        treatments=tuple(treatment(t) for t in files["care/treatments.yaml"].treatments),
        exercises=tuple(exercise(e) for e in files["care/exercises.yaml"].exercises),
        habits=tuple(habit(h) for h in files["care/habits.yaml"].habits),
        medicines=tuple(medicine(m) for m in files["care/medicines.yaml"].medicines),
    )
