from __future__ import annotations

import pytest

from spasmcare.knowledge.expressions import (
    AllOf,
    ChoiceIs,
    Compare,
    ExpressionError,
    IsYes,
    Not,
    evaluate,
    negated_codes,
    parse,
    positive_codes,
    satisfying_codes,
)


def test_parse_atoms_and_nesting() -> None:
    expr = parse({"all": ["fever", "age >= 50", {"not": "pain_one_side is both"}]})
    assert expr == AllOf(
        (IsYes("fever"), Compare("age", ">=", 50.0), Not(ChoiceIs("pain_one_side", "both")))
    )


@pytest.mark.parametrize(
    "raw", ["", "age >> 5", {"all": []}, {"some": ["x"]}, 3, ["fever"], "Fever"]
)
def test_parse_rejects_malformed(raw: object) -> None:
    with pytest.raises(ExpressionError):
        parse(raw)


@pytest.mark.parametrize(
    ("findings", "expected"),
    [
        ({"fever": True, "age": 60.0}, True),
        ({"fever": True, "age": 40.0}, False),
        ({"fever": False}, False),  # decided without knowing age
        ({"fever": True}, None),  # depends on the unknown age
        ({}, None),
    ],
)
def test_three_valued_all(findings: dict[str, object], expected: bool | None) -> None:
    assert evaluate(parse({"all": ["fever", "age >= 50"]}), findings) is expected  # type: ignore[arg-type]


def test_three_valued_any_and_not() -> None:
    expr = parse({"any": ["fever", {"not": "cough"}]})
    assert evaluate(expr, {"fever": True}) is True
    assert evaluate(expr, {"cough": False}) is True
    assert evaluate(expr, {"fever": False, "cough": True}) is False
    assert evaluate(expr, {"fever": False}) is None


def test_positive_and_negated_codes() -> None:
    expr = parse({"all": ["fever", {"not": {"any": ["cough", "age > 3"]}}]})
    assert positive_codes(expr) == {"fever"}
    assert negated_codes(expr) == {"cough", "age"}


def test_satisfying_codes_names_what_made_it_true() -> None:
    expr = parse({"all": ["trauma_major", {"any": ["spine_point_tenderness", "severity >= 7"]}]})
    findings = {"trauma_major": True, "spine_point_tenderness": False, "severity": 8.0}
    assert satisfying_codes(expr, findings) == ("trauma_major", "severity")
