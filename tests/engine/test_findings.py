from __future__ import annotations

import math

import pytest

from spasmcare.engine.findings import validate_findings
from spasmcare.errors import (
    FindingChoiceError,
    FindingRangeError,
    FindingTypeError,
    InvalidFindingError,
    UnknownFindingError,
)
from spasmcare.knowledge.base import KnowledgeBase


def test_valid_findings_are_normalised(kb: KnowledgeBase) -> None:
    checked = validate_findings(
        {"age": 40, "fever": False, "pain_one_side": "left", "cough": None}, kb
    )
    assert checked == {"age": 40.0, "fever": False, "pain_one_side": "left"}


@pytest.mark.parametrize(
    ("findings", "error", "code", "allowed"),
    [
        ({"fevr": True}, UnknownFindingError, "fevr", "fever"),
        ({"fever": "yes"}, FindingTypeError, "fever", "true, false"),
        ({"fever": 1}, FindingTypeError, "fever", "true, false"),
        ({"age": "forty"}, FindingTypeError, "age", "0 to 120"),
        ({"age": True}, FindingTypeError, "age", "0 to 120"),
        ({"age": 121}, FindingRangeError, "age", "0 to 120"),
        ({"severity": -1}, FindingRangeError, "severity", "0 to 10"),
        ({"severity": math.nan}, FindingRangeError, "severity", "0 to 10"),
        ({"sex": "other"}, FindingChoiceError, "sex", "female, male"),
        ({"pain_one_side": 3}, FindingChoiceError, "pain_one_side", "left, right, both, central"),
    ],
)
def test_bad_findings_raise_typed_errors_naming_code_and_allowed(
    kb: KnowledgeBase, findings: dict[str, object], error: type[Exception], code: str, allowed: str
) -> None:
    with pytest.raises(error) as raised:
        validate_findings(findings, kb)
    assert isinstance(raised.value, InvalidFindingError)
    assert raised.value.code == code
    assert allowed in raised.value.message


def test_not_a_mapping(kb: KnowledgeBase) -> None:
    with pytest.raises(InvalidFindingError, match="expected an object"):
        validate_findings(["fever"], kb)
