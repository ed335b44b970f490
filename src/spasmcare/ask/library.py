"""The article library: Markdown files with front matter, split into sections."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from spasmcare.errors import KnowledgeBaseError
from spasmcare.knowledge.base import KnowledgeBase
from spasmcare.knowledge.expressions import Expr, ExpressionError, codes, parse
from spasmcare.knowledge.yamlfile import load_yaml

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


class Audience(BaseModel):
    """Who an article is written for. Questions that neither use one of its words nor state
    a matching fact (age, pregnancy) are answered from it only when nothing else fits."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    words: list[str] = Field(min_length=1)
    when: Any = None


class FrontMatter(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    title: str = Field(min_length=3)
    topics: list[str] = Field(min_length=1)
    sources: list[str] = Field(min_length=1)
    last_reviewed: date
    audience: Audience | None = None


@dataclass(frozen=True, slots=True)
class Section:
    article: str
    article_title: str
    heading: str
    anchor: str
    sentences: tuple[str, ...]
    sources: tuple[str, ...]
    topics: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.sentences)

    @property
    def citation_id(self) -> str:
        return f"{self.article}#{self.anchor}"


@dataclass(frozen=True, slots=True)
class Article:
    id: str
    title: str
    topics: tuple[str, ...]
    sources: tuple[str, ...]
    last_reviewed: date
    sections: tuple[Section, ...]
    audience_words: tuple[str, ...] = ()
    audience_when: Expr | None = None


def anchor(heading: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", heading.lower()).strip("-")


def split_sentences(text: str) -> tuple[str, ...]:
    return tuple(s.strip() for s in _SENTENCE_END.split(" ".join(text.split())) if s.strip())


@functools.lru_cache(maxsize=4)
def load_articles(kb: KnowledgeBase) -> tuple[Article, ...]:
    """Every article, validated: front matter, known sources, unique ids, non-empty sections."""
    folder = resources.files("spasmcare.knowledge") / "data" / "articles"
    problems: list[str] = []
    articles: list[Article] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".md"):
            continue
        text = entry.read_text(encoding="utf-8")
        parts = text.split("---", 2)
        if len(parts) < 3 or parts[0].strip():
            problems.append(f"articles/{entry.name}: must start with --- front matter ---")
            continue
        try:
            meta = FrontMatter.model_validate(load_yaml(parts[1]))
        except (ValidationError, yaml.YAMLError) as error:
            problems.append(f"articles/{entry.name}: front matter: {error}")
            continue
        if f"{meta.id}.md" != entry.name:
            problems.append(f"articles/{entry.name}: id '{meta.id}' does not match the file name")
        problems += [
            f"articles/{entry.name}: unknown source '{s}'"
            for s in meta.sources
            if s not in kb.sources
        ]
        audience_when = None
        if meta.audience is not None and meta.audience.when is not None:
            try:
                audience_when = parse(meta.audience.when)
            except ExpressionError as error:
                problems.append(f"articles/{entry.name}: audience when: {error}")
            else:
                problems += [
                    f"articles/{entry.name}: audience when: unknown finding '{code}'"
                    for code in sorted(codes(audience_when) - kb.findings.keys())
                ]
        sections = []
        for block in re.split(r"^## ", parts[2], flags=re.MULTILINE)[1:]:
            heading, _, body = block.partition("\n")
            sentences = split_sentences(body)
            if not sentences:
                problems.append(f"articles/{entry.name}: section '{heading.strip()}' is empty")
                continue
            sections.append(
                Section(
                    meta.id,
                    meta.title,
                    heading.strip(),
                    anchor(heading),
                    sentences,
                    tuple(meta.sources),
                    tuple(meta.topics),
                )
            )
        if not sections:
            problems.append(f"articles/{entry.name}: no '## ' sections")
        articles.append(
            Article(
                meta.id,
                meta.title,
                tuple(meta.topics),
                tuple(meta.sources),
                meta.last_reviewed,
                tuple(sections),
                tuple(meta.audience.words) if meta.audience else (),
                audience_when,
            )
        )
    ids = [a.id for a in articles]
    problems += [
        f"articles: id '{i}' is used twice" for i in sorted({i for i in ids if ids.count(i) > 1})
    ]
    if problems:
        raise KnowledgeBaseError(problems)
    return tuple(articles)
