"""The terminal interview: one question at a time, with back, why and don't know."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from rich.console import Console
from rich.text import Text

from spasmcare.domain.assessment import Assessment
from spasmcare.engine.careplan import plan
from spasmcare.engine.interview import (
    InterviewResult,
    InterviewStep,
    Question,
    next_step,
    question_about,
)
from spasmcare.knowledge.base import KnowledgeBase

DONT_KNOW = object()
_PURPOSE = {
    "about_you": "About you",
    "warning_sign": "Checking for a warning sign",
    "narrowing_down": "Narrowing down the cause",
}
_YES = {"y", "yes"}
_NO = {"n", "no"}
_DONT_KNOW = {"d", "dk", "don't know", "dont know", "not sure", "unsure"}


class StopInterview(Exception):
    """The person asked to stop (Ctrl-C or end of input)."""


@dataclass
class _Session:
    kb: KnowledgeBase
    answers: dict[str, object] = field(default_factory=dict)
    asked: list[str] = field(default_factory=list)

    def step(self) -> InterviewStep:
        return next_step(self.answers, self.asked, self.kb)

    def record(self, code: str, value: object) -> None:
        self.asked.append(code)
        if value is not DONT_KNOW:
            self.answers[code] = value

    def back(self) -> str | None:
        """Undo the last answer; returns its code (None at the start)."""
        if not self.asked:
            return None
        code = self.asked.pop()
        self.answers.pop(code, None)
        return code


def interview_in_terminal(
    kb: KnowledgeBase,
    console: Console,
    start: Mapping[str, object] | None = None,
    someone_else: bool = False,
) -> InterviewResult:
    """Ask until the engine is done. Raises StopInterview on Ctrl-C or end of input.
    ``someone_else``: the check is for another person, so the questions ask about them."""
    session = _Session(kb, dict(start or {}), list(start or {}))
    console.print(
        Text.assemble(
            ("SpasmCare interview. ", "bold"),
            "Answer each question. Type ",
            ("d", "bold"),
            " if you don't know, ",
            ("?", "bold"),
            " to hear why we ask, ",
            ("b", "bold"),
            " to go back, and press Ctrl-C to stop at any time.\n",
        )
    )
    if someone_else:
        console.print(f"[italic]{kb.someone_else_reminder}[/]")
    while True:
        current = session.step()
        if current.question is None:
            return InterviewResult(current.assessment, dict(session.answers), tuple(session.asked))
        _show_question(console, current, current.question, someone_else)
        value = _ask(console, current.question, kb, session)
        if value is _BACK:
            code = session.back()
            console.print("[dim]Going back.[/]" if code else "[dim]This is the first question.[/]")
            continue
        session.record(current.question.code, value)


_BACK = object()


def _show_question(
    console: Console, step: InterviewStep, question: Question, someone_else: bool
) -> None:
    filled = round(step.progress * 20)
    bar = "■" * filled + "□" * (20 - filled)
    console.print(
        f"\n[dim]{bar}  question {step.asked + 1} · about {step.progress:.0%} done · "
        f"{_PURPOSE[question.purpose]}[/]"
    )
    console.print(f"[bold]{question.text_for(someone_else)}[/]")


def _ask(console: Console, question: Question, kb: KnowledgeBase, session: _Session) -> object:
    while True:
        try:
            raw = console.input(Text(_prompt(question))).strip().lower()
        except (KeyboardInterrupt, EOFError):
            raise StopInterview from None
        if raw in ("b", "back"):
            return _BACK
        if raw in ("?", "why"):
            console.print(f"[italic]{_why(question, kb)}[/]")
            continue
        if raw in _DONT_KNOW:
            return DONT_KNOW
        value, problem = _parse(question, raw)
        if problem is None:
            return value
        console.print(f"[red]{problem}[/]")


def _prompt(question: Question) -> str:
    if question.type == "bool":
        return "[y]es / [n]o / [d]on't know  > "
    if question.type == "choice":
        listed = "  ".join(
            f"[{i}] {option.label}" for i, option in enumerate(question.options, start=1)
        )
        return f"{listed}  [d]on't know  > "
    unit = f" {question.unit}" if question.unit and question.unit != "0-10" else ""
    return f"a number from {question.minimum:g} to {question.maximum:g}{unit}, or [d]on't know  > "


def _parse(question: Question, raw: str) -> tuple[object, str | None]:
    if question.type == "bool":
        if raw in _YES:
            return True, None
        if raw in _NO:
            return False, None
        return None, "Please type y for yes, n for no, or d if you don't know."
    if question.type == "choice":
        for index, option in enumerate(question.options, start=1):
            if raw in (str(index), option.value, option.label.lower()):
                return option.value, None
        return (
            None,
            f"Please type a number from 1 to {len(question.options)}, or d if you don't know.",
        )
    try:
        number = float(raw.replace(",", "."))
    except ValueError:
        return None, "Please type a number, or d if you don't know."
    assert question.minimum is not None and question.maximum is not None
    if not question.minimum <= number <= question.maximum:
        return None, f"Please type a number from {question.minimum:g} to {question.maximum:g}."
    return number, None


def _why(question: Question, kb: KnowledgeBase) -> str:
    rules = {rule.id: rule for rule in kb.rules}
    reasons = [question.why]
    if question.screens:
        reasons.append(f"It helps rule out a warning sign: {rules[question.screens[0]].reason}")
    return " ".join(reasons)


def offer(console: Console, question: str) -> bool:
    """A yes/no question outside the interview (default yes)."""
    try:
        answer = console.input(Text(f"\n{question} [Y/n] > ")).strip().lower()
    except (KeyboardInterrupt, EOFError):
        raise StopInterview from None
    return answer in ("", "y", "yes")


def ask_medicine_safety(
    kb: KnowledgeBase, console: Console, result: Assessment, someone_else: bool = False
) -> dict[str, object]:
    """The questions that decide which over-the-counter medicines are safe for this person
    (pregnancy among them), as far as they are not answered yet; returns every answer."""
    answers: dict[str, object] = dict(result.findings)
    codes = plan(result, kb).medicine_questions()
    if not codes:
        return answers
    console.print("\n[bold]A few questions so we only suggest medicines that are safe for you.[/]")
    for code in codes:
        finding = kb.findings[code]
        question = question_about(finding, "about_you")
        console.print(f"[bold]{question.text_for(someone_else)}[/]")
        while True:
            try:
                raw = console.input(Text(_prompt(question))).strip().lower()
            except (KeyboardInterrupt, EOFError):
                raise StopInterview from None
            if raw in ("?", "why"):
                console.print(f"[italic]{finding.why}[/]")
                continue
            if raw in _DONT_KNOW:
                break
            value, problem = _parse(question, raw)
            if problem is None:
                answers[code] = value
                break
            console.print(f"[red]{problem}[/]")
    return answers
