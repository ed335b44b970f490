"""How SpasmCare says a count in a sentence: "1 day", "3 days", never "1 day(s)"."""

from __future__ import annotations


def counted(number: float, noun: str) -> str:
    """The number with its noun, plural unless it is exactly one ("check-in" -> "check-ins")."""
    return f"{number:g} {noun}" if number == 1 else f"{number:g} {noun}s"
