"""What the result page derives from a result and its plan, as plain data."""

from __future__ import annotations

from spasmcare.web.result_view import cited_sources, shared_reason, shown_reasons

RESULT = {
    "triage": "routine",
    "reasons": [
        {"level": "routine", "kind": "condition_risk", "sources": ["b", "a"]},
        {"level": "self_care", "kind": "no_warning_signs", "sources": ["z"]},  # not shown
        {"level": "urgent", "kind": "red_flag", "sources": ["c"]},
    ],
    "differential": [{"sources": ["a", "d"]}],
}
CARE = {
    "phases": [
        {"items": [{"why": "Suits a strain", "sources": ["e"]}, {"why": "", "sources": ["a"]}]},
        {
            "items": [
                {"why": "Desk", "sources": []},
                {"why": "Suits a strain", "sources": []},
            ]
        },
    ],
    "medicines": [{"sources": ["f"]}],
    "warning_signs": [{"sources": ["c", "g"]}, {}],  # a plan saved before signs had sources
}


def test_the_page_shows_the_advices_reasons_and_every_fired_warning_sign() -> None:
    assert [r["kind"] for r in shown_reasons(RESULT)] == ["condition_risk", "red_flag"]


def test_each_source_is_numbered_once_in_the_order_first_cited() -> None:
    assert cited_sources(RESULT, CARE) == ["b", "a", "c", "d", "e", "f", "g"]


def test_the_reason_most_items_give_is_said_once() -> None:
    assert shared_reason(CARE) == "Suits a strain"
    single = {"phases": [{"items": [{"why": "Only one"}, {"why": ""}]}]}
    assert shared_reason(single) == ""
