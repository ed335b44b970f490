"""Naive-Bayes ranking of conditions, compiled from the knowledge base into matrices.

Each condition is one or more *presentations* (rows). Each answered finding selects one
*state* column: yes or no for a yes/no finding, the chosen option, or the band a number
falls in. A row's log-likelihood is the sum of its entries over the observed states; a
condition's is the log-sum of its rows weighted by presentation. Unanswered findings are
left out, which is exact marginalisation in this model.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from spasmcare.knowledge.base import Finding, KnowledgeBase
from spasmcare.knowledge.expressions import FindingValue

Vector = npt.NDArray[np.float64]
StateKey = tuple[str, bool | str]


@dataclass(frozen=True, eq=False)
class BayesModel:
    conditions: tuple[str, ...]
    condition_index: Mapping[str, int]
    row_starts: npt.NDArray[np.intp]
    row_condition: npt.NDArray[np.intp]
    row_log_weight: Vector
    row_presentation: tuple[str | None, ...]
    mixtures: tuple[tuple[int, int, int], ...]  # (condition index, first row, end row) if > 1 row
    log_likelihood: Vector  # (rows, states)
    # log_likelihood less a typical back-pain presentation's: how far each answer moves a
    # row, the weights of explanations.
    log_ratio: Vector  # (rows, states)
    state_index: Mapping[StateKey, int]
    # States are grouped by finding, in order: finding_codes[i] owns the columns from
    # finding_starts[i] up to the next start.
    finding_codes: tuple[str, ...]
    finding_starts: npt.NDArray[np.intp]
    log_prior_base: Vector  # (conditions,)
    log_prior_age: Mapping[str, Vector]
    log_prior_sex: Mapping[str, Vector]


def ranking_findings(kb: KnowledgeBase) -> list[Finding]:
    return [
        f
        for f in kb.findings.values()
        if f.use == "ranking" and (f.type == "bool" or f.options or f.bands)
    ]


def state_key(finding: Finding, value: FindingValue) -> StateKey:
    if finding.type == "number":
        assert isinstance(value, float)
        return finding.code, finding.band_of(value).id
    assert isinstance(value, bool | str)
    return finding.code, value


@functools.lru_cache(maxsize=8)
def compile_model(kb: KnowledgeBase) -> BayesModel:
    """Build the matrices once per knowledge base (the cache holds it by identity)."""
    states: list[tuple[StateKey, Finding]] = []
    finding_codes: list[str] = []
    finding_starts: list[int] = []
    for finding in ranking_findings(kb):
        finding_codes.append(finding.code)
        finding_starts.append(len(states))
        if finding.type == "bool":
            states += [((finding.code, True), finding), ((finding.code, False), finding)]
        elif finding.type == "choice":
            states += [((finding.code, option.value), finding) for option in finding.options]
        else:
            states += [((finding.code, band.id), finding) for band in finding.bands]

    def probability(table: Mapping[str, object], key: StateKey, finding: Finding) -> float:
        _, state = key
        entry = table.get(finding.code)
        if finding.type == "bool":
            p = float(entry) if isinstance(entry, float) else float(finding.background or 0.0)
            return p if state is True else 1.0 - p
        if isinstance(entry, Mapping):
            return float(entry[str(state)])
        shares = {o.value: o.background for o in finding.options} | {
            b.id: b.background for b in finding.bands
        }
        return float(shares[str(state)] or 0.0)

    rows: list[list[float]] = []
    row_condition: list[int] = []
    row_weight: list[float] = []
    row_name: list[str | None] = []
    row_starts: list[int] = []
    for index, condition in enumerate(kb.conditions.values()):
        row_starts.append(len(rows))
        for presentation in condition.presentations:
            rows.append([probability(presentation.likelihoods, key, f) for key, f in states])
            row_condition.append(index)
            row_weight.append(presentation.weight)
            row_name.append(presentation.name)
    log_likelihood = np.log(np.array(rows))
    log_background = np.log(np.array([probability({}, key, f) for key, f in states]))

    codes = tuple(kb.conditions)
    age_bands = [band.id for band in kb.findings["age"].bands]
    sexes = [option.value for option in kb.findings["sex"].options]
    return BayesModel(
        conditions=codes,
        condition_index={code: i for i, code in enumerate(codes)},
        row_starts=np.array(row_starts, dtype=np.intp),
        row_condition=np.array(row_condition, dtype=np.intp),
        row_log_weight=np.log(np.array(row_weight)),
        row_presentation=tuple(row_name),
        mixtures=tuple(
            (index, start, end)
            for index, (start, end) in enumerate(
                zip(row_starts, [*row_starts[1:], len(rows)], strict=True)
            )
            if end - start > 1
        ),
        log_likelihood=log_likelihood,
        log_ratio=log_likelihood - log_background,
        state_index={key: column for column, (key, _) in enumerate(states)},
        finding_codes=tuple(finding_codes),
        finding_starts=np.array(finding_starts, dtype=np.intp),
        log_prior_base=np.log(np.array([kb.conditions[c].prior.base for c in codes])),
        log_prior_age={
            band: np.log(np.array([kb.conditions[c].prior.age.get(band, 1.0) for c in codes]))
            for band in age_bands
        },
        log_prior_sex={
            sex: np.log(np.array([kb.conditions[c].prior.sex.get(sex, 1.0) for c in codes]))
            for sex in sexes
        },
    )


def observed_states(
    model: BayesModel, kb: KnowledgeBase, findings: Mapping[str, FindingValue]
) -> dict[str, int]:
    """The state column of every answered finding that ranks conditions."""
    observed: dict[str, int] = {}
    for code, value in findings.items():
        column = (
            model.state_index.get(state_key(kb.findings[code], value))
            if code in kb.findings
            else None
        )
        if column is not None:
            observed[code] = column
    return observed


def log_prior(model: BayesModel, kb: KnowledgeBase, findings: Mapping[str, FindingValue]) -> Vector:
    prior = model.log_prior_base.copy()
    age = findings.get("age")
    if isinstance(age, float):
        prior += model.log_prior_age[kb.findings["age"].band_of(age).id]
    sex = findings.get("sex")
    if isinstance(sex, str):
        prior += model.log_prior_sex[sex]
    return prior


def row_scores(model: BayesModel, columns: list[int]) -> Vector:
    scores: Vector = model.log_likelihood[:, columns].sum(axis=1)
    return scores


def row_posterior(model: BayesModel, prior: Vector, scores: Vector) -> Vector:
    """Posterior over presentation rows (each condition's share split among its rows)."""
    joint = scores + model.row_log_weight + prior[model.row_condition]
    weights = np.exp(joint - joint.max())
    result: Vector = weights / weights.sum()
    return result


def posterior(model: BayesModel, prior: Vector, scores: Vector) -> Vector:
    """Posterior over conditions for row scores of shape (..., rows)."""
    by_condition = np.logaddexp.reduceat(scores + model.row_log_weight, model.row_starts, axis=-1)
    joint = by_condition + prior
    joint -= joint.max(axis=-1, keepdims=True)
    weights = np.exp(joint)
    result: Vector = weights / weights.sum(axis=-1, keepdims=True)
    return result


def worst_case_risk(
    model: BayesModel,
    prior: Vector,
    observed: Mapping[str, int],
    raising_present: list[str],
    masks_for: Callable[[frozenset[str]], Mapping[str, npt.NDArray[np.bool_]]],
    escalating: frozenset[str],
) -> dict[str, float]:
    """For each group of conditions, the largest posterior mass over every yes/no reading
    of the warning signs present.

    Why: Bayes' rule alone can lower one dangerous condition's probability when a warning
    sign for another is added (a fever makes a heart attack relatively less likely). Taking
    the maximum over readings, where each warning sign present is kept or read as "no",
    makes the triage monotone: adding a warning sign only adds readings, and each old
    reading is exactly one of the new ones. "Unknown" needs no reading of its own, because
    its posterior is a weighted average of the yes and no posteriors.

    Each reading is judged as a whole: which conditions need which level (``masks_for``,
    given the codes read as "no") is decided on the same findings as its posterior. Only
    codes in ``escalating`` can change those groups, so masks are computed once per
    combination of them.
    """
    raising = set(raising_present)
    base_columns = [column for code, column in observed.items() if code not in raising]
    variants = row_scores(model, base_columns)[np.newaxis, :]
    # Each code doubles the readings: kept as "yes" in the first half, read as "no" in the
    # second. So reading r reads code i as "no" exactly when bit i of r is set.
    for code in raising_present:
        yes = model.log_likelihood[:, model.state_index[(code, True)]]
        no = model.log_likelihood[:, model.state_index[(code, False)]]
        variants = np.concatenate([variants + yes, variants + no])
    probabilities = posterior(model, prior, variants)

    deciding = [i for i, code in enumerate(raising_present) if code in escalating]
    readings: Mapping[frozenset[str], slice | npt.NDArray[np.intp]] = {frozenset(): slice(None)}
    if deciding:  # rare: group the readings by which deciding codes they read as "no"
        # Label each reading by the bits of the deciding codes alone: with many warning
        # signs there are thousands of readings but only a few labels.
        reading = np.arange(len(variants))
        label = sum(((reading >> i) & 1) << j for j, i in enumerate(deciding))
        readings = {
            frozenset(raising_present[i] for j, i in enumerate(deciding) if value >> j & 1): (
                np.flatnonzero(label == value)
            )
            for value in range(1 << len(deciding))
        }
    best: dict[str, float] = {}
    for flipped, rows in readings.items():
        masks = masks_for(flipped)
        # Every group's mass in every reading: (readings, conditions) @ (conditions, groups).
        members = np.column_stack(list(masks.values())).astype(np.float64)
        largest = (probabilities[rows] @ members).max(axis=0).tolist()
        for group, value in zip(masks, largest, strict=True):
            best[group] = max(best.get(group, 0.0), value)
    return best


def best_rows(model: BayesModel, scores: Vector) -> npt.NDArray[np.intp]:
    """For each condition, the presentation row that explains the answers best."""
    weighted = scores + model.row_log_weight
    best = model.row_starts.copy()
    for index, start, end in model.mixtures:
        best[index] = start + int(np.argmax(weighted[start:end]))
    return best
