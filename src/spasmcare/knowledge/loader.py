"""Load the knowledge files shipped inside the package into a frozen KnowledgeBase."""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import TypeAdapter, ValidationError

from spasmcare.errors import KnowledgeBaseError
from spasmcare.knowledge import checks
from spasmcare.knowledge.base import (
    Band,
    Condition,
    Escalation,
    Explanations,
    Finding,
    KnowledgeBase,
    LevelText,
    OpeningQuestion,
    Option,
    Presentation,
    Prior,
    RedFlagRule,
    Source,
)
from spasmcare.knowledge.care import CARE_FILES, build_care
from spasmcare.knowledge.expressions import Expr, ExpressionError, parse, positive_codes
from spasmcare.knowledge.schema import (
    ConditionModel,
    FindingsFile,
    InterviewFile,
    ManifestFile,
    RedFlagsFile,
    RewriteModel,
    SourcesFile,
    TriageLevelsFile,
)
from spasmcare.knowledge.yamlfile import load_yaml

DATA_FILES = (
    "manifest.yaml",
    "sources.yaml",
    "findings.yaml",
    "conditions.yaml",
    "red_flags.yaml",
    "triage_levels.yaml",
    "interview.yaml",
    *CARE_FILES,
)
_Model = TypeVar("_Model")


def default_data_dir() -> Traversable:
    return resources.files("spasmcare.knowledge") / "data"


@functools.cache
def default_knowledge() -> KnowledgeBase:
    """The knowledge base shipped with the package, loaded once per process."""
    return load_knowledge()


def load_knowledge(directory: Traversable | Path | None = None) -> KnowledgeBase:
    """Read, validate and cross-check every knowledge file.

    Raises KnowledgeBaseError listing every problem found, each naming its file and entry.
    """
    folder = directory if directory is not None else default_data_dir()
    raw: dict[str, Any] = {}
    digest = hashlib.sha256()
    problems: list[str] = []
    for name in DATA_FILES:
        try:
            text = (folder / name).read_text(encoding="utf-8")
        except FileNotFoundError:
            problems.append(f"{name}: file is missing")
            continue
        digest.update(name.encode() + b"\0" + text.encode())
        try:
            raw[name] = load_yaml(text)
        except yaml.YAMLError as error:
            problems.append(f"{name}: not valid YAML: {error}")
    if problems:
        raise KnowledgeBaseError(problems)

    manifest = _validate(ManifestFile, raw["manifest.yaml"], "manifest.yaml", problems)
    sources = _validate(SourcesFile, raw["sources.yaml"], "sources.yaml", problems)
    findings = _validate(FindingsFile, raw["findings.yaml"], "findings.yaml", problems)
    conditions = _validate(
        TypeAdapter(dict[str, ConditionModel]), raw["conditions.yaml"], "conditions.yaml", problems
    )
    red_flags = _validate(RedFlagsFile, raw["red_flags.yaml"], "red_flags.yaml", problems)
    levels = _validate(TriageLevelsFile, raw["triage_levels.yaml"], "triage_levels.yaml", problems)
    interview = _validate(InterviewFile, raw["interview.yaml"], "interview.yaml", problems)
    care_files = {
        name: _validate(model, raw[name], name, problems) for name, model in CARE_FILES.items()
    }
    if problems:
        raise KnowledgeBaseError(problems)
    assert manifest and sources and findings and conditions is not None and red_flags and levels
    assert interview

    expression = _ExpressionReader(problems)
    built_conditions = _build_conditions(conditions, expression)
    rules = tuple(
        RedFlagRule(
            id=rule.id,
            level=rule.level,
            when=expression(rule.when, f"red_flags.yaml {rule.id}.when"),
            applies_when=None
            if rule.applies_when is None
            else expression(rule.applies_when, f"red_flags.yaml {rule.id}.applies_when"),
            watch_for=rule.watch_for,
            reason=rule.reason,
            action=rule.action,
            conditions=tuple(rule.conditions),
            sources=tuple(rule.sources),
        )
        for rule in red_flags.rules
    )
    kb = KnowledgeBase(
        version=f"{manifest.version}+{digest.hexdigest()[:10]}",
        findings=_build_findings(findings, expression, interview.someone_else.rewrites),
        conditions=built_conditions,
        rules=rules,
        levels={
            level: LevelText(level, t.label, t.marker, t.colour, t.action, tuple(t.sources))
            for level, t in levels.levels.items()
        },
        sources={
            sid: Source(sid, s.kind, s.title, s.publisher, s.year, s.url, s.file)
            for sid, s in sources.sources.items()
        },
        notice=levels.notice,
        emergency_numbers=tuple((e.number, e.where) for e in levels.emergency_numbers),
        explanations=Explanations(**levels.explanations.model_dump()),
        finding_sources=tuple(findings.sources),
        opening=tuple(
            OpeningQuestion(
                q.code,
                None if q.when is None else expression(q.when, f"interview.yaml {q.code}.when"),
            )
            for q in interview.opening
        ),
        interview_sources=tuple(interview.sources),
        someone_else_reminder=interview.someone_else.reminder,
        care=build_care(care_files, expression),
        red_flag_codes=_red_flag_codes(rules, built_conditions),
    )
    problems.extend(checks.problems(kb))
    if problems:
        raise KnowledgeBaseError(problems)
    return kb


