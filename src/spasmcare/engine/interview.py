"""The adaptive interview: the next most useful question, or "we know enough". Pure.

Order of questions:
  1. the opening of knowledge/data/interview.yaml: age, sex (priors depend on them) and
     where the pain is (which warning signs matter depends on it);
  2. a few questions chosen by expected value, so the answers establish the context;
  3. warning signs that the answers so far make relevant (red-flag rules whose
     `applies_when` is true, plus the universal screen), most urgent rule first: nobody is
     released to self-care before these are asked;
  4. then the question with the largest expected information gain, over both the ranked
     causes and the triage level.

Stopping (InterviewParams documents each threshold): when the disposition is settled (an
emergency has been found, or no relevant warning sign is unanswered and no level's risk is
near its threshold) and either the top cause is confident or no remaining question is
worth asking; or at the hard cap.

Every question accepts "don't know": the caller records the code as asked without an answer.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from spasmcare.domain.assessment import Assessment
from spasmcare.domain.triage import TriageLevel
from spasmcare.engine import model as bayes
from spasmcare.engine.assess import assess
from spasmcare.engine.findings import Findings, validate_findings
from spasmcare.engine.params import DEFAULT_PARAMS, EngineParams
from spasmcare.engine.redflags import RuleStatus, rule_status
from spasmcare.engine.triage import case_dispositions
from spasmcare.knowledge.base import Finding, KnowledgeBase
from spasmcare.knowledge.expressions import AllOf, AnyOf, Expr, evaluate, unknown_codes
from spasmcare.knowledge.expressions import codes as codes_of

Purpose = Literal["about_you", "warning_sign", "narrowing_down"]


@dataclass(frozen=True, slots=True)
class InterviewParams:
    """Stopping and ordering thresholds of the interview.

    * ``confident``: stop narrowing down once the top cause reaches 85 %.
    * ``min_gain``: a question must be expected to remove at least 0.05 nats of uncertainty
      (about 7 % of one bit) over causes and triage together to be worth a person's time.
    * ``screen_after``: questions asked in all (the opening included) before the universal
      warning-sign screen, so that the screen follows what the person has described. A
      count in all, not after the opening: the opening's length depends on the answers.
    * ``settle_margin``: a level's risk counts as near its threshold from half the
      threshold upward; near a threshold, the interview keeps asking.
    * ``max_questions``: hard cap, including the opening.
    * ``emergency_confident`` and ``emergency_questions``: once a warning sign has made it
      an emergency, the person needs to act rather than answer more questions, so the
      interview ends as soon as the top cause has even odds, or after 12 questions in all.
    * ``triage_weight``: weight of the triage term against cause uncertainty (nats).
    * ``under_triage_cost``: the triage term is the expected reduction in decision loss,
      where advising one level too little for a condition that needs emergency, urgent or
      routine care costs 9, 4 and 1.2 times an over-triage by one level. These ratios are
      the ones implied by the engine's thresholds (a 10 % emergency threshold means missing
      an emergency weighs 9 times an unneeded visit), so the interview values a question by
      how likely its answer is to change the advice the engine would give.
    * ``confirmation``: the top cause must also be supported by what the person reported,
      not only by how common it is: the supporting log-likelihood ratios of answers that
      are not a plain "no" (age and sex aside) must add up to 1.5 nats (a likelihood ratio
      of about 4.5). Until then the interview asks the top cause's most characteristic
      symptom, as a clinician tests a hypothesis.
    * ``characteristic``: a symptom counts as characteristic of a cause when it is at least
      twice as common in that cause as in back pain generally and present in at least 30 %.
    """

    confident: float = 0.85
    min_gain: float = 0.05
    screen_after: int = 9
    settle_margin: float = 0.5
    max_questions: int = 25
    emergency_confident: float = 0.5
    emergency_questions: int = 12
    triage_weight: float = 1.0
    under_triage_cost: tuple[float, float, float] = (9.0, 4.0, 1.2)
    confirmation: float = 1.5
    characteristic: float = 2.0
    engine: EngineParams = DEFAULT_PARAMS

    def with_engine(self, engine: EngineParams) -> InterviewParams:
        return replace(self, engine=engine)


DEFAULT_INTERVIEW = InterviewParams()
MAX_PROGRESS = 0.95  # the progress never says "done" before the result is shown
_DEMOGRAPHICS = ("age", "sex")


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True, slots=True)
class Question:
    code: str
    text: str
    text_someone_else: str  # asked about another person: "Do they ..."
    why: str
    type: Literal["bool", "number", "choice"]
    options: tuple[Option, ...]
    minimum: float | None
    maximum: float | None
    unit: str | None
    purpose: Purpose
    screens: tuple[str, ...]  # warning-sign rules this question helps rule in or out

    def text_for(self, someone_else: bool) -> str:
        return self.text_someone_else if someone_else else self.text


@dataclass(frozen=True, slots=True)
class InterviewStep:
    """The next question (None when the interview is done) and the assessment so far."""

    question: Question | None
    asked: int
    progress: float
    assessment: Assessment

    @property
    def done(self) -> bool:
        return self.question is None


def next_step(
    answers: Mapping[str, object],
    asked: Collection[str],
    kb: KnowledgeBase,
    params: InterviewParams = DEFAULT_INTERVIEW,
) -> InterviewStep:
    """Given the answers so far and every code already asked (including "don't know"
    answers), return the next question or the final assessment."""
    findings = validate_findings(answers, kb)
    already = set(asked) | set(findings)
    result = assess(findings, kb, params.engine)
    count = len(already)
    status = rule_status(kb, findings)

    def step(question: Question | None) -> InterviewStep:
        return InterviewStep(
            question, count, _progress(count, status, result, params, question is None), result
        )

    if count >= params.max_questions:
        return step(None)
    for opening in kb.opening:
        finding = kb.findings[opening.code]
        wanted = opening.when is None or evaluate(opening.when, findings) is not False
        if wanted and _askable(finding, findings, already):
            purpose: Purpose = "about_you" if finding.group == "demographics" else "narrowing_down"
            return step(question_about(finding, purpose))

    # An emergency is settled only when a warning-sign rule says so; an emergency that rests
    # on the differential's risk alone is worth confirming with more questions.
    emergency = any(
        reason.kind == "red_flag" and reason.level is TriageLevel.EMERGENCY
        for reason in result.reasons
    )
    if not emergency:
        screening = _screening_question(kb, findings, already, status, count, params)
        if screening is not None:
            return step(screening)

    top = result.differential[0]
    if emergency and (
        top.probability >= params.emergency_confident or count >= params.emergency_questions
    ):
        return step(None)
    best, gain = _most_informative(kb, findings, already, params)
    # Settled: nothing relevant is still open (a "don't know" keeps a warning sign open) and
    # no level's risk is close to its threshold.
    settled = emergency or (not status.pending and not _near_threshold(result, params))
    support = sum(
        c.weight for c in top.supporting if c.finding not in _DEMOGRAPHICS and c.value is not False
    )
    confirmed = support >= params.confirmation
    if settled and not confirmed:
        probe = _characteristic_question(kb, top.code, findings, already, params)
        if probe is not None:
            return step(question_about(kb.findings[probe], "narrowing_down"))
    confident = top.probability >= params.confident and confirmed
    if best is None or (settled and (confident or gain < params.min_gain)):
        return step(None)
    if not settled and gain < params.min_gain / 5:
        return step(None)  # nothing left that could settle it; the safety floors decide
    return step(question_about(kb.findings[best], "narrowing_down"))


def _askable(finding: Finding, findings: Findings, already: set[str]) -> bool:
    return (
        finding.code not in already
        and finding.use != "medicine_safety"
        and (finding.ask_if is None or evaluate(finding.ask_if, findings) is not False)
    )


def _screening_question(
    kb: KnowledgeBase,
    findings: Findings,
    already: set[str],
    status: RuleStatus,
    count: int,
    params: InterviewParams,
) -> Question | None:
    """The next unanswered finding of the most urgent relevant warning-sign rule."""
    ready = count >= params.screen_after
    rules = sorted(
        (rule for rule in status.pending if ready or rule.applies_when is not None),
        key=lambda rule: -rule.level.urgency,
    )
    for rule in rules:
        unknown = unknown_codes(rule.when, findings)
        askable = {c for c in unknown if _askable(kb.findings[c], findings, already)}
        _, codes = _cheapest_ruling_out(rule.when, findings, askable)
        if codes:
            screens = tuple(
                r.id for r in status.pending if codes[0] in unknown_codes(r.when, findings)
            )
            return question_about(kb.findings[codes[0]], "warning_sign", screens)
    return None


def _cheapest_ruling_out(
    expr: Expr, findings: Findings, askable: set[str]
) -> tuple[float, list[str]]:
    """The fewest questions whose answer "no" would make ``expr`` false, and which ones.

    Most people do not have a given warning sign, so ruling a rule out with the fewest
    questions keeps the interview short: for all(A, B) one false part is enough, for
    any(A, B) every part must be false. Answers already given cost nothing.
    """
    outcome = evaluate(expr, findings)
    if outcome is False:
        return 0.0, []
    if outcome is True:
        return math.inf, []
    match expr:
        case AllOf(items):
            options = [_cheapest_ruling_out(item, findings, askable) for item in items]
            return min(options, key=lambda option: option[0])
        case AnyOf(items):
            parts = [_cheapest_ruling_out(item, findings, askable) for item in items]
            return sum(cost for cost, _ in parts), [code for _, codes in parts for code in codes]
        case _:
            # An unanswered atom (or a negation): one question, if it can still be asked.
            codes = [code for code in sorted(codes_of(expr)) if code in askable]
            return (1.0, codes[:1]) if codes else (math.inf, [])


def _characteristic_question(
    kb: KnowledgeBase,
    condition: str,
    findings: Findings,
    already: set[str],
    params: InterviewParams,
) -> str | None:
    """The askable yes/no symptom most typical of ``condition`` against back pain generally."""
    best, best_ratio = None, params.characteristic
    presentation = max(kb.conditions[condition].presentations, key=lambda p: p.weight)
    for code, table in presentation.likelihoods.items():
        finding = kb.findings[code]
        if finding.type != "bool" or not isinstance(table, float) or table < 0.3:
            continue
        ratio = table / (finding.background or 1.0)
        if ratio > best_ratio and _askable(finding, findings, already):
            best, best_ratio = code, ratio
    return best


def _near_threshold(result: Assessment, params: InterviewParams) -> bool:
    thresholds = {
        TriageLevel.EMERGENCY: params.engine.emergency_threshold,
        TriageLevel.URGENT: params.engine.urgent_threshold,
        TriageLevel.ROUTINE: params.engine.routine_threshold,
    }
    return any(
        level.urgency > result.triage.urgency
        and result.risk[level.value] >= params.settle_margin * threshold
        for level, threshold in thresholds.items()
    )


def _most_informative(
    kb: KnowledgeBase, findings: Findings, already: set[str], params: InterviewParams
) -> tuple[str | None, float]:
    """The askable finding with the largest expected reduction in entropy over the causes
    plus (weighted) over the triage level, and that reduction in nats."""
    model = bayes.compile_model(kb)
    observed = bayes.observed_states(model, kb, findings)
    prior = bayes.log_prior(model, kb, findings)
    rows = bayes.row_posterior(model, prior, bayes.row_scores(model, list(observed.values())))
    likelihood = np.exp(model.log_likelihood)  # (rows, states)
    joint = rows[:, np.newaxis] * likelihood
    by_condition = np.add.reduceat(joint, model.row_starts, axis=0)  # (conditions, states)
    dispositions = case_dispositions(kb, findings)
    levels = np.array(
        [[dispositions[c].level is level for c in model.conditions] for level in _LEVELS],
        dtype=float,
    )
    by_level = levels @ by_condition  # (levels, states)

    p_state = by_condition.sum(axis=0)
    now = np.add.reduceat(rows, model.row_starts)  # the current posterior over conditions
    now_conditions = float(_entropy(now[:, np.newaxis])[0])
    after_conditions = _entropy(by_condition / p_state)
    loss = _loss_matrix(params)
    now_loss = float((loss @ (levels @ now)).min())
    after_loss = (loss @ (by_level / p_state)).min(axis=0)  # (states,)
    # Expected value after answering each finding: its states weighted by their probability.
    weighted = p_state * (after_conditions + params.triage_weight * after_loss)
    expected = np.add.reduceat(weighted, model.finding_starts) / np.add.reduceat(
        p_state, model.finding_starts
    )
    gains = (now_conditions + params.triage_weight * now_loss) - expected

    best_code, best_gain = None, -np.inf
    for code, gain in zip(model.finding_codes, gains, strict=True):
        if gain > best_gain and _askable(kb.findings[code], findings, already):
            best_code, best_gain = code, float(gain)
    return best_code, max(best_gain, 0.0)


_LEVELS = (TriageLevel.EMERGENCY, TriageLevel.URGENT, TriageLevel.ROUTINE, TriageLevel.SELF_CARE)


def _loss_matrix(params: InterviewParams) -> np.ndarray:
    """loss[d, t]: the cost of advising level d when the cause needs level t."""
    penalty = dict(zip(_LEVELS[:3], params.under_triage_cost, strict=True))
    loss = np.zeros((4, 4))
    for i, advised in enumerate(_LEVELS):
        for j, needed in enumerate(_LEVELS):
            gap = needed.urgency - advised.urgency
            loss[i, j] = gap * penalty[needed] if gap > 0 else -gap
    return loss


def _entropy(distributions: np.ndarray) -> np.ndarray:
    """Entropy (nats) of each column of a matrix of probabilities."""
    safe = np.where(distributions > 0, distributions, 1.0)
    result: np.ndarray = -(distributions * np.log(safe)).sum(axis=0)
    return result


def question_about(finding: Finding, purpose: Purpose, screens: tuple[str, ...] = ()) -> Question:
    """The question that asks for one finding."""
    if finding.type == "bool":
        options: tuple[Option, ...] = (Option("yes", "Yes"), Option("no", "No"))
    else:
        options = tuple(Option(o.value, o.label) for o in finding.options)
    return Question(
        code=finding.code,
        text=finding.question,
        text_someone_else=finding.question_someone_else,
        why=finding.why,
        type=finding.type,
        options=options,
        minimum=finding.minimum,
        maximum=finding.maximum,
        unit=finding.unit,
        purpose=purpose,
        screens=screens,
    )


def _progress(
    count: int, status: RuleStatus, result: Assessment, params: InterviewParams, done: bool
) -> float:
    """A rough share of the interview done: answered / (answered + still to settle)."""
    if done:
        return 1.0
    open_signs = len(
        {c for rule in status.pending for c in unknown_codes(rule.when, result.findings)}
    )
    narrowing = 0 if result.differential[0].probability >= params.confident else 3
    return round(min(MAX_PROGRESS, count / (count + open_signs + narrowing + 1)), 2)


def reopened(assessment: Assessment) -> bool:
    """Whether answers given after the interview ended (the medicine questions: "pregnant")
    made a warning sign relevant that is still unasked, so the interview must go on. Not
    once it is an emergency: then the person is to act, not answer more questions."""
    return bool(assessment.not_ruled_out) and assessment.triage is not TriageLevel.EMERGENCY


@dataclass(frozen=True, slots=True)
class InterviewResult:
    assessment: Assessment
    answers: dict[str, object]
    asked: tuple[str, ...]


def run_interview(
    answer: Callable[[Question], object],
    kb: KnowledgeBase,
    params: InterviewParams = DEFAULT_INTERVIEW,
    start: Mapping[str, object] | None = None,
) -> InterviewResult:
    """Drive an interview to the end. ``answer`` returns the answer to a question, or None
    for "don't know". ``start`` holds answers already known (for example from free text);
    they are not asked again."""
    answers: dict[str, object] = dict(start or {})
    asked: list[str] = list(answers)
    while True:
        current = next_step(answers, asked, kb, params)
        if current.question is None:
            return InterviewResult(current.assessment, answers, tuple(asked))
        asked.append(current.question.code)
        value = answer(current.question)
        if value is not None:
            answers[current.question.code] = value
