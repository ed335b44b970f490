"""assess(findings, kb) -> Assessment: the engine's single entry point. Pure: no I/O."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from spasmcare.domain.assessment import Assessment, RankedCondition
from spasmcare.domain.triage import TriageLevel
from spasmcare.engine import model as bayes
from spasmcare.engine.explain import Explanation, explanations
from spasmcare.engine.findings import Findings, validate_findings
from spasmcare.engine.params import DEFAULT_PARAMS, EngineParams
from spasmcare.engine.redflags import rule_status, unanswered_codes
from spasmcare.engine.triage import (
    Disposition,
    case_dispositions,
    decide,
    escalating_codes,
    risk_groups,
)
from spasmcare.knowledge.base import KnowledgeBase


def assess(
    findings: Mapping[str, object], kb: KnowledgeBase, params: EngineParams = DEFAULT_PARAMS
) -> Assessment:
    """Triage, ranked differential and reasons for one set of findings.

    ``findings`` maps spec codes to answers (True/False, a number, or a choice); a missing
    code or None means unknown. Raises InvalidFindingError for anything else.
    """
    checked = validate_findings(findings, kb)
    ranking = _Ranking(kb, checked, params)
    dispositions = case_dispositions(kb, checked)
    groups = risk_groups(dispositions)
    risk, too_many = ranking.risk(dispositions, groups)
    rules = rule_status(kb, checked)
    triage, reasons = decide(
        kb,
        params,
        findings=checked,
        fired=rules.fired,
        pending=rules.pending if params.screen_unasked else (),
        risk=risk,
        groups=groups,
        probabilities=ranking.probabilities,
        dispositions=dispositions,
        supporting=lambda code: tuple(item.finding for item in ranking.explain(code)[0]),
        too_many_warning_signs=too_many,
    )
    # A rule that sets the triage may name its own place to go (pregnancy: the maternity unit).
    deciding = (rule.action for rule, _ in rules.fired if rule.level is triage and rule.action)
    return Assessment(
        triage=triage,
        action=next(deciding, kb.levels[triage].action),
        reasons=reasons,
        differential=ranking.differential(dispositions),
        risk={str(level): round(value, 4) for level, value in risk.items()},
        not_ruled_out=unanswered_codes(rules.pending, checked),
        findings=checked,
        knowledge_version=kb.version,
        notice=kb.notice,
    )


class _Ranking:
    """The differential for one case, with explanations computed on demand."""

    def __init__(self, kb: KnowledgeBase, findings: Findings, params: EngineParams) -> None:
        self.kb, self.findings, self.params = kb, findings, params
        self.model = bayes.compile_model(kb)
        self.observed = bayes.observed_states(self.model, kb, findings)
        self.prior = bayes.log_prior(self.model, kb, findings)
        scores = bayes.row_scores(self.model, list(self.observed.values()))
        vector = bayes.posterior(self.model, self.prior, scores)
        self.probabilities = dict(zip(self.model.conditions, vector.tolist(), strict=True))
        self.best_row: list[int] = bayes.best_rows(self.model, scores).tolist()
        self.index = self.model.condition_index
        self.ranked = sorted(
            self.model.conditions, key=lambda code: (-self.probabilities[code], code)
        )
        self._explained: dict[str, Explanation] = {}

    def risk(
        self, dispositions: Mapping[str, Disposition], groups: Mapping[TriageLevel, list[str]]
    ) -> tuple[dict[TriageLevel, float], int | None]:
        """Risk per level, and the warning-sign count if too many to weigh one by one."""
        raising = sorted(
            c for c in self.kb.red_flag_codes if self.findings.get(c) is True and c in self.observed
        )
        if len(raising) > self.params.max_weighed_red_flags:
            summed = {
                level: sum(self.probabilities[c] for c in codes) for level, codes in groups.items()
            }
            return summed, len(raising)

        def masks_for(read_as_no: frozenset[str]) -> dict[str, np.ndarray]:
            # Which conditions need which level, judged on the same reading as the posterior.
            judged = dispositions
            if read_as_no:
                reading = self.findings | dict.fromkeys(read_as_no, False)
                judged = case_dispositions(self.kb, reading)
            needed = np.array([judged[code].level.urgency for code in self.model.conditions])
            return {str(level): needed >= level.urgency for level in groups}

        worst = bayes.worst_case_risk(
            self.model, self.prior, self.observed, raising, masks_for, escalating_codes(self.kb)
        )
        return {level: worst[str(level)] for level in groups}, None

    def explain(self, code: str) -> Explanation:
        """The condition's explanation; the top of the differential is explained along with
        the first one asked for, in one pass."""
        if code not in self._explained:
            wanted = [
                c
                for c in dict.fromkeys([*self.ranked[: self.params.explain_top], code])
                if c not in self._explained
            ]
            indices = [self.index[c] for c in wanted]
            done = explanations(
                self.model,
                self.kb,
                indices,
                [self.best_row[i] for i in indices],
                self.observed,
                self.findings,
                self.params,
            )
            self._explained.update(zip(wanted, done, strict=True))
        return self._explained[code]

    def differential(self, dispositions: Mapping[str, Disposition]) -> tuple[RankedCondition, ...]:
        return tuple(
            self._ranked(code, dispositions[code], explain=position < self.params.explain_top)
            for position, code in enumerate(self.ranked)
        )

    def _ranked(self, code: str, disposition: Disposition, explain: bool) -> RankedCondition:
        condition = self.kb.conditions[code]
        supporting, opposing = self.explain(code) if explain else ((), ())
        row = self.best_row[self.index[code]]
        return RankedCondition(
            code=code,
            name=condition.name,
            probability=round(self.probabilities[code], 4),
            disposition=disposition.level,
            presentation=self.model.row_presentation[row],
            supporting=supporting,
            opposing=opposing,
            escalations=disposition.reasons,
            sources=condition.sources,
        )
