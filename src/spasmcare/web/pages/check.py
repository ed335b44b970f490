"""The check in the browser: a story, then one question at a time, then the result.

Nothing is stored while a person checks: the answers so far travel in a hidden form field
(validated again on every step), so an anonymous check leaves no trace on the server. Saving
is a separate, deliberate step that needs an account.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import RedirectResponse

from spasmcare.domain.assessment import Assessment
from spasmcare.domain.triage import TriageLevel
from spasmcare.engine import assess
from spasmcare.engine.careplan import plan
from spasmcare.engine.findings import validate_findings
from spasmcare.engine.interview import (
    MAX_PROGRESS,
    InterviewStep,
    Question,
    next_step,
    reopened,
)
from spasmcare.knowledge.base import Finding, KnowledgeBase
from spasmcare.narrative.extract import extract
from spasmcare.services import assessments
from spasmcare.web.api.documents import careplan_response
from spasmcare.web.deps import KnowledgeDep, NowDep, PageUserDep, SessionDep
from spasmcare.web.pages.accounts import save_page
from spasmcare.web.pages.check_state import Answers
from spasmcare.web.security import check_csrf
from spasmcare.web.templating import is_htmx, render

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])
StateField = Annotated[str, Form(max_length=20_000)]
DONT_KNOW = "dont_know"
History = Literal["push", "replace"]


def _parse(finding: Finding, raw: str) -> tuple[object | None, str | None]:
    """(value, problem): the value is None for "don't know"."""
    text = raw.strip()
    if text in ("", DONT_KNOW):
        if finding.type != "number" and not text:
            return None, "Choose one of the answers (or 'I don't know')."
        return None, None
    if finding.type == "bool":
        if text not in ("yes", "no"):
            return None, "Choose yes, no or 'I don't know'."
        return text == "yes", None
    if finding.type == "choice":
        if text not in {option.value for option in finding.options}:
            return None, "Choose one of the answers shown."
        return text, None
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return None, "Type a number, or leave it empty if you don't know."
    low, high = finding.minimum, finding.maximum
    if (low is not None and number < low) or (high is not None and number > high):
        return None, f"Type a number from {low:g} to {high:g}."
    return number, None


def _screens(question: Question, kb: KnowledgeBase) -> list[str]:
    rules = {rule.id: rule for rule in kb.rules}
    return [rules[code].watch_for for code in question.screens if code in rules]


def _question_page(
    request: Request,
    state: Answers,
    step: InterviewStep,
    kb: KnowledgeBase,
    problem: str | None = None,
    understood: list[str] | None = None,
    status_code: int = 200,
    previous: Mapping[str, str] | None = None,
    history: History = "push",
    progress_before: float = 0.0,
) -> Response:
    """The question page. ``previous`` maps a question's code to the answer to show already
    chosen or typed when that question is the one asked (after Back, or a refused answer).
    ``progress_before`` is the progress the last page showed: an answer can open new
    questions, and the bar then stands still rather than move back."""
    assert step.question is not None
    number = state.questions_answered + 1
    response = render(
        request,
        "pages/check.html",
        {
            "fragment": "question",
            "question": step.question,
            "question_text": step.question.text_for(state.for_someone_else),
            "someone_else_reminder": kb.someone_else_reminder if state.for_someone_else else None,
            "step": step,
            "shown_progress": max(step.progress, min(progress_before, MAX_PROGRESS)),
            "act_now": _emergency_signs(step.assessment),
            "state": state.encode(),
            "number": number,
            "problem": problem,
            "screens": _screens(step.question, kb),
            "understood": understood or [],
            "previous": (previous or {}).get(step.question.code, ""),
        },
        status_code,
    )
    return _in_history(request, response, f"step={number}", history)


def _in_history(request: Request, response: Response, where: str, history: History) -> Response:
    """Give each step of the check its own address in the browser's history, so the
    browser's Back button goes to the previous question (restored by HTMX from its cache,
    answers and all) instead of leaving the check. The page's own Back button and a refused
    answer replace the address rather than add one."""
    if is_htmx(request):
        header = "HX-Push-Url" if history == "push" else "HX-Replace-Url"
        response.headers[header] = f"/check?{where}"
    return response


def _emergency_signs(result: Assessment) -> list[str]:
    """Why a warning sign already makes it an emergency. The interview may still ask a few
    questions to tell the causes apart, but the person must not have to wait for them:
    the question page says so at once, and a warning sign's level can never be lowered."""
    return [sign.text for sign in result.red_flags if sign.level is TriageLevel.EMERGENCY]


def result_context(result: Assessment, kb: KnowledgeBase) -> dict[str, Any]:
    """What the result page shows: the assessment and its care plan, as plain data (the
    same shape as a stored assessment, so live and saved results render alike)."""
    care = plan(result, kb)
    return {
        "result": result.to_dict(),
        "level": kb.levels[result.triage],
        "care": care.to_dict(),
        "medicine_questions": [kb.findings[code] for code in care.medicine_questions()],
    }


def _result_page(
    request: Request, state: Answers, result: Assessment, kb: KnowledgeBase, user: object
) -> Response:
    context = result_context(result, kb)
    response = render(
        request,
        "pages/check.html",
        {
            **context,
            "fragment": "result",
            "state": state.encode(),
            "user": user,
            "for_someone_else": state.for_someone_else,
        },
    )
    return _in_history(request, response, "step=result", "push")


def _next(
    request: Request, state: Answers, kb: KnowledgeBase, user: object, **extra: Any
) -> Response:
    step = next_step(state.answers, state.asked, kb)
    if step.done:
        return _result_page(request, state, step.assessment, kb, user)
    return _question_page(request, state, step, kb, **extra)


