"""Safety screens for Ask (knowledge/data/ask/safety.yaml): a question about back pain can
carry a danger that no article search would put first, such as thoughts of ending one's
life, an overdose or a medicine prescribed for someone else."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from spasmcare.ask.library import Section, load_articles
from spasmcare.domain.triage import TriageLevel
from spasmcare.errors import KnowledgeBaseError
from spasmcare.knowledge.base import KnowledgeBase
from spasmcare.knowledge.yamlfile import load_yaml


class _ScreenModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    level: Literal["emergency", "urgent"] | None
    section: str
    patterns: list[str] = Field(min_length=1)


class _ScreensFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    screens: list[_ScreenModel] = Field(min_length=1)


@dataclass(frozen=True, slots=True)
class Screen:
    id: str
    level: TriageLevel | None
    section: Section
    patterns: tuple[re.Pattern[str], ...]

    def matches(self, text: str) -> bool:
        """``text``: the question lower-cased, with plain apostrophes and single spaces."""
        return any(pattern.search(text) for pattern in self.patterns)


@functools.lru_cache(maxsize=4)
def load_screens(kb: KnowledgeBase) -> tuple[Screen, ...]:
    """Every screen, validated: its patterns compile and its section exists."""
    raw = (resources.files("spasmcare.knowledge") / "data" / "ask" / "safety.yaml").read_text(
        encoding="utf-8"
    )
    try:
        data = _ScreensFile.model_validate(load_yaml(raw))
    except (ValidationError, yaml.YAMLError) as error:
        raise KnowledgeBaseError([f"ask/safety.yaml: {error}"]) from None
    sections = {s.citation_id: s for a in load_articles(kb) for s in a.sections}
    problems: list[str] = []
    screens: list[Screen] = []
    for screen in data.screens:
        if screen.section not in sections:
            problems.append(f"ask/safety.yaml: {screen.id}: no section '{screen.section}'")
            continue
        patterns = []
        for pattern in screen.patterns:
            try:
                patterns.append(re.compile(pattern))
            except re.error as error:
                problems.append(f"ask/safety.yaml: {screen.id}: pattern '{pattern}': {error}")
        level = None if screen.level is None else TriageLevel(screen.level)
        screens.append(Screen(screen.id, level, sections[screen.section], tuple(patterns)))
    if problems:
        raise KnowledgeBaseError(problems)
    return tuple(screens)


def matching_screens(question: str, kb: KnowledgeBase) -> list[Screen]:
    text = " ".join(question.lower().replace("’", "'").split())
    return [screen for screen in load_screens(kb) if screen.matches(text)]
