"""Domain results to API models."""

from __future__ import annotations

import orjson
from fastapi import Response

from spasmcare.domain.assessment import Assessment
from spasmcare.engine.interview import InterviewStep
from spasmcare.services.interviews import InterviewState
from spasmcare.web.schemas import AssessmentResult, InterviewPublic, OptionPublic, QuestionPublic


def assessment_result(assessment: Assessment) -> AssessmentResult:
    return AssessmentResult.model_validate(assessment.to_dict())


def json_response(data: object, status_code: int = 200) -> Response:
    """JSON straight from plain data, skipping a second validation of a large result that
    the engine's own types already guarantee (tests check it against the documented model)."""
    return Response(orjson.dumps(data), status_code, media_type="application/json")


def interview_public(state: InterviewState) -> InterviewPublic:
    step: InterviewStep = state.step
    question = step.question
    return InterviewPublic(
        id=state.record.id,
        done=question is None,
        question=None
        if question is None
        else QuestionPublic(
            code=question.code,
            text=question.text,
            text_someone_else=question.text_someone_else,
            why=question.why,
            type=question.type,
            options=[OptionPublic(value=o.value, label=o.label) for o in question.options],
            minimum=question.minimum,
            maximum=question.maximum,
            unit=question.unit,
            purpose=question.purpose,
            screens=list(question.screens),
        ),
        asked=step.asked,
        progress=step.progress,
        assessment=assessment_result(step.assessment),
        assessment_id=state.record.assessment_id,
    )
