"""Read benchmark files (shared/spec/evaluation.md) into typed, validated cases."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from spasmcare.domain.triage import TriageLevel
from spasmcare.engine.findings import Findings, validate_findings
from spasmcare.errors import DatasetError, InvalidFindingError
from spasmcare.knowledge.base import KnowledgeBase
from spasmcare.knowledge.yamlfile import load_yaml


@dataclass(frozen=True, slots=True)
class Vignette:
    id: str
    narrative: str
    findings: Findings
    triage: TriageLevel
    conditions: tuple[str, ...]

    def full_findings(self, kb: KnowledgeBase) -> Findings:
        """What the engine gets in `full` mode: every yes/no finding not listed is 'no'."""
        absent: Findings = {code: False for code, f in kb.findings.items() if f.type == "bool"}
        return absent | self.findings


def load_yaml_list(path: Path) -> list[dict[str, object]]:
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DatasetError(str(path), "file not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise DatasetError(str(path), f"cannot read the file: {error}") from None
    except yaml.YAMLError as error:
        raise DatasetError(str(path), f"not valid YAML: {error}") from None
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise DatasetError(str(path), "expected a YAML list of mappings")
    return data


def load_vignettes(path: Path, kb: KnowledgeBase) -> list[Vignette]:
    vignettes: list[Vignette] = []
    seen: set[str] = set()
    for position, item in enumerate(load_yaml_list(path), start=1):
        ident = str(item.get("id") or f"item {position}")
        if ident in seen:
            raise DatasetError(str(path), "duplicate id", ident)
        seen.add(ident)
        reference = item.get("reference")
        findings = item.get("findings")
        if not isinstance(reference, dict) or not isinstance(findings, dict):
            raise DatasetError(str(path), "needs `findings` and `reference` mappings", ident)
        try:
            checked = validate_findings(findings, kb)
        except InvalidFindingError as error:
            raise DatasetError(str(path), error.message, ident) from None
        triage = reference.get("triage")
        if triage not in {level.value for level in TriageLevel}:
            raise DatasetError(
                str(path), f"reference.triage {triage!r} is not a triage level", ident
            )
        conditions = reference.get("conditions")
        if not isinstance(conditions, list) or not conditions:
            raise DatasetError(str(path), "reference.conditions must be a non-empty list", ident)
        unknown = [code for code in conditions if code not in kb.conditions]
        if unknown:
            raise DatasetError(str(path), f"unknown condition code(s) {unknown}", ident)
        vignettes.append(
            Vignette(
                ident,
                str(item.get("narrative") or ""),
                checked,
                TriageLevel(triage),
                tuple(conditions),
            )
        )
    return vignettes


@dataclass(frozen=True, slots=True)
class QuestionCase:
    id: str
    question: str
    must_mention: tuple[re.Pattern[str], ...]
    red_flag: bool


def load_questions(path: Path) -> list[QuestionCase]:
    cases: list[QuestionCase] = []
    seen: set[str] = set()
    for position, item in enumerate(load_yaml_list(path), start=1):
        ident = str(item.get("id") or f"item {position}")
        if ident in seen:
            raise DatasetError(str(path), "duplicate id", ident)
        seen.add(ident)
        question, patterns, red_flag = (
            item.get("question"),
            item.get("must_mention"),
            item.get("red_flag"),
        )
        if not isinstance(question, str) or not question.strip():
            raise DatasetError(str(path), "needs a non-empty `question`", ident)
        if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
            raise DatasetError(
                str(path), "`must_mention` must be a list of regular expressions", ident
            )
        if not isinstance(red_flag, bool):
            raise DatasetError(str(path), "`red_flag` must be true or false", ident)
        try:
            compiled = tuple(re.compile(p, re.IGNORECASE) for p in patterns)
        except re.error as error:
            raise DatasetError(str(path), f"bad must_mention pattern: {error}", ident) from None
        cases.append(QuestionCase(ident, question, compiled, red_flag))
    return cases
