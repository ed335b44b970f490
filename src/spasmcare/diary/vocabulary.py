"""The diary vocabulary (knowledge/data/diary.yaml), validated against the knowledge base."""

from __future__ import annotations

import functools
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from spasmcare.errors import KnowledgeBaseError
from spasmcare.knowledge.base import KnowledgeBase
from spasmcare.knowledge.yamlfile import load_yaml


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Choice(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str


class TriggerChoice(_Strict):
    finding: str
    label: str


class Factor(_Strict):
    """A daily habit tested as a trigger: the day has it when `field op value`."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    field: Literal[
        "sitting_hours", "sleep_hours", "sleep_quality", "stress", "water_litres",
        "exercise_minutes", "pain_average", "pain_worst",
    ]  # fmt: skip
    op: Literal[">=", ">", "<=", "<"]
    value: float
    sources: list[str] = Field(min_length=1)

    def holds(self, number: float) -> bool:
        if self.op == ">=":
            return number >= self.value
        if self.op == ">":
            return number > self.value
        if self.op == "<=":
            return number <= self.value
        return number < self.value


class _Alert(_Strict):
    """How one kind of alert is worded and on whose authority."""

    title: str
    message: str
    sources: list[str] = Field(min_length=1)


class Worsening(_Alert):
    window_days: int = Field(ge=3)
    min_rise: float = Field(gt=0)
    min_checkins: int = Field(ge=2)
    level: Literal["routine", "urgent"]


class MoreFrequent(_Alert):
    window_days: int = Field(ge=7)
    min_ratio: float = Field(gt=1)
    min_episodes: int = Field(ge=2)
    level: Literal["routine", "urgent"]


class NotImproving(_Alert):
    min_pain: float = Field(ge=0, le=10)
    level: Literal["routine", "urgent"]


class WarningSignAlert(_Alert):
    window_days: int = Field(ge=1)


class Reading(_Strict):
    min_days_per_group: int = Field(ge=2)
    min_remedy_uses: int = Field(ge=1)
    worsening: Worsening
    more_frequent: MoreFrequent
    not_improving: NotImproving
    warning_sign: WarningSignAlert


class DoctorQuestion(_Strict):
    when: Literal[
        "always", "medicines_often", "worsening", "more_frequent", "not_improving", "warning_sign"
    ]
    text: str


class DiaryVocabulary(_Strict):
    sources: list[str]
    locations: list[Choice] = Field(min_length=1)
    triggers: list[TriggerChoice] = Field(min_length=1)
    remedies: list[Choice] = Field(min_length=1)
    factors: list[Factor]
    checkin_warning_signs: list[str]
    reading: Reading
    doctor_questions: list[DoctorQuestion] = Field(min_length=1)

    def location_ids(self) -> frozenset[str]:
        return frozenset(c.id for c in self.locations)

    def trigger_codes(self) -> frozenset[str]:
        return frozenset(t.finding for t in self.triggers)

    def remedy_ids(self) -> frozenset[str]:
        return frozenset(c.id for c in self.remedies)

    def remedy_label(self, remedy: str) -> str:
        return next((c.label for c in self.remedies if c.id == remedy), remedy)

    def trigger_label(self, code: str) -> str:
        return next((t.label for t in self.triggers if t.finding == code), code)


@functools.lru_cache(maxsize=4)
def diary_vocabulary(kb: KnowledgeBase) -> DiaryVocabulary:
    """Load and cross-check the vocabulary; every problem is reported at once."""
    raw = (resources.files("spasmcare.knowledge") / "data" / "diary.yaml").read_text("utf-8")
    try:
        vocabulary = DiaryVocabulary.model_validate(load_yaml(raw))
    except (ValidationError, yaml.YAMLError) as error:
        raise KnowledgeBaseError([f"diary.yaml: {error}"]) from None
    problems: list[str] = []
    sources = [*vocabulary.sources, *(s for f in vocabulary.factors for s in f.sources)]
    reading = vocabulary.reading
    for part in (
        reading.worsening,
        reading.more_frequent,
        reading.not_improving,
        reading.warning_sign,
    ):
        sources += part.sources
    problems += [f"diary.yaml: unknown source '{s}'" for s in sources if s not in kb.sources]
    codes = [t.finding for t in vocabulary.triggers] + vocabulary.checkin_warning_signs
    problems += [f"diary.yaml: unknown finding '{c}'" for c in codes if c not in kb.findings]
    problems += [
        f"diary.yaml: warning sign '{c}' is not a warning-sign finding of any rule"
        for c in vocabulary.checkin_warning_signs
        if c in kb.findings and c not in kb.red_flag_codes
    ]
    if problems:
        raise KnowledgeBaseError(problems)
    return vocabulary
