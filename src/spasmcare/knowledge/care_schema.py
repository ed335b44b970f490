"""Pydantic models of the care-plan knowledge files (knowledge/data/care/*.yaml)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from spasmcare.knowledge.schema import Code, SourceIds, Text, _Strict

Phase = Literal["now", "this_week", "weeks_2_6", "long_term"]
Tags = Annotated[list[Code], Field(min_length=1)]


class TagsFile(_Strict):
    tags: dict[Code, Text]


class _CareItem(_Strict):
    id: Code
    name: Text
    applies_to: Tags  # care tags of the likely cause
    not_for: tuple[Code, ...] = ()
    avoid_when: Any = None  # an expression over findings; the item is left out when true
    sources: SourceIds


class TreatmentModel(_CareItem):
    kind: Literal["self_care", "clinician"]
    phases: Annotated[list[Phase], Field(min_length=1)]
    how: Text
    dose: Text
    evidence: Literal["strong", "moderate", "limited", "expert_opinion"]


class DoseModel(_Strict):
    sets: Annotated[int, Field(ge=1, le=10)] | None = None
    reps: Annotated[int, Field(ge=1, le=50)] | None = None
    hold_seconds: Annotated[int, Field(ge=1, le=180)] | None = None
    minutes: Annotated[int, Field(ge=1, le=60)] | None = None
    times_per_day: Annotated[int, Field(ge=1, le=6)] = 1


class ExerciseModel(_CareItem):
    kind: Literal["mobility", "stretch", "strengthening", "breathing", "aerobic", "relaxation"]
    regions: Annotated[
        list[Literal["upper_back", "mid_back", "lower_back", "chest_wall", "whole_back"]],
        Field(min_length=1),
    ]
    phases: Annotated[list[Phase], Field(min_length=1)]
    steps: Annotated[list[Text], Field(min_length=2)]
    dose: DoseModel
    progression: Text
    not_when: Annotated[list[Text], Field(min_length=1)]


class HabitModel(_CareItem):
    topic: Literal[
        "posture",
        "desk",
        "phone",
        "hydration",
        "minerals",
        "warm_up",
        "lifting",
        "bags",
        "sleep",
        "stress",
        "core",
        "exercise",
    ]
    advice: Annotated[list[Text], Field(min_length=1)]
    highlight_when: Any = None  # findings that make this habit especially relevant


class MedicineRuleModel(_Strict):
    when: Any
    reason: Text


class MedicineModel(_Strict):
    id: Code
    name: Text
    kind: Literal["oral", "topical"]
    what_it_does: Text
    how_to_use: Text
    applies_to: Tags
    not_for: tuple[Code, ...] = ()
    avoid_if: tuple[MedicineRuleModel, ...] = ()
    caution_if: tuple[MedicineRuleModel, ...] = ()
    sources: SourceIds


class TreatmentsFile(_Strict):
    treatments: list[TreatmentModel]


class ExercisesFile(_Strict):
    exercises: Annotated[list[ExerciseModel], Field(min_length=15)]


class HabitsFile(_Strict):
    habits: list[HabitModel]


class MedicinesFile(_Strict):
    medicines: list[MedicineModel]


class PlanTextsModel(_Strict):
    headline_self_care: Text
    headline_routine: Text
    headline_get_care: Text
    now_until_seen: Text  # the first phase's title when the plan says to get care now
    hold_back_exercise: Text
    medicines_after_care: Text
    check_first: Text
    left_out: Text
    review_self_care: Text
    review_routine: Text
    review_get_care: Text
    warning_signs_title: Text
    warning_emergency: Text
    warning_urgent: Text
    warning_routine: Text
    why_condition: Text
    why_finding: Text


class PlanTextsFile(_Strict):
    phases: dict[Phase, Text]
    texts: PlanTextsModel
    sources: SourceIds
