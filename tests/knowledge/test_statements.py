"""Answers read back the way a person would say them ("because you said ...")."""

from __future__ import annotations

import pytest

from spasmcare.knowledge.base import KnowledgeBase, amount


@pytest.mark.parametrize(
    ("days", "said"),
    [
        (0.021, "pain for 30 minutes"),
        (0.0001, "pain for 1 minute"),
        (0.1, "pain for 2 hours"),
        (1.0, "pain for 1 day"),
        (1.5, "pain for 1.5 days"),
        (21.0, "pain for 21 days"),
    ],
)
def test_a_duration_reads_in_minutes_hours_or_days(
    kb: KnowledgeBase, days: float, said: str
) -> None:
    assert kb.findings["duration_days"].describe(days) == said


def test_one_of_a_unit_is_singular(kb: KnowledgeBase) -> None:
    assert kb.findings["desk_hours_per_day"].describe(1.0) == "1 hour a day at a desk or screen"
    assert kb.findings["desk_hours_per_day"].describe(8.0) == "8 hours a day at a desk or screen"
    assert amount(70.0, "years") == "70 years"
    assert kb.findings["severity"].describe(7.0) == "pain at worst 7/10"
    assert kb.findings["age"].describe(43.0) == "aged 43"


def test_a_no_answer_quotes_the_finding(kb: KnowledgeBase) -> None:
    """'no: has or has had cancer' read like a statement that the person has cancer."""
    cancer = kb.findings["history_cancer"]
    assert cancer.describe(False) == f'no to "{cancer.means}"'
    assert cancer.describe(True) == cancer.means
