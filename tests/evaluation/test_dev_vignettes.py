"""The development vignettes in full mode must meet the core issue's targets."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

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


@pytest.mark.parametrize(
    "name",
    ["independent_questions.yaml", "second_blind_questions.yaml", "third_blind_questions.yaml"],
)
def test_questions_written_blind_keep_their_figures(name: str, kb: KnowledgeBase) -> None:
    """Questions separate authors wrote from the seeds alone, in everyday words and typos
    (tests/data/README.md): a check that Ask is not tuned to the development wording."""
    cases = load_questions(Path(__file__).parents[1] / "data" / name)
    report = question_report(run_questions(cases, kb))
    assert report["red_flag_recall"] == 1.0
    assert report["red_flag_false_alarm_rate"] <= 0.05
    assert report["cited_rate"] == 1.0
    assert report["fact_recall"] >= 0.95


@dataclass(frozen=True)
class Floor:
    """The least triage accuracy, and the most under-triage, a set keeps in one mode."""

    accuracy: float
    under_triage: float = 0.0
    emergency_sensitivity: float = 1.0


@pytest.mark.parametrize(
    ("name", "floors"),
    [
        # Forum-style posts.
        (
            "blind_vignettes.yaml",
            {
                "full": Floor(0.95),
                "narrative": Floor(0.80, under_triage=0.03),
                "interview": Floor(0.90, under_triage=0.03),
            },
        ),
        # Written in the development set's style. Full mode is more cautious than the
        # references on five cases (pyelonephritis in pregnancy and in an older man,
        # pneumonia with breathlessness, unstable angina, recurrent biliary colic).
        (
            "second_blind_vignettes.yaml",
            {"full": Floor(0.85), "narrative": Floor(0.90), "interview": Floor(0.85)},
        ),
        # A third author, mixing tidy stories with relatives' and phone-typed ones. Interview
        # mode advises self-care for tb-036, undiagnosed MS whose clues (limb spasms, a past
        # spell of blurred vision) the interview never asks about: routine was right.
        (
            "third_blind_vignettes.yaml",
            {
                "full": Floor(0.90),
                "narrative": Floor(0.875),
                "interview": Floor(0.90, under_triage=0.03),
            },
        ),
    ],
)
def test_vignettes_written_blind_keep_their_figures(
    name: str, floors: dict[Mode, Floor], kb: KnowledgeBase
) -> None:
    """Cases separate authors wrote from the spec alone (tests/data/README.md)."""
    path = Path(__file__).parents[1] / "data" / name
    for mode, floor in floors.items():
        summary, misses = _evaluate(mode, kb, path)
        assert summary["emergency_sensitivity"] >= floor.emergency_sensitivity, (mode, misses)
        assert summary["under_triage_rate"] <= floor.under_triage, (mode, misses)
        assert summary["triage_accuracy"] >= floor.accuracy, (mode, misses)
