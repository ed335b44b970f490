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
    ratios = model.log_likelihood[row, columns] - model.log_background[columns]
    threshold = params.min_contribution
    # NumPy finds the few answers that matter; sorting those few is faster in plain Python.
    supporting = np.flatnonzero(ratios >= threshold).tolist()
    opposing = np.flatnonzero(ratios <= -threshold).tolist()
    weights: list[float] = ratios.tolist()
    prior_borne: list[tuple[str, float]] = []  # age and sex act through the prior
    age = findings.get("age")
    if isinstance(age, float):
        band = kb.findings["age"].band_of(age).id
        prior_borne.append(("age", float(model.log_prior_age[band][condition_index])))
    sex = findings.get("sex")
    if isinstance(sex, str):
        prior_borne.append(("sex", float(model.log_prior_sex[sex][condition_index])))
    for code, weight in prior_borne:
        if weight >= threshold:
            supporting.append(len(codes))
        elif weight <= -threshold:
            opposing.append(len(codes))
        codes.append(code)
        weights.append(weight)

    def pick(selected: list[int]) -> tuple[Contribution, ...]:
        # Strongest first; ties broken by code so the output is reproducible.
        order = sorted(selected, key=lambda i: (-abs(weights[i]), codes[i]))
        chosen = order[: params.max_listed_contributions]
        return tuple(
            Contribution(
                codes[i],
                findings[codes[i]],
                round(weights[i], 3),
                kb.findings[codes[i]].describe(findings[codes[i]]),
            )
            for i in chosen
        )

    return pick(supporting), pick(opposing)
