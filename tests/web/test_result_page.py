"""The result page kept short enough to read on a phone: sources cited by number with one
list at the end, the shared reason said once, repeated exercises pointing back, saving
offered near the top, and the saved time in the person's own time zone. Nothing the plan
says is lost on the way (every safety text is still on the page)."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from spasmcare.engine import assess
from spasmcare.engine.careplan import plan
from spasmcare.evaluation.datasets import Vignette, load_vignettes
from spasmcare.knowledge.base import KnowledgeBase
from spasmcare.knowledge.loader import default_knowledge
from spasmcare.web.pages.check import result_context
from spasmcare.web.templating import TEMPLATES, local_time
from tests.conftest import DATA
from tests.web.conftest import SELF_CARE_ANSWERS, csrf, log_spasm, sign_up
from tests.web.test_pages import _form_value, _run_check

DEV = load_vignettes(DATA / "dev_vignettes.yaml", default_knowledge())


def _render(findings: dict[str, Any], kb: KnowledgeBase, **extra: Any) -> str:
    """partials/result.html as the check's result page renders it (no request needed)."""
    values = {
        "user": None,
        "csrf": "token",
        "state": "state",
        "notice": kb.notice,
        "emergency_numbers": kb.emergency_numbers,
        "levels": {level.value: text for level, text in kb.levels.items()},
        "conditions": kb.conditions,
        "sources": kb.sources,
        "problem": None,
        **result_context(assess(findings, kb), kb),
        **extra,
    }
    return TEMPLATES.env.get_template("partials/result.html").render(values)


