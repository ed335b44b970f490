"""/api/v1/knowledge, /api/v1/ask and /api/v1/extract: the vocabulary, answers and free text."""

from __future__ import annotations

from fastapi import APIRouter

from spasmcare.ask.answer import ask
from spasmcare.narrative.extract import extract
from spasmcare.web.deps import KnowledgeDep
from spasmcare.web.schemas import (
    AskCreate,
    AskPublic,
    ConditionPublic,
    ErrorPublic,
    ExtractCreate,
    ExtractPublic,
    FindingPublic,
    MentionPublic,
)

router = APIRouter(tags=["knowledge"])
ERRORS: dict[int | str, dict[str, object]] = {422: {"model": ErrorPublic}}


@router.get("/knowledge/findings", response_model=list[FindingPublic])
def list_findings(kb: KnowledgeDep) -> list[FindingPublic]:
    """Every finding code the engine accepts, with its type, allowed values and question."""
    return [
        FindingPublic(
            code=f.code,
            group=f.group,
            type=f.type,
            means=f.means,
            question=f.question,
            minimum=f.minimum,
            maximum=f.maximum,
            options=[o.value for o in f.options],
        )
        for f in kb.findings.values()
    ]


@router.get("/knowledge/conditions", response_model=list[ConditionPublic])
def list_conditions(kb: KnowledgeDep) -> list[ConditionPublic]:
    """The conditions SpasmCare ranks, with their usual disposition and sources."""
    return [
        ConditionPublic.model_validate(
            {
                "code": c.code,
                "name": c.name,
                "summary": c.summary,
                "default_triage": c.default_triage.value,
                "sources": list(c.sources),
            }
        )
        for c in kb.conditions.values()
    ]


@router.post("/ask", response_model=AskPublic, responses=ERRORS)
def ask_question(body: AskCreate, kb: KnowledgeDep) -> AskPublic:
    """An answer quoted from SpasmCare's articles, with citations; `triage` is set when the
    question describes a warning sign, and the answer then leads with what to do now."""
    return AskPublic.model_validate(ask(body.question, kb).to_contract())


@router.post("/extract", response_model=ExtractPublic, responses=ERRORS)
def extract_findings(body: ExtractCreate, kb: KnowledgeDep) -> ExtractPublic:
    """Finding codes read from a story in plain words, with what each phrase was read as."""
    result = extract(body.text, kb, about_someone_else=body.about_someone_else)
    return ExtractPublic(
        findings=result.findings,
        mentions=[
            MentionPublic(code=m.code, status=m.status, text=m.text) for m in result.mentions
        ],
    )
