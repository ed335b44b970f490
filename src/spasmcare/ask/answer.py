"""ask(question) -> Answer: sentences from the best article sections, with citations.

The answer is extractive: every sentence comes from SpasmCare's articles, none is generated.
The best section is given whole (sections are written to answer one question on their own),
followed by the most relevant sentences of the next two sections. If the question describes
a warning sign, the answer leads with what to do now and `triage` is set.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from importlib import resources
from typing import Any, NamedTuple

from spasmcare.ask.index import Hit, SectionIndex, section_index
from spasmcare.ask.library import Article, Section
from spasmcare.ask.screens import matching_screens
from spasmcare.domain.triage import TriageLevel
from spasmcare.engine import DEFAULT_PARAMS, assess
from spasmcare.knowledge.base import KnowledgeBase
from spasmcare.knowledge.expressions import FindingValue
from spasmcare.knowledge.yamlfile import load_yaml
from spasmcare.narrative.extract import extract

# A section must score at least this (BM25) to be quoted; below it SpasmCare says it has no
# good answer rather than guess. The dev questions score 5.5 and up. A short question that
# names a topic of the articles ("is ibuprofen ok for back pain", 2.5) may still be answered
# from its single best section, if that scores at least MIN_SCORE_ON_TOPIC and its article's
# title, topics or headings name the topic. A question that names no topic at all ("how do I
# fix my car", "how to learn python") gets no answer.
# (Scores shift a little whenever an article is added: 3.3 became 3.25 when the magnesium
# evidence went in and a question on spasm and strain fell to 3.29.)
MIN_SCORE = 3.25
MIN_SCORE_ON_TOPIC = 2.0
MAX_SENTENCES = 16
_BEST_SENTENCES = 7
_OTHER_SENTENCES = 2  # at most this many sentences from other articles
_MIN_OVERLAP = 2  # shared word stems for an extra sentence to be quoted
_AFTER_SCREEN_SCORE = 2 * MIN_SCORE


@dataclass(frozen=True, slots=True)
class Citation:
    id: str
    title: str
    source: str


@dataclass(frozen=True, slots=True)
class Answer:
    question: str
    answer: str
    citations: tuple[Citation, ...]
    triage: TriageLevel | None
    found: bool

    def to_contract(self) -> dict[str, Any]:
        """The JSON of `spasmcare ask --json` (shared/spec/evaluation.md)."""
        return {
            "answer": self.answer,
            "citations": [asdict(c) for c in self.citations],
            "triage": None if self.triage is None else self.triage.value,
        }


@functools.cache
def _texts() -> dict[str, str]:
    raw = (resources.files("spasmcare.knowledge") / "data" / "ask" / "answers.yaml").read_text(
        encoding="utf-8"
    )
    data = load_yaml(raw)
    return {"no_answer": " ".join(str(data["no_answer"]).split()), "lead": str(data["lead"])}


def ask(question: str, kb: KnowledgeBase) -> Answer:
    found = extract(question, kb).findings
    alarm = _warning_signs(found, kb)
    screens = matching_screens(question, kb)
    levels = [level for level in (alarm.triage, *(s.level for s in screens)) if level is not None]
    triage = max(levels, key=lambda level: level.urgency) if levels else None
    index = section_index(kb)
    hits: list[Hit] = []
    if index.on_topic(question):
        candidates = index.search(question)
        hits = [hit for hit in candidates if hit.score >= MIN_SCORE] or [
            hit
            for hit in candidates[:1]
            if hit.score >= MIN_SCORE_ON_TOPIC and index.on_topic(question, hit.section.article)
        ]
    if screens:
        # After a safety message only a close match from another article is worth adding:
        # a question about ending one's life must not go on about lifting technique.
        shown = {screen.section.article for screen in screens}
        hits = [
            hit
            for hit in hits
            if hit.score >= _AFTER_SCREEN_SCORE and hit.section.article not in shown
        ]
    sentences: list[str] = []
    if triage is not None:
        level = kb.levels[triage]
        # A warning sign may name its own place to go (in pregnancy, the maternity unit).
        action = alarm.action if alarm.triage is triage else level.action
        sentences.append(_texts()["lead"].format(label=level.label, action=action))
        sentences += alarm.warnings
    used: list[Section] = [screen.section for screen in screens]
    for section in used:
        sentences += section.sentences
    if hits:
        preferred = _article_for(alarm.suspected, index)
        composed, more = _compose(hits, index, question, found, preferred)
        sentences += composed
        used += [section for section in more if section not in used]
    elif not screens:
        sentences.append(_texts()["no_answer"])
    citations = tuple(
        Citation(
            id=section.citation_id,
            title=f"{section.article_title}: {section.heading}",
            source=", ".join(section.sources),
        )
        for section in used
    )
    return Answer(question, " ".join(sentences), citations, triage, bool(hits or screens))


class _Alarm(NamedTuple):
    """What the warning signs in a question call for: the level, where to go, the warning
    signs' own words, and the condition they most likely point to."""

    triage: TriageLevel | None = None
    action: str = ""
    warnings: tuple[str, ...] = ()
    suspected: str | None = None


