"""The development vignettes in full mode must meet the core issue's targets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from spasmcare.engine import DEFAULT_PARAMS
from spasmcare.evaluation.datasets import load_questions, load_vignettes
from spasmcare.evaluation.metrics import summarise
from spasmcare.evaluation.questions import question_report, run_questions
from spasmcare.evaluation.runner import Mode, run_vignettes
from spasmcare.knowledge.base import KnowledgeBase

Misses = list[tuple[str, str, str]]


def _evaluate(mode: Mode, kb: KnowledgeBase, path: Path) -> tuple[dict[str, Any], Misses]:
    """The summary of one mode, and the cases whose triage missed (for the messages)."""
    outcomes = run_vignettes(load_vignettes(path, kb), mode, kb, DEFAULT_PARAMS)
    misses = [
        (c.id, c.reference_triage.value, c.triage.value)
        for c in outcomes
        if c.triage is not c.reference_triage
    ]
    return summarise(outcomes), misses


def test_full_mode_meets_targets(kb: KnowledgeBase, dev_vignettes_path: Path) -> None:
    summary, misses = _evaluate("full", kb, dev_vignettes_path)
    assert summary["emergency_sensitivity"] == 1.0, misses
    assert summary["under_triage_rate"] <= 0.02, misses
    assert summary["triage_accuracy"] >= 0.90, misses
    assert summary["top1"] >= 0.80
    assert summary["top3"] >= 0.95


def test_interview_mode_meets_targets(kb: KnowledgeBase, dev_vignettes_path: Path) -> None:
    summary, misses = _evaluate("interview", kb, dev_vignettes_path)
    assert summary["emergency_sensitivity"] == 1.0, misses
    assert summary["under_triage_rate"] <= 0.02, misses
    assert summary["triage_accuracy"] >= 0.88, misses
    assert summary["top3"] >= 0.92
    assert summary["questions_median"] <= 15
    assert summary["questions_mean"] <= 18


def test_narrative_mode_meets_targets(kb: KnowledgeBase, dev_vignettes_path: Path) -> None:
    """The engine reads only the story: the Ask/free-text issue's targets."""
    summary, misses = _evaluate("narrative", kb, dev_vignettes_path)
    assert summary["emergency_sensitivity"] == 1.0, misses
    assert summary["under_triage_rate"] <= 0.03, misses
    assert summary["triage_accuracy"] >= 0.85, misses
    assert summary["top3"] >= 0.85


def test_questions_catch_every_warning_sign(kb: KnowledgeBase) -> None:
    cases = load_questions(Path(__file__).parents[1] / "data" / "dev_questions.yaml")
    report = question_report(run_questions(cases, kb))
    assert report["red_flag_recall"] == 1.0
    assert report["red_flag_false_alarm_rate"] <= 0.05
    assert report["cited_rate"] == 1.0
    assert report["fact_recall"] >= 0.85


def test_questions_written_blind_keep_their_figures(kb: KnowledgeBase) -> None:
    """Questions a separate author wrote from the seeds alone, in everyday words and typos
    (tests/data/README.md): a check that Ask is not tuned to the development wording. One
    warning sign is still missed (a grandmother's osteoporosis is read as family history)."""
    cases = load_questions(Path(__file__).parents[1] / "data" / "independent_questions.yaml")
    report = question_report(run_questions(cases, kb))
    assert report["red_flag_recall"] >= 0.9
    assert report["red_flag_false_alarm_rate"] <= 0.05
    assert report["cited_rate"] == 1.0
    assert report["fact_recall"] >= 0.9


def test_vignettes_written_blind_keep_their_figures(kb: KnowledgeBase) -> None:
    """36 cases a separate author wrote from the spec alone, told the way people write
    (tests/data/README.md). Interview mode still misses one emergency: blind-035, an aortic
    dissection whose pain is in the lower back as well, so the opening asks no further
    place, and whose severity the case leaves unknown."""
    path = Path(__file__).parents[1] / "data" / "blind_vignettes.yaml"
    full, misses = _evaluate("full", kb, path)
    assert full["emergency_sensitivity"] == 1.0, misses
    assert full["triage_accuracy"] >= 0.95, misses
    story, misses = _evaluate("narrative", kb, path)
    assert story["emergency_sensitivity"] == 1.0, misses
    assert story["triage_accuracy"] >= 0.80, misses
    interview, misses = _evaluate("interview", kb, path)
    assert interview["emergency_sensitivity"] >= 0.88, misses
    assert interview["triage_accuracy"] >= 0.85, misses
