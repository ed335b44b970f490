"""Check findings against the vocabulary before the engine sees them."""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping

from spasmcare.errors import (
    FindingChoiceError,
    FindingRangeError,
    FindingTypeError,
    InvalidFindingError,
    UnknownFindingError,
)
from spasmcare.knowledge.base import KnowledgeBase
from spasmcare.knowledge.expressions import FindingValue

Findings = dict[str, FindingValue]


def validate_findings(raw: object, kb: KnowledgeBase) -> Findings:
    """Return the findings with numbers as floats and unknowns (None) dropped.

    Raises a subclass of InvalidFindingError naming the code and what is allowed.
    """
    if not isinstance(raw, Mapping):
        raise InvalidFindingError(
            "findings",
            f"expected an object mapping codes to answers, got {type(raw).__name__}",
            "an object",
        )
    checked: Findings = {}
    for code in sorted(raw):
        value = raw[code]
        if not isinstance(code, str) or code not in kb.findings:
            close = difflib.get_close_matches(str(code), kb.findings, n=3)
            raise UnknownFindingError(str(code), close)
        if value is None:
            continue
        finding = kb.findings[code]
        if finding.type == "bool":
            if not isinstance(value, bool):
                raise FindingTypeError(code, f"expected yes or no, got {value!r}", "true, false")
            checked[code] = value
        elif finding.type == "number":
            assert finding.minimum is not None and finding.maximum is not None
            allowed = f"a number from {finding.minimum:g} to {finding.maximum:g}"
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise FindingTypeError(code, f"expected a number, got {value!r}", allowed)
            if not math.isfinite(value) or not finding.minimum <= value <= finding.maximum:
                raise FindingRangeError(code, f"{value!r} is out of range", allowed)
            checked[code] = float(value)
        else:
            options = [option.value for option in finding.options]
            if not isinstance(value, str) or value not in options:
                raise FindingChoiceError(
                    code, f"{value!r} is not one of the choices", ", ".join(options)
                )
            checked[code] = value
    return checked