def _warning_signs(found: Mapping[str, FindingValue], kb: KnowledgeBase) -> _Alarm:
    """Screen what the question says for warning signs: an urgent or emergency result sets
    triage.

    The question is assessed as a story (unmentioned findings unknown, no "not asked" floor),
    so only what the person actually reports can raise the alarm. The condition the warning
    signs most likely point to has the article that then answers the question.
    """
    if not any(value is True for value in found.values()):
        return _Alarm()
    result = assess(found, kb, replace(DEFAULT_PARAMS, screen_unasked=False))
    # A reason counts only if it rests on something the person reports: age and sex alone
    # ("my 82-year-old mum's back spasms") make a cause likelier, but are no warning sign.
    urgent = [
        r
        for r in result.reasons
        if r.level.urgency >= TriageLevel.URGENT.urgency
        and any(found.get(code) is True for code in r.findings)
    ]
    if not urgent:
        return _Alarm()
    flagged = {code for r in urgent for code in r.conditions}
    suspected = next((c.code for c in result.differential if c.code in flagged), None)
    warnings = tuple(dict.fromkeys(r.text for r in urgent))[:3]
    level = max((r.level for r in urgent), key=lambda level: level.urgency)
    action = result.action if level is result.triage else kb.levels[level].action
    return _Alarm(level, action, warnings, suspected)


def _article_for(condition: str | None, index: SectionIndex) -> Article | None:
    """Each condition has an article whose id is its code with hyphens."""
    return None if condition is None else index.by_id.get(condition.replace("_", "-"))


def _compose(
    hits: list[Hit],
    index: SectionIndex,
    question: str,
    found: Mapping[str, FindingValue],
    preferred: Article | None = None,
) -> tuple[list[str], list[Section]]:
    """The best section of the article that answers the question, whole; then, in article
    order, the opening sentence of each of its other sections (each section opens with its
    main point), prefixed by the section heading; then at most two closely matching
    sentences from other articles. Returns the sentences and the sections they came from."""
    article = preferred or index.best_article(question, hits, found)
    assert article is not None
    inside = index.within(article, question)
    best = inside[0].section if inside else article.sections[0]
    chosen = list(best.sentences[:_BEST_SENTENCES])
    used = [best]
    query = index.stems(index.expand(question))
    for section in article.sections:
        if section != best and len(chosen) < MAX_SENTENCES:
            chosen.append(f"{section.heading}: {section.sentences[0]}")
            # then one more sentence close to the question: the next ones first (they carry
            # the point on), else the closest further on
            following = (
                s for s in section.sentences[1:3] if len(index.stems(s) & query) >= _MIN_OVERLAP
            )
            extra = next(following, None) or _closest(section.sentences[3:], index, query)
            if extra is not None:
                chosen.append(extra)
            used.append(section)
    others = [
        hit
        for hit in hits
        if hit.section.article != article.id
        and hit.score >= MIN_SCORE
        and index.audience_fit(index.by_id[hit.section.article], question, found) >= 1
    ]
    for hit in others[:_OTHER_SENTENCES]:
        closest = _closest(hit.section.sentences, index, query)
        if closest is not None:
            chosen.append(closest)
            used.append(hit.section)
    return chosen, used


def _closest(sentences: Sequence[str], index: SectionIndex, query: set[str]) -> str | None:
    """The sentence sharing the most word stems with the question (the first of equals), if
    it shares at least _MIN_OVERLAP."""
    shared = [(len(index.stems(sentence) & query), sentence) for sentence in sentences]
    best = max(shared, key=lambda pair: pair[0], default=None)
    return best[1] if best is not None and best[0] >= _MIN_OVERLAP else None
