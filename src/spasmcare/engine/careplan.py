"""plan(assessment, kb) -> CarePlan: the phased care plan for one assessment. Pure.

Which items go in:
  * the likely cause decides the care tags (its own, plus a runner-up's if it is close);
    any serious spinal cause still in play (a possible fracture, infection, tumour or nerve
    compression, probability >= 15 %) adds `fragile_spine`, which excludes every exercise,
    stretch and manipulation;
  * an emergency or urgent triage leads with "get care now" and holds back exercises;
  * an item needs one of its `applies_to` tags, none of its `not_for` tags, and its
    `avoid_when` must not be true for this person;
  * medicines are checked one by one against the person's medicine-safety answers: a
    medicine with a known contraindication is left out with the reason, one whose
    contraindications are not all answered is offered only "if none of these apply".
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from spasmcare.domain.assessment import Assessment
from spasmcare.domain.careplan import CarePlan, MedicineAdvice, PlanItem, PlanPhase, WarningSign
from spasmcare.domain.triage import TriageLevel
from spasmcare.engine.redflags import applies
from spasmcare.knowledge.base import (
    Exercise,
    Habit,
    KnowledgeBase,
    Medicine,
    RedFlagRule,
    Treatment,
)
from spasmcare.knowledge.expressions import (
    Expr,
    FindingValue,
    evaluate,
    satisfying_codes,
    unknown_codes,
)

Phase = Literal["now", "this_week", "weeks_2_6", "long_term"]
PHASES: tuple[Phase, ...] = ("now", "this_week", "weeks_2_6", "long_term")
_RUNNER_UP = 0.3  # a second cause at least this likely also shapes the plan
_SERIOUS_SPINE = 0.15  # a serious spinal cause this likely rules out exercise
_EXERCISES_PER_PHASE = {"now": 0, "this_week": 4, "weeks_2_6": 5, "long_term": 3}
_HABITS = 8
_WARNING_SIGNS = 8
_KINDS = ("mobility", "stretch", "breathing", "relaxation", "aerobic", "strengthening")
_REGION_NAMES = ("upper_back", "mid_back", "lower_back", "chest_wall")
_REGIONS = {
    "pain_upper_back": "upper_back",
    "pain_mid_back": "mid_back",
    "pain_lower_back": "lower_back",
    "pain_chest_wall_front": "chest_wall",
}


class _Tagged(Protocol):
    @property
    def applies_to(self) -> tuple[str, ...]: ...
    @property
    def not_for(self) -> tuple[str, ...]: ...


class _Avoidable(_Tagged, Protocol):
    @property
    def avoid_when(self) -> Expr | None: ...


def plan(assessment: Assessment, kb: KnowledgeBase) -> CarePlan:
    findings = assessment.findings
    texts = kb.care.texts
    top = assessment.differential[0]
    tags = _care_tags(assessment, kb)
    get_care = assessment.triage.urgency >= TriageLevel.URGENT.urgency
    why = texts["why_condition"].format(condition=top.name.lower())

    def fits_cause(item: _Tagged) -> bool:
        return not tags.isdisjoint(item.applies_to) and tags.isdisjoint(item.not_for)

    def suitable(item: _Avoidable) -> bool:
        return fits_cause(item) and (
            item.avoid_when is None or evaluate(item.avoid_when, findings) is not True
        )

    phases: dict[Phase, list[PlanItem]] = {phase: [] for phase in PHASES}
    if get_care:
        phases["now"].append(
            _action("get_care_now", kb.levels[assessment.triage].label, assessment.action, kb)
        )
        phases["now"].append(
            _action("hold_back_exercise", "No exercises for now", texts["hold_back_exercise"], kb)
        )
    for treatment in kb.care.treatments:
        if suitable(treatment) and treatment.kind == "self_care":
            # Listed once, in the first phase it belongs to; its dose says how long to keep it up.
            first = min(treatment.phases, key=PHASES.index)
            if not (get_care and first != "now"):
                phases[first].append(_treatment_item(treatment, why))
    if not get_care:
        exercises = [e for e in kb.care.exercises if suitable(e)]
        shown: set[str] = set()
        for phase in PHASES:
            picked = _exercises(findings, exercises, phase, why, shown)
            shown |= {item.id for item in picked}
            phases[phase] += picked
        phases["long_term"] += _habits(
            kb, findings, [h for h in kb.care.habits if suitable(h)], why
        )
        for treatment in kb.care.treatments:
            if suitable(treatment) and treatment.kind == "clinician":
                phases["weeks_2_6"].append(_treatment_item(treatment, why))

    medicines = tuple(_medicine(m, findings, texts) for m in kb.care.medicines if fits_cause(m))
    titles = dict(kb.care.phase_titles)
    if get_care:  # not "the first 2 to 3 days": the person is to be seen today
        titles["now"] = texts["now_until_seen"]
    built = tuple(
        PlanPhase(phase, titles[phase], tuple(items)) for phase, items in phases.items() if items
    )
    review_days = kb.conditions[top.code].review_after_days or 14
    if get_care:
        review = texts["review_get_care"]
    elif assessment.triage is TriageLevel.ROUTINE:
        review = texts["review_routine"]
    else:
        review = texts["review_self_care"].format(days=review_days)
    sources = {s for phase in built for item in phase.items for s in item.sources}
    sources |= {s for medicine in medicines for s in medicine.sources} | set(kb.care.text_sources)
    headline = {
        TriageLevel.SELF_CARE: texts["headline_self_care"],
        TriageLevel.ROUTINE: texts["headline_routine"],
    }.get(assessment.triage, texts["headline_get_care"])
    return CarePlan(
        triage=assessment.triage,
        get_care_now=get_care,
        headline=headline,
        action=assessment.action,
        condition=top.code,
        condition_name=top.name,
        phases=built,
        medicines=medicines,
        medicines_note=texts["medicines_after_care"] if not medicines else None,
        warning_signs_title=texts["warning_signs_title"],
        warning_signs=_warning_signs(kb, assessment),
        review=review,
        review_after_days=None if get_care else review_days,
        sources=tuple(sorted(sources)),
        notice=kb.notice,
        knowledge_version=kb.version,
    )


def _care_tags(assessment: Assessment, kb: KnowledgeBase) -> set[str]:
    ranked = assessment.differential
    tags = set(kb.conditions[ranked[0].code].care_tags)
    if len(ranked) > 1 and ranked[1].probability >= _RUNNER_UP:
        tags |= set(kb.conditions[ranked[1].code].care_tags)
    for condition in ranked:
        if (
            condition.probability >= _SERIOUS_SPINE
            and "fragile_spine" in kb.conditions[condition.code].care_tags
        ):
            tags.add("fragile_spine")
    if assessment.triage.urgency >= TriageLevel.URGENT.urgency and "fragile_spine" not in tags:
        # Whatever the likely cause, someone who must be seen today gets no back treatments.
        tags.add("needs_medical_care")
    return tags


def _action(ident: str, title: str, detail: str, kb: KnowledgeBase) -> PlanItem:
    return PlanItem(
        "action", ident, title, detail, None, (), (), "", None, kb.care.text_sources, highlight=True
    )


def _treatment_item(treatment: Treatment, why: str) -> PlanItem:
    return PlanItem(
        kind="clinician" if treatment.kind == "clinician" else "treatment",
        id=treatment.id,
        title=treatment.name,
        detail=treatment.how,
        dose=treatment.dose,
        steps=(),
        cautions=(),
        why=why,
        evidence=treatment.evidence,
        sources=treatment.sources,
    )


def _exercises(
    findings: Mapping[str, FindingValue],
    exercises: Sequence[Exercise],
    phase: Phase,
    why: str,
    shown: set[str],
) -> list[PlanItem]:
    """A phase's exercises: those for the painful regions first, then one for the whole
    back (walking, breathing), gentle kinds before strengthening, new ones before repeats."""
    painful = {region for code, region in _REGIONS.items() if findings.get(code) is True}
    eligible = [e for e in exercises if phase in e.phases]

    def order(exercise: Exercise) -> tuple[bool, int, int, str]:
        return (
            exercise.id in shown,
            -len(set(exercise.regions) & painful),
            _KINDS.index(exercise.kind),
            exercise.id,
        )

    regional = sorted(
        (e for e in eligible if set(e.regions) & (painful or set(_REGION_NAMES))), key=order
    )
    general = sorted((e for e in eligible if "whole_back" in e.regions), key=order)
    limit = _EXERCISES_PER_PHASE[phase]
    chosen = (
        regional[: max(limit - 1, 0)] + [e for e in general if e not in regional[: limit - 1]][:1]
    )
    chosen += [e for e in regional if e not in chosen][: limit - len(chosen)]
    return [
        PlanItem(
            kind="exercise",
            id=e.id,
            title=e.name,
            detail=e.progression,
            dose=e.dose.describe(),
            steps=e.steps,
            cautions=e.not_when,
            why=why,
            evidence=None,
            sources=e.sources,
        )
        for e in chosen[:limit]
    ]


def _habits(
    kb: KnowledgeBase, findings: Mapping[str, FindingValue], habits: Sequence[Habit], why: str
) -> list[PlanItem]:
    """Prevention habits, those the person's answers point to first and marked."""
    texts = kb.care.texts

    def item(habit: Habit) -> PlanItem:
        reason = why
        highlighted = (
            habit.highlight_when is not None and evaluate(habit.highlight_when, findings) is True
        )
        if highlighted and habit.highlight_when is not None:
            because = [
                kb.findings[c].describe(findings[c])
                for c in satisfying_codes(habit.highlight_when, findings)
            ]
            reason = texts["why_finding"].format(findings="; ".join(because))
        return PlanItem(
            kind="habit",
            id=habit.id,
            title=habit.name,
            detail=" ".join(habit.advice),
            dose=None,
            steps=(),
            cautions=(),
            why=reason,
            evidence=None,
            sources=habit.sources,
            highlight=highlighted,
            topic=habit.topic,
        )

    items = [item(habit) for habit in habits]
    items.sort(key=lambda i: not i.highlight)
    return items[:_HABITS]