@router.get("/check")
def check_start(request: Request, user: PageUserDep) -> Response:
    welcome = user is not None and request.query_params.get("welcome") == "1"
    # A reloaded (or bookmarked) step: the answers lived only in that page, by design.
    restarted = "step" in request.query_params
    return render(
        request,
        "pages/check.html",
        {"fragment": "start", "user": user, "welcome": welcome, "restarted": restarted},
    )


@router.post("/check/start")
async def check_story(
    request: Request,
    kb: KnowledgeDep,
    user: PageUserDep,
    story: Annotated[str, Form(max_length=5000)] = "",
    checking_for: Annotated[Literal["me", "someone_else"], Form()] = "me",
) -> Response:
    someone_else = checking_for == "someone_else"
    found = extract(story, kb, about_someone_else=someone_else).findings if story.strip() else {}
    state = Answers(dict(found), list(found), len(found), someone_else)
    understood = [kb.findings[code].describe(value) for code, value in found.items()]
    return _next(request, state, kb, user, understood=understood)


@router.post("/check/answer")
async def check_answer(
    request: Request,
    kb: KnowledgeDep,
    user: PageUserDep,
    state: StateField,
    code: Annotated[str, Form(max_length=100)],
    answer: Annotated[str, Form(max_length=50)] = "",
    action: Annotated[str, Form(max_length=10)] = "",
    progress: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    answers = Answers.decode(state, kb)
    if action == "back":
        # The Back button can arrive here when the form is submitted before the button's
        # own handler is ready (a fast keyboard user): honour it all the same.
        return _go_back(request, answers, kb, user)
    step = next_step(answers.answers, answers.asked, kb)
    if step.question is None or step.question.code != code:
        # A stale page (the back button, a double submit): show where the check really is.
        return _next(request, answers, kb, user)
    value, problem = _parse(kb.findings[code], answer)
    if problem is not None:
        return _question_page(
            request,
            answers,
            step,
            kb,
            problem,
            status_code=422,
            previous={code: answer},
            history="replace",
            progress_before=_shown(progress),
        )
    if value is not None:
        answers.answers[code] = value
    answers.asked.append(code)
    return _next(request, answers, kb, user, progress_before=_shown(progress))


def _shown(progress: str) -> float:
    """The progress the page showed (0 when missing or unreadable: it only sets a floor)."""
    try:
        value = float(progress)
    except ValueError:
        return 0.0
    return value if 0.0 <= value <= 1.0 else 0.0


@router.post("/check/finish")
async def check_finish(
    request: Request, kb: KnowledgeDep, user: PageUserDep, state: StateField
) -> Response:
    """The result for the answers so far, without the remaining questions. Offered once a
    warning sign has made it an emergency; anything still unasked keeps its safety floor
    (an unanswered warning sign never allows self-care)."""
    answers = Answers.decode(state, kb)
    return _result_page(request, answers, assess(answers.answers, kb), kb, user)


@router.post("/check/back")
async def check_back(
    request: Request, kb: KnowledgeDep, user: PageUserDep, state: StateField
) -> Response:
    return _go_back(request, Answers.decode(state, kb), kb, user)


def _go_back(request: Request, answers: Answers, kb: KnowledgeBase, user: object) -> Response:
    """The previous question again, with the answer given to it still chosen."""
    if not answers.asked:
        return _next(request, answers, kb, user)
    code = answers.asked.pop()
    given = _form_answer(kb.findings[code], answers.answers.pop(code, None))
    answers.from_story = min(answers.from_story, len(answers.asked))
    return _next(request, answers, kb, user, previous={code: given}, history="replace")


def _form_answer(finding: Finding, value: object) -> str:
    """An answer as the question form sends it (the reverse of _parse)."""
    if value is None:
        return "" if finding.type == "number" else DONT_KNOW
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"{value:g}" if isinstance(value, float) else str(value)


@router.post("/check/medicines")
async def check_medicines(
    request: Request, kb: KnowledgeDep, user: PageUserDep, state: StateField
) -> Response:
    """Answers to the medicine-safety questions, so the plan can say which medicines suit.
    An answer can make a warning sign matter ("pregnant": then labour and bleeding), so the
    check goes on to ask those before showing the result again."""
    answers = Answers.decode(state, kb)
    form = await request.form()
    for code in plan(assess(answers.answers, kb), kb).medicine_questions():
        raw = form.get(code)
        if not isinstance(raw, str):
            continue
        value, problem = _parse(kb.findings[code], raw or DONT_KNOW)
        if problem is None and value is not None:
            answers.answers[code] = value
    answers.answers = dict(validate_findings(answers.answers, kb))
    result = assess(answers.answers, kb)
    if reopened(result):
        return _next(request, answers, kb, user)
    return _result_page(request, answers, result, kb, user)


@router.post("/check/download")
async def check_download(
    request: Request,
    kb: KnowledgeDep,
    now: NowDep,
    state: StateField,
    format: Annotated[str, Form(pattern="^(pdf|ics|html)$")],
) -> Response:
    answers = Answers.decode(state, kb)
    return careplan_response(plan(assess(answers.answers, kb), kb), kb, format, now)


@router.post("/check/save")
async def check_save(
    request: Request,
    kb: KnowledgeDep,
    user: PageUserDep,
    session: SessionDep,
    now: NowDep,
    state: StateField,
) -> Response:
    """Keep this result in the person's history (log in or sign up first if needed; the
    answers wait in the login form)."""
    answers = Answers.decode(state, kb)
    if user is None:
        return save_page(request, answers.encode())
    record = assessments.save(session, user.id, assess(answers.answers, kb), kb, "interview", now)
    return RedirectResponse(f"/assessments/{record.id}?saved=1", status_code=303)
