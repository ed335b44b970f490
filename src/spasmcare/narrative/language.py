"""Load and compile the language data (lexicon, cues, numbers) once per process."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from spasmcare.errors import KnowledgeBaseError
from spasmcare.knowledge.base import KnowledgeBase
from spasmcare.knowledge.yamlfile import load_yaml
from spasmcare.narrative.retelling import Retelling


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Implication(_Strict):
    phrase: str
    absent: list[str] = []
    present: list[str] = []
    only_if: list[str] = []  # findings the story must also report for the phrase to count


class _SomeoneElse(_Strict):
    female: list[str]
    male: list[str]
    unknown: list[str]
    not_the_one_told_of: list[str]
    describing: list[str]
    body: list[str]
    as_if_told_by_them: dict[str, str]
    first_person_verbs: dict[str, str]


class LexiconFile(_Strict):
    sources: list[str]
    sex: dict[str, list[str]]
    someone_else: _SomeoneElse
    respellings: dict[str, str] = {}
    common_words: list[str] = []
    implies: list[_Implication] = []
    findings: dict[str, list[str]]


class _Directed(_Strict):
    forward: list[str] = []
    backward: list[str] = []


class _Cues(_Strict):
    negation: _Directed
    uncertainty: _Directed
    hypothetical: _Directed
    pseudo: list[str]
    terminate: list[str]


class ContextFile(_Strict):
    sources: list[str]
    cues: _Cues


class NumbersFile(_Strict):
    sources: list[str]
    number_words: dict[str, float]
    units: dict[str, float]
    since: dict[str, float]
    weekdays: list[str]
    symptom_words: list[str]
    decades: dict[str, float]


@dataclass(frozen=True)
class Implication:
    pattern: re.Pattern[str]
    absent: tuple[str, ...]
    present: tuple[str, ...]
    only_if: tuple[str, ...] = ()


@dataclass(frozen=True)
class Language:
    findings: dict[str, re.Pattern[str]]
    implications: tuple[Implication, ...]
    sex: dict[str, re.Pattern[str]]
    # Words naming the person a story is about when it is told for someone else, each with
    # the sex at birth it says (None: it says none).
    someone_else: dict[str, str | None]
    retelling: Retelling  # how a story told of someone else is recognised and read
    cues: dict[
        str, re.Pattern[str]
    ]  # "negation>", "negation<", "uncertainty>", ... "pseudo", "terminate"
    numbers: NumbersFile
    symptom_words: re.Pattern[str]  # see numbers.yaml: which times are the pain's
    vocabulary: frozenset[str]  # words the patterns use, for typo correction
    common_words: frozenset[str]  # words typo correction leaves alone
    respellings: dict[str, str]  # "cant" -> "can't", "spazm" -> "spasm"
    misspelt: re.Pattern[str]  # any key of `respellings`, as a whole word

    def respell(self, text: str) -> str:
        """``text`` (normalised) with the lexicon's respellings put right."""
        return self.misspelt.sub(lambda m: self.respellings[m.group(0)], text)


def _alternation(patterns: list[str], where: str, problems: list[str]) -> re.Pattern[str]:
    # Python's alternation takes the first alternative that matches, not the longest: try
    # longer patterns first so "can't walk without" is not shadowed by "can't walk".
    ordered = sorted(patterns, key=len, reverse=True)
    try:
        return _combined(ordered)
    except re.error:  # only now look for the culprits, one by one (compiling is slow)
        good = []
        for pattern in ordered:
            try:
                re.compile(pattern)
                good.append(pattern)
            except re.error as error:
                problems.append(f"{where}: bad pattern {pattern!r}: {error}")
        try:
            return _combined(good)
        except re.error as error:
            problems.append(f"{where}: the patterns cannot be combined: {error}")
            return _combined([])


def _combined(patterns: list[str]) -> re.Pattern[str]:
    alternatives = patterns or ["(?!x)x"]  # no pattern: match nothing
    # Word boundaries, but only next to a word character: a pattern may start with ",".
    start, end = r"(?:(?<![\w'])|(?![\w']))", r"(?:(?![\w'])|(?<![\w']))"
    return re.compile(start + "(?:" + "|".join(f"(?:{p})" for p in alternatives) + ")" + end)