def _medicine(
    medicine: Medicine, findings: Mapping[str, FindingValue], texts: Mapping[str, str]
) -> MedicineAdvice:
    def judged(rules: Iterable[tuple[Expr, str]]) -> tuple[list[str], list[str]]:
        yes, unknown = [], []
        for when, reason in rules:
            outcome = evaluate(when, findings)
            if outcome is True:
                yes.append(reason)
            elif outcome is None:
                unknown.append(reason)
        return yes, unknown

    avoid, unanswered = judged((rule.when, rule.reason) for rule in medicine.avoid_if)
    open_codes = sorted(
        {
            code
            for rule in medicine.avoid_if
            if evaluate(rule.when, findings) is None
            for code in unknown_codes(rule.when, findings)
        }
    )
    caution, _ = judged((rule.when, rule.reason) for rule in medicine.caution_if)
    status: Literal["suggested", "caution", "check_first", "left_out"]
    if avoid:
        status, reasons, note = (
            "left_out",
            avoid,
            texts["left_out"].format(reasons="; ".join(avoid)),
        )
    elif unanswered:
        status, reasons = "check_first", unanswered
        note = texts["check_first"].format(reasons="; ".join(unanswered))
    elif caution:
        status, reasons, note = "caution", caution, None
    else:
        status, reasons, note = "suggested", [], None
    return MedicineAdvice(
        id=medicine.id,
        name=medicine.name,
        kind=medicine.kind,
        status=status,
        what_it_does=medicine.what_it_does,
        how_to_use=medicine.how_to_use,
        reasons=tuple(reasons),
        note=note,
        sources=medicine.sources,
        unanswered=tuple(open_codes) if status == "check_first" else (),
    )


