"""How SpasmCare says a count in a sentence: "1 day", "3 days", never "1 day(s)"."""

from __future__ import annotations


def counted(number: float, noun: str, plural: str | None = None) -> str:
    """The number with its noun, plural unless it is exactly one ("check-in" -> "check-ins").
    Give ``plural`` for nouns that do not just take an "s"."""
    word = noun if number == 1 else (plural or f"{noun}s")
    return f"{number:g} {word}"
