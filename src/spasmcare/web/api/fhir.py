"""FHIR R4 endpoints under /fhir: the CapabilityStatement, the intake Questionnaire,
QuestionnaireResponse/$assess, and a person's records as a Bundle (export and import)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request, Response

from spasmcare.engine import assess
from spasmcare.engine.careplan import plan
from spasmcare.errors import AccountError, InvalidFindingError
from spasmcare.fhir import (
    QUESTIONNAIRE_URL,
    assessment_bundle,
    capability_statement,
    findings_from_response,
    intake_questionnaire,
)
from spasmcare.services import assessments, fhir_records
from spasmcare.web.api.assessments import save_for_token
from spasmcare.web.api.convert import json_response
from spasmcare.web.deps import (
    ApiUserDep,
    BearerDep,
    GroupCommitDep,
    KnowledgeDep,
    NowDep,
    SessionDep,
)

FHIR_JSON = "application/fhir+json"
_RESOURCE = {"content": {FHIR_JSON: {"schema": {"type": "object"}}}}
_OUTCOME: dict[str, object] = {
    "description": "An OperationOutcome naming what was wrong",
    "content": {FHIR_JSON: {"schema": {"type": "object"}}},
}
ERRORS: dict[int | str, dict[str, object]] = dict.fromkeys((400, 401, 404, 409, 422), _OUTCOME)
router = APIRouter(prefix="/fhir", tags=["FHIR R4"], responses={400: _OUTCOME})
_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            FHIR_JSON: {"schema": {"type": "object"}},
            "application/json": {"schema": {"type": "object"}},
        },
    }
}


def fhir_response(resource: dict[str, Any], status_code: int = 200) -> Response:
    response = json_response(resource, status_code)
    response.headers["content-type"] = FHIR_JSON
    return response


async def _json_body(request: Request, what: str) -> dict[str, Any]:
    raw = await request.body()
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidFindingError(
            what, f"the body is not JSON ({error})", f"a FHIR {what}"
        ) from None
    if not isinstance(data, dict):
        raise InvalidFindingError(what, "the body is not a JSON object", f"a FHIR {what}")
    return data


@router.get("/metadata", responses={200: _RESOURCE})
def metadata(request: Request) -> Response:
    """The CapabilityStatement: what this server does in FHIR (R4, served by R4B models)."""
    return fhir_response(capability_statement(str(request.base_url).rstrip("/") + "/fhir"))


@router.get("/Questionnaire/spasmcare-intake", responses={200: _RESOURCE})
def questionnaire(kb: KnowledgeDep) -> Response:
    """The intake as an SDC Questionnaire: one item per finding code (linkId = the code)."""
    return fhir_response(intake_questionnaire(kb))


@router.get("/Questionnaire", responses={200: _RESOURCE})
def questionnaire_search(kb: KnowledgeDep, url: str | None = None) -> Response:
    """Search by canonical url; the one Questionnaire this server has."""
    found = [] if url not in (None, QUESTIONNAIRE_URL) else [intake_questionnaire(kb)]
    bundle = {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": len(found),
        "entry": [{"resource": q, "search": {"mode": "match"}} for q in found],
    }
    return fhir_response(bundle)


@router.post(
    "/QuestionnaireResponse/$assess",
    responses={200: _RESOURCE, 201: _RESOURCE, **ERRORS},
    openapi_extra=_BODY,
)
async def assess_response(
    request: Request,
    token: BearerDep,
    commits: GroupCommitDep,
    kb: KnowledgeDep,
    now: NowDep,
) -> Response:
    """Assess a QuestionnaireResponse to the intake: returns a Bundle with the
    RiskAssessment (triage and ranked conditions), the CarePlan and the findings as
    Observations. Saved (201) for a client with an API token; otherwise nothing is stored."""
    response = await _json_body(request, "QuestionnaireResponse")
    findings = findings_from_response(response, kb)
    result = assess(findings, kb)
    care = plan(result, kb)
    ident = None
    if token is not None:
        rows = assessments.rows(result, kb, "fhir", now, care)
        ident = (await save_for_token(commits, token, rows, now)).id
    bundle = assessment_bundle(result, care, kb, made_at=now, ident=ident)
    return fhir_response(bundle, 201 if ident else 200)


@router.get("/Patient/$export", responses={200: _RESOURCE, **ERRORS})
def export(user: ApiUserDep, session: SessionDep, kb: KnowledgeDep, now: NowDep) -> Response:
    """Everything of the token's owner as a FHIR Bundle: assessments (RiskAssessment,
    Observations, CarePlan) and the diary (check-ins with LOINC 72514-3 pain scores)."""
    if user is None:
        raise AccountError("send an API token: Authorization: Bearer <token>", "authorization", 401)
    return fhir_response(fhir_records.export_bundle(session, user, kb, now))


@router.post("/Bundle/$import", responses={200: _RESOURCE, **ERRORS}, openapi_extra=_BODY)
async def import_bundle(
    request: Request, user: ApiUserDep, session: SessionDep, kb: KnowledgeDep, now: NowDep
) -> Response:
    """Bring a Bundle made by $export into a new, empty account (all entries or none)."""
    if user is None:
        raise AccountError("send an API token: Authorization: Bearer <token>", "authorization", 401)
    bundle = await _json_body(request, "Bundle")
    return json_response(fhir_records.import_bundle(session, user, bundle, kb, now))
