from __future__ import annotations

from pathlib import Path

import pytest

from spasmcare.errors import DatasetError
from spasmcare.evaluation.datasets import load_vignettes
from spasmcare.knowledge.base import KnowledgeBase

GOOD = """
- id: t-1
  narrative: I lifted a box.
  findings: {age: 30, trigger_lifting: true}
  reference: {triage: self_care, conditions: [muscle_strain]}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "v.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_loads_and_fills_absent_bools(tmp_path: Path, kb: KnowledgeBase) -> None:
    (vignette,) = load_vignettes(write(tmp_path, GOOD), kb)
    full = vignette.full_findings(kb)
    assert full["trigger_lifting"] is True and full["fever"] is False and "severity" not in full


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            GOOD.replace("trigger_lifting", "trigger_lifitng"),
            "[t-1]: trigger_lifitng: not a known finding",
        ),
        (GOOD.replace("self_care", "later"), "[t-1]: reference.triage 'later'"),
        (
            GOOD.replace("[muscle_strain]", "[back_ache]"),
            "[t-1]: unknown condition code(s) ['back_ache']",
        ),
        (GOOD + GOOD, "[t-1]: duplicate id"),
        ("id: t-1", "expected a YAML list"),
        ("- [unclosed", "not valid YAML"),
    ],
)
def test_malformed_files_name_the_item_and_problem(
    tmp_path: Path, kb: KnowledgeBase, text: str, message: str
) -> None:
    with pytest.raises(DatasetError) as raised:
        load_vignettes(write(tmp_path, text), kb)
    assert message in raised.value.message


def test_missing_file(tmp_path: Path, kb: KnowledgeBase) -> None:
    with pytest.raises(DatasetError, match="file not found"):
        load_vignettes(tmp_path / "nope.yaml", kb)