def _text(page: str) -> str:
    """The page's words, tags dropped and spaces collapsed (to look for a sentence)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _has(page_text: str, sentence: str) -> bool:
    return " ".join(sentence.split()) in page_text


def _source_list(page: str) -> list[str]:
    section = page.split('<section class="source-list"', 1)[1].split("</section>", 1)[0]
    return [_text(item) for item in re.findall(r'<li id="source-\d+">(.*?)</li>', section, re.S)]


def _vignette(ident: str) -> Vignette:
    return next(v for v in DEV if v.id == ident)


@pytest.mark.parametrize("vignette", DEV, ids=lambda v: v.id)
def test_every_safety_text_and_source_is_still_on_the_page(
    kb: KnowledgeBase, vignette: Vignette
) -> None:
    findings = vignette.full_findings(kb)
    result = assess(findings, kb)
    care = plan(result, kb)
    page = _render(findings, kb)
    words = _text(page)
    assert _has(words, result.action)
    for reason in result.reasons:
        if reason.level is result.triage or reason.kind == "red_flag":
            assert _has(words, reason.text)
    for sign in care.warning_signs:
        assert _has(words, f"{sign.text}: {sign.action}")
    assert _has(words, care.review)
    for medicine in care.medicines:
        assert _has(words, medicine.name)
        if medicine.note:
            assert _has(words, medicine.note)
        elif medicine.reasons:
            assert _has(words, "; ".join(medicine.reasons))
    for item in care.items():
        assert _has(words, item.title)
        if item.cautions:
            assert _has(words, "; ".join(item.cautions))
        if item.why:
            assert _has(words, item.why)  # said once for the plan, or with the item
        # Folded or not, each item's own words are on the page once (repeats point back).
        assert _has(words, item.detail)
    # Each source cited once in the list at the end, named by its title, every cited
    # number pointing into that list and every listed source cited somewhere.
    listed = _source_list(page)
    assert len(listed) == len(set(listed))
    cited = {int(n) for n in re.findall(r'href="#source-(\d+)"', page)}
    assert cited == set(range(1, len(listed) + 1))
    expected = {s for item in care.items() for s in item.sources}
    expected |= {s for m in care.medicines for s in m.sources}
    expected |= {s for sign in care.warning_signs for s in sign.sources}
    expected |= {s for c in result.differential[:3] for s in c.sources}
    titles = {kb.sources[s].title for s in expected}
    assert all(any(entry.startswith(title) for entry in listed) for title in titles)
    assert len(listed) >= len(expected)


def _entry(kb: KnowledgeBase, ident: str) -> str:
    source = kb.sources[ident]
    publisher = f", {source.publisher}" if source.publisher else ""
    year = f" ({source.year})" if source.year else ""
    return f"{source.title}{publisher}{year}"


def test_each_plan_item_cites_its_own_sources_by_number(kb: KnowledgeBase) -> None:
    findings = _vignette("dev-006").full_findings(kb)
    care = plan(assess(findings, kb), kb)
    page = _render(findings, kb)
    listed = _source_list(page)
    lists = re.findall(r'<ul class="checklist">(.*?)\n  </ul>', page, re.S)
    shown = [block for found in lists for block in re.split(r"\n    <li", found)[1:]]
    assert len(shown) == len(care.items())
    for item, block in zip(care.items(), shown, strict=True):
        assert html.escape(item.title) in block
        numbers = [int(n) for n in re.findall(r'href="#source-(\d+)"', block)]
        assert {listed[n - 1] for n in numbers} == {_entry(kb, s) for s in item.sources}
    # The knowledge base's bare source ids are no longer printed under every item.
    assert not re.search(r"Sources: (nice|seed|textbook|review)-", _text(page))


def test_the_reason_most_items_share_is_said_once(kb: KnowledgeBase) -> None:
    findings = _vignette("dev-006").full_findings(kb)
    result = assess(findings, kb)
    shared = kb.care.texts["why_condition"].format(condition=result.differential[0].name.lower())
    page = _render(findings, kb)
    assert _text(page).count(shared) == 1
    assert sum(item.why == shared for item in plan(result, kb).items()) > 10


def test_an_exercise_kept_up_in_a_later_phase_points_back_to_its_steps(
    kb: KnowledgeBase,
) -> None:
    findings = _vignette("dev-006").full_findings(kb)
    care = plan(assess(findings, kb), kb)
    exercises = [item for item in care.items() if item.kind == "exercise"]
    repeated = {item.id for item in exercises if exercises.count(item) > 1}
    assert repeated, "this test needs a plan that keeps an exercise up in a later phase"
    page = _render(findings, kb)
    for ident in repeated:
        item = next(item for item in exercises if item.id == ident)
        times = sum(1 for e in exercises if e.id == ident)
        assert page.count(f'id="plan-exercise-{ident}"') == 1
        assert page.count(f'href="#plan-exercise-{ident}"') == times - 1
        assert page.count(html.escape(item.steps[0])) == 1  # the steps once, not per phase
        # Each phase still lists it, with its dose.
        assert page.count(f"<strong>{html.escape(item.title)}</strong>") == times


def test_saving_is_offered_near_the_top_once_signed_in(client: TestClient) -> None:
    anonymous = _run_check(client, SELF_CARE_ANSWERS)
    assert anonymous.count('action="/check/save"') == 1
    sign_up(client, "top@example.com")
    page = _run_check(client, SELF_CARE_ANSWERS)
    assert page.count('action="/check/save"') == 2
    assert page.index('action="/check/save"') < page.index("Most likely causes")
    saved = client.post(
        "/check/save",
        data={"csrf_token": csrf(client), "state": _form_value(page, "state")},
    ).text
    assert 'action="/check/save"' not in saved  # already saved: nothing to offer


def test_the_saved_time_is_in_the_persons_time_zone(client: TestClient) -> None:
    sign_up(client, "tokyo@example.com")
    # Logging a spasm from a browser in Tokyo makes Tokyo the account's time zone.
    logged = log_spasm(client, locations="lower", intensity="4", timezone="Asia/Tokyo")
    assert logged.status_code == 303
    page = _run_check(client, SELF_CARE_ANSWERS)
    saved = client.post(
        "/check/save", data={"csrf_token": csrf(client), "state": _form_value(page, "state")}
    ).text
    shown = re.search(r"Saved on (\d{2} \w{3} \d{4}, \d{2}:\d{2}) \(Asia/Tokyo time\)", saved)
    assert shown, _text(saved)[:500]
    local = datetime.strptime(shown.group(1), "%d %b %Y, %H:%M")
    assert abs(local - datetime.now(UTC).replace(tzinfo=None) - timedelta(hours=9)) < timedelta(
        minutes=5
    )
    history = client.get("/assessments").text  # the list says the same local time
    assert f"{shown.group(1)} (Asia/Tokyo time)" in history


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("UTC", "22 Nov 2026, 14:03 UTC"),
        ("Europe/London", "01 Jul 2026, 15:03 (Europe/London time)"),  # summer time
        ("America/New_York", "22 Nov 2026, 09:03 (America/New_York time)"),
        ("Mars/Base", "22 Nov 2026, 14:03 UTC"),  # not a zone: the time in UTC, said so
    ],
)
def test_times_are_shown_in_the_viewers_zone_and_name_it(zone: str, expected: str) -> None:
    winter = datetime(2026, 11, 22, 14, 3, tzinfo=UTC)
    summer = datetime(2026, 7, 1, 14, 3, tzinfo=UTC)
    assert local_time(summer if zone == "Europe/London" else winter, zone) == expected
