"""What the result page derives from an assessment and its care plan, both as plain data
(a live result and a saved one have the same shape): the reasons it shows, the sources it
cites, numbered once for the whole page, and the reason most plan items share."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

Data = Mapping[str, Any]


def shown_reasons(result: Data) -> list[Data]:
    """The reasons for the advice given, and every warning sign that fired."""
    return [
        reason
        for reason in result["reasons"]
        if reason["level"] == result["triage"] or reason["kind"] == "red_flag"
    ]


def cited_sources(result: Data, care: Data) -> list[str]:
    """Every source the page cites, once, in the order the page first cites it (its number
    is its place in this list)."""
    cited = [
        *(reason["sources"] for reason in shown_reasons(result)),
        *(condition["sources"] for condition in result["differential"][:3]),
        *(item["sources"] for phase in care["phases"] for item in phase["items"]),
        *(medicine["sources"] for medicine in care["medicines"]),
        *(sign.get("sources", ()) for sign in care["warning_signs"]),
    ]
    return list(dict.fromkeys(source for sources in cited for source in sources))


def shared_reason(care: Data) -> str:
    """The reason (``why``) most plan items give, said once for the plan; "" if none is
    shared. Ties go to the reason given first."""
    counts = Counter(
        item["why"] for phase in care["phases"] for item in phase["items"] if item.get("why")
    )
    for why, count in counts.most_common(1):
        if count > 1:
            return str(why)
    return ""
