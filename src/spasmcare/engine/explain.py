"""Per-condition explanations: the answers that raised or lowered each condition."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from spasmcare.domain.assessment import Contribution
from spasmcare.engine.model import BayesModel
from spasmcare.engine.params import EngineParams
from spasmcare.knowledge.base import KnowledgeBase
from spasmcare.knowledge.expressions import FindingValue

Explanation = tuple[tuple[Contribution, ...], tuple[Contribution, ...]]


def explanations(
    model: BayesModel,
    kb: KnowledgeBase,
    conditions: Sequence[int],
    rows: Sequence[int],
    observed: Mapping[str, int],
    findings: Mapping[str, FindingValue],
    params: EngineParams,
) -> list[Explanation]:
    """(supporting, opposing) for each condition, judged on its best-fitting presentation
    row, strongest first. Each weight is a natural-log likelihood ratio against a typical
    back-pain presentation; age and sex act through the prior.

    All the conditions are done at once: one matrix of ratios, one threshold test."""
    codes = list(observed)
    ratios = model.log_ratio[rows][:, list(observed.values())]
    prior_borne = []  # age and sex act through the prior
    age = findings.get("age")
    if isinstance(age, float):
        codes.append("age")
        prior_borne.append(model.log_prior_age[kb.findings["age"].band_of(age).id][conditions])
    sex = findings.get("sex")
    if isinstance(sex, str):
        codes.append("sex")
        prior_borne.append(model.log_prior_sex[sex][conditions])
    if prior_borne:
        ratios = np.column_stack([ratios, *prior_borne])
    # NumPy finds the few answers that matter; sorting those few is faster in plain Python.
    strong_rows, strong_columns = np.nonzero(np.abs(ratios) >= params.min_contribution)
    weights: list[list[float]] = ratios.tolist()
    strong: list[list[int]] = [[] for _ in conditions]
    for row, column in zip(strong_rows.tolist(), strong_columns.tolist(), strict=True):
        strong[row].append(column)
    statements: dict[str, str] = {}
    listed = params.max_listed_contributions

    def contribution(i: int, weight: float) -> Contribution:
        code = codes[i]
        if code not in statements:
            statements[code] = kb.findings[code].describe(findings[code])
        return Contribution(code, findings[code], round(weight, 3), statements[code])

    result: list[Explanation] = []
    for row_weights, chosen in zip(weights, strong, strict=True):
        # Strongest first; ties broken by code so the output is reproducible.
        raising = sorted(
            (i for i in chosen if row_weights[i] > 0), key=lambda i: (-row_weights[i], codes[i])
        )
        lowering = sorted(
            (i for i in chosen if row_weights[i] < 0), key=lambda i: (row_weights[i], codes[i])
        )
        result.append(
            (
                tuple(contribution(i, row_weights[i]) for i in raising[:listed]),
                tuple(contribution(i, row_weights[i]) for i in lowering[:listed]),
            )
        )
    return result
