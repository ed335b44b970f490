from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spasmcare.knowledge.expressions import (
    AllOf,
    AnyOf,
    ChoiceIs,
    Compare,
    Expr,
    ExpressionError,
    FindingValue,
    IsYes,
    Not,
    atoms,
    codes,
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


# Kleene logic as an order, False < unknown < True: "all" is the least, "any" the greatest.
_RANK = {False: 0, None: 1, True: 2}
_VALUE = {0: False, 1: None, 2: True}


def _reference(expr: Expr, findings: dict[str, FindingValue]) -> bool | None:
    """A plain tree walk, independent of the compiled tests."""
    match expr:
        case IsYes(code):
            return None if code not in findings else findings[code] is True
        case Compare(code, op, value):
            number = findings.get(code)
            if not isinstance(number, float):
                return None
            return {">": number > value, ">=": number >= value, "<": number < value,
                    "<=": number <= value, "==": number == value}[op]  # fmt: skip
        case ChoiceIs(code, value):
            return None if code not in findings else findings[code] == value
        case AllOf(items):
            return _VALUE[min(_RANK[_reference(item, findings)] for item in items)]
        case AnyOf(items):
            return _VALUE[max(_RANK[_reference(item, findings)] for item in items)]
        case Not(item):
            inner = _reference(item, findings)
            return None if inner is None else not inner
    raise AssertionError(expr)


_LEAVES = st.one_of(
    st.sampled_from(["a", "b", "c"]).map(IsYes),
    st.builds(Compare, st.just("n"), st.sampled_from([">", ">=", "<", "<=", "=="]),
              st.sampled_from([2.0, 5.0])),
    st.builds(ChoiceIs, st.just("k"), st.sampled_from(["x", "y"])),
)  # fmt: skip
_EXPRESSIONS = st.recursive(
    _LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=4).map(lambda items: AllOf(tuple(items))),
        st.lists(inner, min_size=1, max_size=4).map(lambda items: AnyOf(tuple(items))),
        inner.map(Not),
    ),
    max_leaves=12,
)
_FINDINGS = st.fixed_dictionaries(
    {},
    optional={
        "a": st.booleans(),
        "b": st.booleans(),
        "c": st.booleans(),
        "n": st.sampled_from([1.0, 2.0, 5.0, 9.0]),
        "k": st.sampled_from(["x", "y", "z"]),
    },
)


@given(_EXPRESSIONS, _FINDINGS)
def test_compiled_tests_agree_with_a_plain_tree_walk(
    expr: Expr, findings: dict[str, FindingValue]
) -> None:
    assert evaluate(expr, findings) is _reference(expr, findings)
    assert codes(expr) == {atom.code for atom, _ in atoms(expr)}
