"""The small condition language of red-flag rules, escalations and `ask_if`.

An expression is written in YAML as a string atom or a nested mapping:

    "fever"                     a yes/no finding answered yes
    "age >= 50"                 a number compared with >, >=, <, <= or ==
    "pain_one_side is both"     a choice answered with that value
    {all: [...]}  {any: [...]}  {not: ...}

Evaluation is three-valued (Kleene logic): True, False, or None when the answer depends on
findings that are still unknown. That lets the interview tell "ruled out" from "not asked".
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

FindingValue = bool | float | str

_COMPARE: dict[str, Callable[[float, float], bool]] = {
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
    "==": operator.eq,
}
_ATOM = re.compile(r"^\s*([a-z][a-z0-9_]*)\s*$")
_COMPARISON = re.compile(r"^\s*([a-z][a-z0-9_]*)\s*(>=|<=|==|>|<)\s*(-?\d+(?:\.\d+)?)\s*$")
_CHOICE = re.compile(r"^\s*([a-z][a-z0-9_]*)\s+is\s+([a-z][a-z0-9_]*)\s*$")


Test = Callable[[Mapping[str, FindingValue]], bool | None]
# Each node carries its test (`test`) compiled to a closure when it is built, and the codes
# it mentions (`finding_codes`): rules, escalations and questions are evaluated hundreds of
# times per assessment, and a closure over local names is much faster than walking the tree.


@dataclass(frozen=True, slots=True)
class IsYes:
    code: str
    test: Test = field(init=False, repr=False, compare=False)
    finding_codes: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        code = self.code

        def test(findings: Mapping[str, FindingValue]) -> bool | None:
            value = findings.get(code)
            return None if value is None else value is True

        object.__setattr__(self, "test", test)
        object.__setattr__(self, "finding_codes", frozenset({self.code}))


@dataclass(frozen=True, slots=True)
class Compare:
    code: str
    op: str
    value: float
    test: Test = field(init=False, repr=False, compare=False)
    finding_codes: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        code, compare, limit = self.code, _COMPARE[self.op], self.value

        def test(findings: Mapping[str, FindingValue]) -> bool | None:
            number = findings.get(code)
            if number is None or isinstance(number, str | bool):
                return None
            return compare(number, limit)

        object.__setattr__(self, "test", test)
        object.__setattr__(self, "finding_codes", frozenset({self.code}))


@dataclass(frozen=True, slots=True)
class ChoiceIs:
    code: str
    value: str
    test: Test = field(init=False, repr=False, compare=False)
    finding_codes: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        code, wanted = self.code, self.value

        def test(findings: Mapping[str, FindingValue]) -> bool | None:
            choice = findings.get(code)
            return None if choice is None else choice == wanted

        object.__setattr__(self, "test", test)
        object.__setattr__(self, "finding_codes", frozenset({self.code}))


@dataclass(frozen=True, slots=True)
class AllOf:
    items: tuple[Expr, ...]
    test: Test = field(init=False, repr=False, compare=False)
    finding_codes: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "test", _kleene(self.items, settled_by=False))
        object.__setattr__(self, "finding_codes", _mentioned(self.items))


@dataclass(frozen=True, slots=True)
class AnyOf:
    items: tuple[Expr, ...]
    test: Test = field(init=False, repr=False, compare=False)
    finding_codes: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "test", _kleene(self.items, settled_by=True))
        object.__setattr__(self, "finding_codes", _mentioned(self.items))


@dataclass(frozen=True, slots=True)
class Not:
    item: Expr
    test: Test = field(init=False, repr=False, compare=False)
    finding_codes: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        inner = self.item.test

        def test(findings: Mapping[str, FindingValue]) -> bool | None:
            outcome = inner(findings)
            return None if outcome is None else not outcome

        object.__setattr__(self, "test", test)
        object.__setattr__(self, "finding_codes", self.item.finding_codes)


Expr = IsYes | Compare | ChoiceIs | AllOf | AnyOf | Not


def _mentioned(items: tuple[Expr, ...]) -> frozenset[str]:
    return frozenset().union(*(item.finding_codes for item in items))


def _kleene(items: tuple[Expr, ...], settled_by: bool) -> Test:
    """Kleene all (settled_by=False) or any (settled_by=True): one item with the settling
    answer decides, whatever else is unknown."""
    if all(isinstance(item, IsYes) for item in items):
        # The common list of yes/no findings, read straight from the answers.
        codes = tuple(item.code for item in items if isinstance(item, IsYes))

        def test_answers(findings: Mapping[str, FindingValue]) -> bool | None:
            unknown = False
            for code in codes:
                value = findings.get(code)
                if value is None:
                    unknown = True
                elif (value is True) is settled_by:
                    return settled_by
            return None if unknown else not settled_by

        return test_answers
    tests = tuple(item.test for item in items)

    def test_items(findings: Mapping[str, FindingValue]) -> bool | None:
        unknown = False
        for item_test in tests:
            outcome = item_test(findings)
            if outcome is None:
                unknown = True
            elif outcome is settled_by:
                return settled_by
        return None if unknown else not settled_by

    return test_items


class ExpressionError(ValueError):
    """Raised with a message naming the part of the expression that is wrong."""


def parse(raw: object) -> Expr:
    """Turn the YAML form of an expression into a typed tree."""
    if isinstance(raw, str):
        return _parse_atom(raw)
    if isinstance(raw, dict) and len(raw) == 1:
        ((key, value),) = raw.items()
        if key in ("all", "any"):
            if not isinstance(value, list) or not value:
                raise ExpressionError(f"'{key}' needs a non-empty list, got {value!r}")
            items = tuple(parse(item) for item in value)
            return AllOf(items) if key == "all" else AnyOf(items)
        if key == "not":
            return Not(parse(value))
    raise ExpressionError(
        f"expected a finding or one of {{all: [...]}}, {{any: [...]}}, {{not: ...}}; got {raw!r}"
    )


def _parse_atom(text: str) -> Expr:
    if match := _ATOM.match(text):
        return IsYes(match.group(1))
    if match := _COMPARISON.match(text):
        return Compare(match.group(1), match.group(2), float(match.group(3)))
    if match := _CHOICE.match(text):
        return ChoiceIs(match.group(1), match.group(2))
    raise ExpressionError(f"cannot read {text!r}: use 'code', 'code >= 50' or 'code is value'")


def evaluate(expr: Expr, findings: Mapping[str, FindingValue]) -> bool | None:
    """True, False, or None when unknown findings decide the outcome."""
    return expr.test(findings)


def atoms(expr: Expr, negated: bool = False) -> Iterator[tuple[IsYes | Compare | ChoiceIs, bool]]:
    """Every atom with whether it sits under an odd number of `not`s."""
    match expr:
        case IsYes() | Compare() | ChoiceIs():
            yield expr, negated
        case AllOf(items) | AnyOf(items):
            for item in items:
                yield from atoms(item, negated)
        case Not(item):
            yield from atoms(item, not negated)


def codes(expr: Expr) -> frozenset[str]:
    return expr.finding_codes


def positive_codes(expr: Expr) -> frozenset[str]:
    """Yes/no findings whose 'yes' can only push the expression toward True."""
    return frozenset(atom.code for atom, neg in atoms(expr) if isinstance(atom, IsYes) and not neg)


def negated_codes(expr: Expr) -> frozenset[str]:
    return frozenset(atom.code for atom, neg in atoms(expr) if neg)


def satisfying_codes(expr: Expr, findings: Mapping[str, FindingValue]) -> tuple[str, ...]:
    """The findings that make a True expression true, for 'because you said ...'."""
    match expr:
        case IsYes(code) | Compare(code) | ChoiceIs(code):
            return (code,) if evaluate(expr, findings) else ()
        case AllOf(items):
            return tuple(
                dict.fromkeys(c for item in items for c in satisfying_codes(item, findings))
            )
        case AnyOf(items):
            true_items = [item for item in items if evaluate(item, findings)]
            return tuple(
                dict.fromkeys(c for item in true_items for c in satisfying_codes(item, findings))
            )
        case Not():
            return ()
    raise AssertionError(f"unhandled expression {expr!r}")  # pragma: no cover


def unknown_codes(expr: Expr, findings: Mapping[str, FindingValue]) -> frozenset[str]:
    """Findings in the expression that have no answer yet."""
    return frozenset(code for code in codes(expr) if findings.get(code) is None)