def _validate(
    model: type[_Model] | TypeAdapter[_Model], data: object, name: str, problems: list[str]
) -> _Model | None:
    adapter = model if isinstance(model, TypeAdapter) else TypeAdapter(model)
    try:
        return adapter.validate_python(data)
    except ValidationError as error:
        for item in error.errors():
            where = ".".join(str(part) for part in item["loc"])
            problems.append(f"{name}: {where}: {item['msg']}")
        return None


class _ExpressionReader:
    """Parses expressions, collecting errors instead of stopping at the first."""

    def __init__(self, problems: list[str]) -> None:
        self._problems = problems

    def __call__(self, raw: object, where: str) -> Expr:
        try:
            return parse(raw)
        except ExpressionError as error:
            self._problems.append(f"{where}: {error}")
            return parse("unparseable_expression")


def _build_findings(
    model: FindingsFile, expression: Callable[[object, str], Expr], rewrites: list[RewriteModel]
) -> dict[str, Finding]:
    built: dict[str, Finding] = {}
    for group_code, group in model.groups.items():
        for code, spec in group.findings.items():
            built[code] = Finding(
                code=code,
                group=group_code,
                type=spec.type,
                means=spec.means,
                question=spec.question,
                question_someone_else=spec.question_someone_else
                or _about_someone_else(spec.question, rewrites),
                why=spec.why,
                use=spec.use,
                background=spec.background,
                minimum=spec.min,
                maximum=spec.max,
                unit=spec.unit,
                says=spec.says,
                options=tuple(Option(o.value, o.label, o.background) for o in spec.options or ()),
                bands=tuple(Band(b.id, b.label, b.upto, b.background) for b in spec.bands or ()),
                ask_if=None
                if spec.ask_if is None
                else expression(spec.ask_if, f"findings.yaml {code}.ask_if"),
            )
    return built


def _about_someone_else(question: str, rewrites: list[RewriteModel]) -> str:
    for rewrite in rewrites:
        question = re.sub(rewrite.you, rewrite.them, question)
    return question


def _build_conditions(
    models: dict[str, ConditionModel], expression: Callable[[object, str], Expr]
) -> dict[str, Condition]:
    built: dict[str, Condition] = {}
    for code, spec in models.items():
        shared = dict(spec.likelihoods)
        presentations = (
            tuple(
                Presentation(p.name, p.weight, {**shared, **p.likelihoods})
                for p in spec.presentations
            )
            if spec.presentations
            else (Presentation(None, 1.0, shared),)
        )
        built[code] = Condition(
            code=code,
            name=spec.name,
            group=spec.group,
            summary=" ".join(spec.summary.split()),
            default_triage=spec.default_triage,
            self_care_window_days=spec.self_care_window_days,
            prior=Prior(spec.prior.base, dict(spec.prior.age), dict(spec.prior.sex)),
            presentations=presentations,
            escalations=tuple(
                Escalation(
                    expression(e.when, f"conditions.yaml {code}.escalations"),
                    e.level,
                    e.reason,
                    tuple(e.sources),
                )
                for e in spec.escalations
            ),
            sources=tuple(spec.sources),
            care_tags=tuple(spec.care),
            review_after_days=spec.review_after_days,
        )
    return built


def _red_flag_codes(
    rules: tuple[RedFlagRule, ...], conditions: dict[str, Condition]
) -> frozenset[str]:
    """Yes/no findings that can raise urgency: positive atoms of rules and escalations."""
    codes: set[str] = set()
    for rule in rules:
        codes |= positive_codes(rule.when)
    for condition in conditions.values():
        for escalation in condition.escalations:
            codes |= positive_codes(escalation.when)
    return frozenset(codes)