_STATIC_GROUPS = frozenset(
    {"demographics", "how_it_started", "history_and_risks", "medicine_safety"}
)


@dataclass(frozen=True, slots=True)
class _Watchable:
    """A rule whose sign a plan may list, and whether facts that cannot change (see
    _STATIC_GROUPS) appear in its `when` or `applies_when`: only then can they rule it out."""

    order: int
    rule: RedFlagRule
    static_when: bool
    static_applies: bool


@functools.lru_cache(maxsize=8)
def _watchable(kb: KnowledgeBase) -> tuple[frozenset[str], tuple[_Watchable, ...]]:
    """The static finding codes and the urgent or emergency rules, once per knowledge base:
    every plan looks through them."""
    static = frozenset(code for code, f in kb.findings.items() if f.group in _STATIC_GROUPS)
    rules = tuple(
        _Watchable(
            order,
            rule,
            not static.isdisjoint(rule.when.finding_codes),
            rule.applies_when is not None
            and not static.isdisjoint(rule.applies_when.finding_codes),
        )
        for order, rule in enumerate(kb.rules)
        if rule.level.urgency >= TriageLevel.URGENT.urgency
    )
    return static, rules


def _warning_signs(kb: KnowledgeBase, assessment: Assessment) -> tuple[WarningSign, ...]:
    """Warning signs that could still appear for this person, most urgent first.

    Symptoms can change, so only facts that cannot (age, history, how it started) rule a
    sign out: someone who has never had cancer is not told to watch for "pain after cancer",
    but a 24-year-old with a mid-back strain is still told about chest pressure or trouble
    passing urine. Within each level the signs that already matter for the answers given
    (the rule applies) come before those that would only matter if new symptoms came.
    """
    fired = {reason.rule for reason in assessment.red_flags}
    static_codes, watchable = _watchable(kb)
    findings = assessment.findings
    static = {code: value for code, value in findings.items() if code in static_codes}
    candidates: list[tuple[int, int, int, RedFlagRule]] = []
    seen: set[str] = set()
    for watch in watchable:
        rule = watch.rule
        if rule.id in fired or rule.watch_for in seen:
            continue
        # An expression that names no static fact is unknown on them, never False.
        if watch.static_when and evaluate(rule.when, static) is False:
            continue
        applies_when = rule.applies_when
        if watch.static_applies and applies_when and evaluate(applies_when, static) is False:
            continue
        later = 0 if applies(rule, findings) else 1
        candidates.append((later, -rule.level.urgency, watch.order, rule))
        seen.add(rule.watch_for)
    # Choose the most relevant first, then show them by urgency.
    chosen = sorted(candidates, key=lambda entry: entry[:3])[:_WARNING_SIGNS]
    texts = kb.care.texts
    action = {
        TriageLevel.EMERGENCY: texts["warning_emergency"],
        TriageLevel.URGENT: texts["warning_urgent"],
        TriageLevel.ROUTINE: texts["warning_routine"],
    }
    return tuple(
        WarningSign(
            rule.watch_for, rule.level, rule.action or action[rule.level], rule.id, rule.sources
        )
        for *_, rule in sorted(chosen, key=lambda entry: entry[1:3])
    )
