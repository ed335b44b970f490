"""Home, Ask SpasmCare, the articles and the emergency page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response

from spasmcare.ask.answer import ask
from spasmcare.ask.library import load_articles
from spasmcare.domain.triage import TriageLevel
from spasmcare.errors import NotFoundError
from spasmcare.web.deps import KnowledgeDep, PageUserDep
from spasmcare.web.security import check_csrf
from spasmcare.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])


@router.get("/")
def home(request: Request, user: PageUserDep) -> Response:
    return render(request, "pages/home.html", {"user": user})


_EMPTY_QUESTION = 'Type a question first, for example "heat or ice?".'


@router.get("/ask")
def ask_page(request: Request, user: PageUserDep) -> Response:
    return render(request, "pages/ask.html", {"user": user, "fragment": None})


@router.post("/ask")
async def ask_question(
    request: Request,
    kb: KnowledgeDep,
    user: PageUserDep,
    question: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    if not question.strip():
        return render(
            request,
            "pages/ask.html",
            {"user": user, "problem": _EMPTY_QUESTION, "fragment": "ask_problem"},
            422,
        )
    answer = ask(question, kb)
    return render(
        request,
        "pages/ask.html",
        {"user": user, "question": question, "answer": answer, "fragment": "answer"},
    )


@router.get("/articles")
def articles(request: Request, kb: KnowledgeDep, user: PageUserDep) -> Response:
    return render(request, "pages/articles.html", {"user": user, "articles": load_articles(kb)})


@router.get("/articles/{article_id}")
def article(request: Request, article_id: str, kb: KnowledgeDep, user: PageUserDep) -> Response:
    found = next((a for a in load_articles(kb) if a.id == article_id), None)
    if found is None:
        raise NotFoundError("article")
    return render(request, "pages/article.html", {"user": user, "article": found})


@router.get("/emergency")
def emergency(request: Request, kb: KnowledgeDep) -> Response:
    """The warning signs that need the emergency number now. Needs no login and no database."""
    signs = [rule for rule in kb.rules if rule.level is TriageLevel.EMERGENCY]
    return render(request, "pages/emergency.html", {"signs": signs})
