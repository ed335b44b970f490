"""extract(text) -> findings: a story in plain words mapped to spec codes.

Each phrase of the lexicon that matches is read in its sentence with the ConText cues:
a negation makes the finding absent ("no numbness"), uncertainty or a hypothetical leaves it
unknown ("I don't think I have a fever", "what symptoms would mean ..."). When a finding is
both affirmed and denied in one story, it counts as present: missing a warning sign costs
more than asking about it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from spasmcare.knowledge.base import KnowledgeBase
from spasmcare.knowledge.expressions import FindingValue
from spasmcare.narrative import numbers
from spasmcare.narrative.language import Language, load_language
from spasmcare.narrative.text import correct_typos, normalise, sentences

Status = Literal["present", "absent", "uncertain", "hypothetical"]
_SCOPE_WORDS = 10  # how far a cue reaches, in words, before a terminator or the sentence end
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|i'd|im|my|me|mine)\b")
_FORWARD: tuple[tuple[str, Status], ...] = (
    ("hypothetical>", "hypothetical"),
    ("uncertainty>", "uncertain"),
    ("negation>", "absent"),
)
_FIRST_WORDS = re.compile(r"\s*(?:\S+\s+){0,5}\S*")  # how far a backward cue looks
_BACKWARD: tuple[tuple[str, Status], ...] = (("uncertainty<", "uncertain"), ("negation<", "absent"))
_QUESTION_START = re.compile(
    r"^\s*(?:what|which|when|how|who|why|can|could|does|do|is|are|should|will|would|may)\b"
)


@dataclass(frozen=True, slots=True)
class Mention:
    code: str
    status: Status
    text: str
    start: int
    end: int
    cue: str | None


@dataclass(frozen=True, slots=True)
class Extraction:
    findings: dict[str, FindingValue]
    mentions: tuple[Mention, ...]
    text: str  # the normalised text the offsets refer to


def extract(
    text: str,
    kb: KnowledgeBase,
    today: date | None = None,
    about_someone_else: bool | None = None,
) -> Extraction:
    """Read a story. ``about_someone_else``: True when the writer is checking for another
    person (a child, a parent), who is then read as if they had told it (age, sex and body
    are theirs; see retelling.py); False when the writer said it is about themselves; None
    to decide from the story ("my dad has hurt his back" is about him)."""
    language = load_language(kb)
    clean = correct_typos(
        language.respell(normalise(text)), language.vocabulary, language.common_words
    )
    someone_else = (
        language.retelling.tells_of_someone_else(clean)
        if about_someone_else is None
        else about_someone_else
    )
    told = language.retelling.in_first_person(clean) if someone_else else clean
    mentions: list[Mention] = []
    for offset, sentence in sentences(told):
        mentions += _sentence_mentions(sentence, offset, language)
    findings: dict[str, FindingValue] = {}
    for mention in mentions:
        if mention.status == "present":
            findings[mention.code] = True
        elif mention.status == "absent":
            findings.setdefault(mention.code, False)
    for _offset, sentence in sentences(told):  # cues never reach across sentences
        for implication in language.implications:
            if not all(findings.get(code) is True for code in implication.only_if):
                continue
            for match in implication.pattern.finditer(sentence):
                if _status(sentence, match.start(), match.end(), language)[0] == "present":
                    for code in implication.absent:
                        findings.setdefault(code, False)
                    for code in implication.present:
                        findings[code] = True
    _add_numbers(findings, clean, language, today, someone_else)
    return Extraction(
        {code: value for code, value in sorted(findings.items()) if code in kb.findings},
        tuple(mentions),
        told,
    )


def _sentence_mentions(sentence: str, offset: int, language: Language) -> list[Mention]:
    general_question = (
        sentence.rstrip().endswith("?")
        and _QUESTION_START.search(sentence) is not None
        and _FIRST_PERSON.search(sentence) is None
    )
    found = []
    for code, pattern in language.findings.items():
        for match in pattern.finditer(sentence):
            status, cue = _status(sentence, match.start(), match.end(), language)
            if general_question and status == "present":
                status, cue = "hypothetical", "question"
            found.append(
                Mention(
                    code, status, match.group(0), offset + match.start(), offset + match.end(), cue
                )
            )
    return found


def _status(sentence: str, start: int, end: int, language: Language) -> tuple[Status, str | None]:
    """How the cues of the sentence affect the phrase at [start, end)."""
    pseudo = [(m.start(), m.end()) for m in language.cues["pseudo"].finditer(sentence)]

    def usable(match: re.Match[str]) -> bool:
        inside_pseudo = any(a <= match.start() and match.end() <= b for a, b in pseudo)
        # A cue word that is part of the phrase itself ("can't hold my water") is not a cue;
        # one that starts before the phrase still is, even if it runs into it
        # ("haven't had any" + "any trouble peeing").
        starts_inside_phrase = start <= match.start() < end
        return not inside_pseudo and not starts_inside_phrase

    before = sentence[:start]
    after = sentence[end:]
    stops = [m.start() for m in language.cues["terminate"].finditer(sentence)]
    nearest: tuple[int, Status, str] | None = None
    for kind, status in _FORWARD:
        for cue in language.cues[kind].finditer(sentence):
            if cue.start() >= start or not usable(cue):
                continue
            # A terminator that starts between the cue and the phrase ends the cue's reach
            # (it may run into the phrase: "no pain, and I feel well").
            if any(cue.end() <= stop < start for stop in stops):
                continue
            if len(before[cue.end() :].split()) > _SCOPE_WORDS:
                continue
            # The nearest cue governs; at the same distance the more specific kind wins.
            distance = max(0, start - cue.end())
            if nearest is None or distance < nearest[0]:
                nearest = (distance, status, cue.group(0))
    if nearest is not None:
        return nearest[1], nearest[2]
    stop = language.cues["terminate"].search(after)
    reach = after[: stop.start()] if stop else after
    # The next few words, cut without moving offsets, so pseudo-cue positions still line up.
    tail = reach[: _FIRST_WORDS.match(reach).end()]  # type: ignore[union-attr]
    for kind, status in _BACKWARD:
        found = language.cues[kind].search(tail)
        if found and not any(
            a <= found.start() + end and found.end() + end <= b for a, b in pseudo
        ):
            return status, found.group(0)
    return "present", None


def _add_numbers(
    findings: dict[str, FindingValue],
    text: str,
    language: Language,
    today: date | None,
    about_someone_else: bool,
) -> None:
    if about_someone_else:
        age, sex = numbers.age_of_someone_else, numbers.sex_of_someone_else
    else:
        age, sex = numbers.age, numbers.sex
    readings: dict[str, FindingValue | None] = {
        "age": age(text, language),
        "sex": sex(text, language),
        "severity": numbers.severity(text, language),
        "duration_days": numbers.duration_days(text, language, today),
        "desk_hours_per_day": numbers.desk_hours(text, language),
        "pain_one_side": numbers.side(text),
    }
    for code, value in readings.items():
        if value is not None:
            findings[code] = value
    if findings.get("severity") == 10.0 and re.search(r"\bworst\b", text):
        findings.setdefault("pain_worst_ever", True)
