"""Pydantic models of the knowledge files, one per file kind.

Every model forbids unknown keys, so a typo in a YAML key is an error rather than a silently
ignored fact. Cross-references between files (finding codes, source ids) are checked after
loading, in ``checks.py``.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from spasmcare.domain.triage import TriageLevel

Probability = Annotated[float, Field(gt=0.0, lt=1.0)]
Multiplier = Annotated[float, Field(gt=0.0, le=100.0)]
Code = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
Text = Annotated[str, Field(min_length=3)]
SourceId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")]
SourceIds = Annotated[list[SourceId], Field(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceModel(_Strict):
    kind: Literal["guideline", "textbook", "review", "seed"]
    title: Text
    publisher: str | None = None
    year: int | None = None
    url: str | None = None
    file: str | None = None

    @model_validator(mode="after")
    def _seed_names_its_file(self) -> SourceModel:
        if self.kind == "seed" and not self.file:
            raise ValueError("a seed source must name its file")
        return self


class SourcesFile(_Strict):
    sources: dict[SourceId, SourceModel]


class BandModel(_Strict):
    id: Code
    label: Text
    upto: float | None = None
    background: Probability | None = None


class OptionModel(_Strict):
    value: Code
    label: Text
    background: Probability | None = None


class FindingModel(_Strict):
    type: Literal["bool", "number", "choice"]
    means: Text
    question: Text
    # The question asked about someone else, when the rewrites in interview.yaml would
    # not read well.
    question_someone_else: Text | None = None
    why: Text
    use: Literal["ranking", "demographic", "medicine_safety"] = "ranking"
    background: Probability | None = None
    min: float | None = None
    max: float | None = None
    unit: str | None = None
    bands: list[BandModel] | None = None
    options: list[OptionModel] | None = None
    says: str | None = None
    ask_if: Any = None

    @model_validator(mode="after")
    def _shape_matches_type(self) -> FindingModel:
        if self.type == "bool":
            if self.use == "ranking" and self.background is None:
                raise ValueError("a yes/no finding used for ranking needs a background rate")
            if (
                self.min is not None
                or self.max is not None
                or self.options
                or self.bands
                or self.says
            ):
                raise ValueError("a yes/no finding takes no min, max, options, bands or says")
        elif not self.says:
            raise ValueError("a number or choice finding needs `says`, how an answer reads")
        if self.type == "number":
            if self.min is None or self.max is None or self.min >= self.max:
                raise ValueError("a number finding needs min < max")
            if self.options or self.background is not None:
                raise ValueError("a number finding takes bands, not options or a background rate")
            if self.bands:
                uppers = [band.upto for band in self.bands]
                if uppers[-1] is not None or any(u is None for u in uppers[:-1]):
                    raise ValueError("every band but the last needs `upto`; the last has none")
                bounded = [u for u in uppers if u is not None]
                if bounded != sorted(bounded) or len(set(bounded)) != len(bounded):
                    raise ValueError("band `upto` values must increase")
        elif self.type == "choice":
            if not self.options:
                raise ValueError("a choice finding needs options")
            if self.min is not None or self.max is not None or self.bands:
                raise ValueError("a choice finding takes options, not min, max or bands")
        return self


class FindingGroupModel(_Strict):
    label: Text
    findings: dict[Code, FindingModel]


class FindingsFile(_Strict):
    sources: SourceIds
    groups: dict[Code, FindingGroupModel]


Likelihood = Probability | dict[Code, Probability]


class PriorModel(_Strict):
    base: Probability
    age: dict[Code, Multiplier] = {}
    sex: dict[Code, Multiplier] = {}


class PresentationModel(_Strict):
    name: Text
    weight: Probability
    likelihoods: dict[Code, Likelihood]


class EscalationModel(_Strict):
    when: Any
    level: TriageLevel
    reason: Text
    sources: SourceIds


class ConditionModel(_Strict):
    name: Text
    group: Code
    summary: Text
    default_triage: TriageLevel
    self_care_window_days: Annotated[int, Field(gt=0)] | None = None
    sources: SourceIds
    prior: PriorModel
    likelihoods: dict[Code, Likelihood]
    presentations: list[PresentationModel] | None = None
    escalations: list[EscalationModel] = []
    care: Annotated[list[Code], Field(min_length=1)]
    review_after_days: Annotated[int, Field(gt=0, le=90)] | None = None


class RuleModel(_Strict):
    id: Code
    level: TriageLevel
    when: Any
    applies_when: Any = None
    watch_for: Text
    reason: Text
    # Where to go when this rule sets the triage, if not the level's usual place (a
    # pregnancy sign: the maternity unit, not a GP).
    action: Text | None = None
    conditions: list[Code] = []
    sources: SourceIds


class RedFlagsFile(_Strict):
    rules: list[RuleModel]


class LevelTextModel(_Strict):
    label: Text
    marker: str
    colour: Annotated[str, Field(pattern=r"^#[0-9A-Fa-f]{6}$")]
    action: Text
    sources: SourceIds


class ExplanationTemplates(_Strict):
    condition_risk: Text
    not_ruled_out: Text
    no_warning_signs: Text
    many_warning_signs: Text
    past_self_care_window: Text


class EmergencyNumberModel(_Strict):
    number: str = Field(pattern=r"^[0-9]{2,4}$")
    where: str = Field(min_length=2, max_length=40)


class TriageLevelsFile(_Strict):
    notice: Text
    explanations: ExplanationTemplates
    levels: dict[TriageLevel, LevelTextModel]
    emergency_numbers: list[EmergencyNumberModel] = Field(min_length=1)


class OpeningQuestionModel(_Strict):
    code: Code
    when: Any = None


class RewriteModel(_Strict):
    you: Annotated[str, Field(min_length=3)]  # a regular expression
    them: str

    @field_validator("you")
    @classmethod
    def _compiles(cls, pattern: str) -> str:
        try:
            re.compile(pattern)
        except re.error as error:
            raise ValueError(f"{pattern!r} is not a valid regular expression: {error}") from None
        return pattern


class SomeoneElseModel(_Strict):
    reminder: Text
    rewrites: Annotated[list[RewriteModel], Field(min_length=1)]


class InterviewFile(_Strict):
    sources: SourceIds
    opening: Annotated[list[OpeningQuestionModel], Field(min_length=1)]
    someone_else: SomeoneElseModel


class ManifestFile(_Strict):
    version: Annotated[str, Field(pattern=r"^\d{4}\.\d{1,2}\.\d+$")]
    reviewed: date
    reviewed_by: Text
