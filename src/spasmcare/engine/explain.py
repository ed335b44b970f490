"""Per-condition explanations: the answers that raised or lowered each condition."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from spasmcare.domain.assessment import Contribution
from spasmcare.engine.model import BayesModel
from spasmcare.engine.params import EngineParams
from spasmcare.knowledge.base import KnowledgeBase
from spasmcare.knowledge.expressions import FindingValue


def contributions(
    model: BayesModel,
    kb: KnowledgeBase,
    condition_index: int,
    row: int,
    observed: Mapping[str, int],
    findings: Mapping[str, FindingValue],
    params: EngineParams,
) -> tuple[tuple[Contribution, ...], tuple[Contribution, ...]]:
    """(supporting, opposing), strongest first. Each weight is a natural-log likelihood
    ratio against a typical back-pain presentation; age and sex act through the prior."""
    codes = list(observed)
    columns = list(observed.values())
    weights = model.log_likelihood[row, columns] - model.log_background[columns]
    age = findings.get("age")
    if isinstance(age, float):
        codes.append("age")
        band = kb.findings["age"].band_of(age).id
        weights = np.append(weights, model.log_prior_age[band][condition_index])
    sex = findings.get("sex")
    if isinstance(sex, str):
        codes.append("sex")
        weights = np.append(weights, model.log_prior_sex[sex][condition_index])

    def pick(selected: np.ndarray) -> tuple[Contribution, ...]:
        # Strongest first; ties broken by code so the output is reproducible.
        order = sorted(selected.tolist(), key=lambda i: (-abs(float(weights[i])), codes[i]))
        chosen = order[: params.max_listed_contributions]
        return tuple(
            Contribution(
                codes[i],
                findings[codes[i]],
                round(float(weights[i]), 3),
                kb.findings[codes[i]].describe(findings[codes[i]]),
            )
            for i in chosen
        )

    threshold = params.min_contribution
    return pick(np.flatnonzero(weights >= threshold)), pick(np.flatnonzero(weights <= -threshold))
