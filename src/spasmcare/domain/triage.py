"""The four triage levels of shared/spec/triage.md, ordered by urgency."""

from __future__ import annotations

from enum import StrEnum


class TriageLevel(StrEnum):
    """A disposition. Compare urgency with ``urgency`` (higher is more urgent)."""

    EMERGENCY = "emergency"
    URGENT = "urgent"
    ROUTINE = "routine"
    SELF_CARE = "self_care"

    @property
    def urgency(self) -> int:
        return _URGENCY[self]

    def folded(self) -> str:
        """The three-level scale of published symptom-checker audits."""
        if self in (TriageLevel.EMERGENCY, TriageLevel.URGENT):
            return "emergent"
        return "non_emergent" if self is TriageLevel.ROUTINE else "self_care"


_URGENCY = {
    TriageLevel.SELF_CARE: 0,
    TriageLevel.ROUTINE: 1,
    TriageLevel.URGENT: 2,
    TriageLevel.EMERGENCY: 3,
}

LEVELS_BY_URGENCY: tuple[TriageLevel, ...] = tuple(sorted(TriageLevel, key=lambda t: -t.urgency))


def most_urgent(*levels: TriageLevel) -> TriageLevel:
    """The most urgent of the given levels; self-care when none is given."""
    return max(levels, key=lambda level: level.urgency, default=TriageLevel.SELF_CARE)