def _read(name: str, model: type[BaseModel], problems: list[str]) -> Any:
    text = (resources.files("spasmcare.knowledge") / "data" / "language" / name).read_text(
        encoding="utf-8"
    )
    try:
        return model.model_validate(load_yaml(text))
    except (ValidationError, yaml.YAMLError) as error:
        problems.append(f"language/{name}: {error}")
        return None


@functools.lru_cache(maxsize=4)
def load_language(kb: KnowledgeBase) -> Language:
    """Compile the language files, checking every code and source against the knowledge base."""
    problems: list[str] = []
    lexicon: LexiconFile = _read("lexicon.yaml", LexiconFile, problems)
    context: ContextFile = _read("context.yaml", ContextFile, problems)
    numbers: NumbersFile = _read("numbers.yaml", NumbersFile, problems)
    if problems:
        raise KnowledgeBaseError(problems)
    for code in lexicon.findings:
        if code not in kb.findings:
            problems.append(f"language/lexicon.yaml: unknown finding code '{code}'")
        elif kb.findings[code].type != "bool":
            problems.append(
                f"language/lexicon.yaml: '{code}' is not a yes/no finding; numbers are read in code"
            )
    for implication in lexicon.implies:
        for code in (*implication.absent, *implication.present):
            if code not in kb.findings:
                problems.append(f"language/lexicon.yaml implies: unknown finding code '{code}'")
    for name, sources in (
        ("lexicon", lexicon.sources),
        ("context", context.sources),
        ("numbers", numbers.sources),
    ):
        for source in sources:
            if source not in kb.sources:
                problems.append(f"language/{name}.yaml: unknown source '{source}'")
    findings = {
        code: _alternation(patterns, f"language/lexicon.yaml {code}", problems)
        for code, patterns in lexicon.findings.items()
    }
    cues = context.cues
    compiled = {
        "negation>": _alternation(cues.negation.forward, "context negation", problems),
        "negation<": _alternation(cues.negation.backward, "context negation", problems),
        "uncertainty>": _alternation(cues.uncertainty.forward, "context uncertainty", problems),
        "uncertainty<": _alternation(cues.uncertainty.backward, "context uncertainty", problems),
        "hypothetical>": _alternation(cues.hypothetical.forward, "context hypothetical", problems),
        "pseudo": _alternation(cues.pseudo, "context pseudo", problems),
        "terminate": _alternation(cues.terminate, "context terminate", problems),
    }
    symptom_words = _alternation(
        [re.escape(word) for word in numbers.symptom_words], "numbers symptom_words", problems
    )
    if problems:
        raise KnowledgeBaseError(problems)
    people = lexicon.someone_else
    words: set[str] = set()
    for patterns in lexicon.findings.values():
        for pattern in patterns:
            words |= set(re.findall(r"[a-z]{4,}", pattern))
    return Language(
        findings=findings,
        implications=tuple(
            Implication(
                _alternation([i.phrase], "implies", problems),
                tuple(i.absent),
                tuple(i.present),
                tuple(i.only_if),
            )
            for i in lexicon.implies
        ),
        sex={
            sex: _alternation(words_, f"sex {sex}", problems) for sex, words_ in lexicon.sex.items()
        },
        someone_else={
            **dict.fromkeys(people.unknown),
            **dict.fromkeys(people.female, "female"),
            **dict.fromkeys(people.male, "male"),
        },
        retelling=Retelling.build(
            [
                word
                for word in (*people.female, *people.male, *people.unknown)
                if word not in people.not_the_one_told_of
            ],
            people.describing,
            people.body,
            people.as_if_told_by_them,
            people.first_person_verbs,
        ),
        cues=compiled,
        numbers=numbers,
        symptom_words=symptom_words,
        vocabulary=frozenset(words),
        common_words=frozenset(lexicon.common_words),
        respellings=lexicon.respellings,
        misspelt=re.compile(
            rf"\b(?:{'|'.join(map(re.escape, lexicon.respellings)) or '(?!)'})\b(?!')"
        ),
    )
