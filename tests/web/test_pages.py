"""The pages over HTTP (the browser tests drive the same pages in Chromium)."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

from spasmcare.knowledge.base import KnowledgeBase
from spasmcare.knowledge.loader import default_knowledge
from spasmcare.web.fallback import fallback_html, shipped_fallback
from tests.web.conftest import EMERGENCY_ANSWERS, HEART, SELF_CARE_ANSWERS, csrf, sign_up


def _form_value(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found, f"no {name} field on the page"
    return html.unescape(found.group(1))


def _as_form_answer(code: str, value: object) -> str:
    finding = default_knowledge().findings[code]
    if value is None:
        return "no" if finding.type == "bool" else "dont_know" if finding.type == "choice" else ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _run_check(client: TestClient, truth: dict[str, object], story: str = "") -> str:
    """Answer the check's questions from `truth` (unlisted yes/no questions: no) as a person
    clicking through the pages would; returns the result page."""
    page = _check_pages(client, truth, story)[-1][1]
    if 'name="code"' in page:
        raise AssertionError("the check did not finish")
    return page


def test_every_page_is_served_from_this_host_only(client: TestClient) -> None:
    for path in (
        "/",
        "/check",
        "/ask",
        "/articles",
        "/articles/heat-or-ice",
        "/emergency",
        "/login",
        "/signup",
        "/api/v1/docs",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert not re.search(r'(?:src|href)="(?:https?:)?//', response.text), path
        policy = response.headers["content-security-policy"]
        assert "default-src 'self'" in policy
        assert "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy
        assert response.headers["referrer-policy"] == "same-origin"
        assert response.headers["x-frame-options"] == "DENY"


def test_a_check_to_an_emergency(client: TestClient) -> None:
    page = _run_check(client, EMERGENCY_ANSWERS)
    assert "Emergency" in page
    assert "tel:999" in page
    assert "Most likely causes" in page
    assert "Do not drive yourself" in page


def _check_pages(
    client: TestClient, truth: dict[str, object], story: str = "", checking_for: str = "me"
) -> list[tuple[str | None, str]]:
    """Every page of a check answered from `truth`, each with the code just answered."""
    page = client.post(
        "/check/start",
        data={"csrf_token": csrf(client), "story": story, "checking_for": checking_for},
    ).text
    pages: list[tuple[str | None, str]] = [(None, page)]
    while 'name="code"' in page and len(pages) < 40:
        code = _form_value(page, "code")
        page = client.post(
            "/check/answer",
            data={
                "csrf_token": csrf(client),
                "state": _form_value(page, "state"),
                "code": code,
                "answer": _as_form_answer(code, truth.get(code)),
                "progress": _form_value(page, "progress"),
            },
        ).text
        pages.append((code, page))
    return pages


def test_a_warning_sign_says_call_now_on_the_very_next_page(client: TestClient) -> None:
    """Chest pressure makes it an emergency at once. Any question still asked to tell the
    causes apart comes under a call-now banner with a way to skip to the result."""
    pages = _check_pages(client, HEART)
    answered = [code for code, _ in pages]
    assert "pain_pressure_chest" in answered
    after = answered.index("pain_pressure_chest")
    for _, page in pages[:after]:
        assert "Skip the questions" not in page
    still_asking = [page for _, page in pages[after:] if 'name="code"' in page]
    assert still_asking, "no question after the sign: this test needs a case with some"
    for page in still_asking:
        assert 'role="alert"' in page and "tel:999" in page
        assert "Pressure, squeezing or heaviness in the chest" in page
        assert 'action="/check/finish"' in page
    result = client.post(
        "/check/finish",
        data={"csrf_token": csrf(client), "state": _form_value(still_asking[0], "state")},
    ).text
    assert "Most likely causes" in result and "Do not drive yourself" in result
    assert 'name="code"' not in result


def test_no_call_now_banner_without_an_emergency_sign(client: TestClient) -> None:
    for _, page in _check_pages(client, SELF_CARE_ANSWERS):
        assert 'action="/check/finish"' not in page


def test_a_check_to_self_care_shows_the_plan_with_exercises(client: TestClient) -> None:
    page = _run_check(client, SELF_CARE_ANSWERS)
    assert "Look after it at home" in page
    assert "Your care plan" in page
    assert "How to do it" in page  # exercises with steps
    assert "Get help at once" in page or "warning" in page.lower()
    assert "Save to my assessments" in page


def test_a_story_fills_in_answers_and_the_check_asks_the_rest(client: TestClient) -> None:
    page = client.post(
        "/check/start",
        data={
            "csrf_token": csrf(client),
            "story": "I'm 34 and my lower back went into spasm after lifting a box.",
        },
    ).text
    assert "From what you wrote, SpasmCare understood" in page
    assert "aged 34" in page
    assert _form_value(page, "code") == "sex"
    assert "Question 1" in page


def _question_text(page: str) -> str:
    found = re.search(r'<h1 class="question-text"[^>]*>(.*?)</h1>', page)
    assert found, "no question on the page"
    return html.unescape(found.group(1))


def test_a_check_for_someone_else_asks_about_them_and_reads_their_age(
    client: TestClient,
) -> None:
    """A parent checking for a child: the story's age is the child's, every question asks
    about "them", and the child's night pain is seen the same day (an adult's would not
    be). Read as the parent's own story, the child's age is not taken for the writer's."""
    story = "My son is 9 and his back pain wakes him up at night."
    pages = _check_pages(client, {}, story, checking_for="someone_else")
    first = pages[0][1]
    assert "aged 9" in first and "sex at birth: male" in first
    for _, page in pages[:-1]:
        assert "answer each question about them" in page
        assert not re.search(r"\byou(?:r)?\b", _question_text(page), re.IGNORECASE)
    result = pages[-1][1]
    assert "the person you checked for" in result
    assert 'class="triage triage-urgent"' in result

    own = client.post(
        "/check/start", data={"csrf_token": csrf(client), "story": story, "checking_for": "me"}
    ).text
    assert "aged 9" not in own
    assert _question_text(own) == "How old are you?"
    assert "answer each question about them" not in own


def test_back_takes_the_last_answer_back(client: TestClient) -> None:
    page = client.post("/check/start", data={"csrf_token": csrf(client)}).text
    assert _form_value(page, "code") == "age"
    page = client.post(
        "/check/answer",
        data={
            "csrf_token": csrf(client),
            "state": _form_value(page, "state"),
            "code": "age",
            "answer": "44",
        },
    ).text
    assert _form_value(page, "code") == "sex"
    page = client.post(
        "/check/back", data={"csrf_token": csrf(client), "state": _form_value(page, "state")}
    ).text
    assert _form_value(page, "code") == "age"
    assert 'value="44"' in page  # the answer given is still there to change or keep


def test_back_shows_the_choice_made_before(client: TestClient) -> None:
    page = client.post("/check/start", data={"csrf_token": csrf(client)}).text
    for _ in range(6):  # answer until a yes/no question, then answer it "no"
        code = _form_value(page, "code")
        finding = default_knowledge().findings[code]
        answer = {"bool": "no", "number": "44"}.get(finding.type) or finding.options[0].value
        page = client.post(
            "/check/answer",
            data={"csrf_token": csrf(client), "state": _form_value(page, "state"),
                  "code": code, "answer": answer},
        ).text  # fmt: skip
        if finding.type == "bool":
            break
    assert finding.type == "bool"
    page = client.post(
        "/check/back", data={"csrf_token": csrf(client), "state": _form_value(page, "state")}
    ).text
    assert _form_value(page, "code") == code
    assert re.search(r'value="no"[^>]*\bchecked', page)
    assert not re.search(r'value="yes"[^>]*\bchecked', page)


@pytest.mark.parametrize(
    ("answer", "message"), [("", "Type a number"), ("abc", "Type a number"), ("400", "from 0")]
)
def test_a_bad_answer_is_explained_and_the_question_asked_again(
    client: TestClient, answer: str, message: str
) -> None:
    page = client.post("/check/start", data={"csrf_token": csrf(client)}).text
    state = _form_value(page, "state")
    again = client.post(
        "/check/answer",
        data={"csrf_token": csrf(client), "state": state, "code": "age", "answer": answer},
    )
    if answer == "":
        assert _form_value(again.text, "code") == "sex"  # empty means "don't know"
        return
    assert again.status_code == 422
    assert message in again.text
    assert _form_value(again.text, "code") == "age"
    assert f'value="{answer}"' in again.text  # what was typed stays, to be corrected


def test_a_tampered_state_is_refused_with_a_clear_message(client: TestClient) -> None:
    for state in (
        "not json",
        '{"answers": {"age": "x"}, "asked": []}',
        '{"answers": {}, "asked": ["nope"]}',
    ):
        response = client.post("/check/back", data={"csrf_token": csrf(client), "state": state})
        assert response.status_code == 422
        assert "start the check again" in response.text or "age" in response.text


def test_medicine_questions_refine_the_plan(client: TestClient) -> None:
    page = _run_check(client, SELF_CARE_ANSWERS)
    assert "Which medicines suit you?" in page
    state = _form_value(page, "state")
    refined = client.post(
        "/check/medicines",
        data={"csrf_token": csrf(client), "state": state, "stomach_ulcer_or_bleed": "yes"},
    ).text
    assert re.search(r"Not for you: Ibuprofen", refined, re.IGNORECASE)
    assert "stomach ulcer" in refined.lower()


def test_saying_pregnant_with_the_medicines_brings_the_maternity_questions(
    client: TestClient,
) -> None:
    woman = {"age": 29.0, "sex": "female", "pain_lower_back": True, "trigger_lifting": True}
    page = _run_check(client, woman)
    assert "Are you pregnant at the moment?" in page
    state = _form_value(page, "state")
    form = {"csrf_token": csrf(client), "state": state}
    asked = client.post("/check/medicines", data={**form, "pregnant": "yes"}).text
    assert _form_value(asked, "code") in {
        "pregnancy_tightenings",
        "vaginal_bleeding",
        "waters_leaking",
        "baby_moving_less",
    }
    result = client.post("/check/medicines", data={**form, "pregnant": "no"}).text
    assert "Are you pregnant at the moment?" not in result
    assert "Which medicines suit you?" in result


def test_anonymous_download_of_the_plan(client: TestClient) -> None:
    page = _run_check(
        client, {"age": 30.0, "sex": "male", "pain_lower_back": True, "trigger_lifting": True}
    )
    state = _form_value(page, "state")
    pdf = client.post(
        "/check/download", data={"csrf_token": csrf(client), "state": state, "format": "pdf"}
    )
    assert pdf.content.startswith(b"%PDF")
    bad = client.post(
        "/check/download", data={"csrf_token": csrf(client), "state": state, "format": "exe"}
    )
    assert bad.status_code == 422


def test_saving_asks_for_an_account_then_keeps_the_result(client: TestClient) -> None:
    page = _run_check(client, HEART)
    state = _form_value(page, "state")
    ask = client.post("/check/save", data={"csrf_token": csrf(client), "state": state})
    assert "Save your result" in ask.text
    created = client.post(
        "/signup",
        data={
            "csrf_token": csrf(client),
            "state": state,
            "email": "new@example.com",
            "password": "a long enough one",
        },
        follow_redirects=False,
    )
    assert created.status_code == 303
    saved = client.get(created.headers["location"])
    assert "Saved to your assessments" in saved.text
    assert "Emergency" in saved.text
    history = client.get("/assessments").text
    assert "Emergency" in history
    # Saving again while signed in goes straight to the saved result.
    again = client.post(
        "/check/save", data={"csrf_token": csrf(client), "state": state}, follow_redirects=False
    )
    assert again.headers["location"].startswith("/assessments/")


def test_ask_page_answers_with_citations(client: TestClient) -> None:
    page = client.post("/ask", data={"csrf_token": csrf(client), "question": "heat or ice?"}).text
    assert "From these articles" in page
    assert 'href="/articles/heat-or-ice#' in page


def test_an_empty_question_is_asked_for_in_place(client: TestClient) -> None:
    """A form sent empty (browser checks skipped): a short message where the answer goes,
    not a whole page inside the answer area."""
    sent = client.post(
        "/ask", data={"csrf_token": csrf(client), "question": "  "}, headers={"HX-Request": "true"}
    )
    assert sent.status_code == 422
    assert "Type a question first" in sent.text and "<html" not in sent.text
    page = client.post("/ask", data={"csrf_token": csrf(client)})
    assert page.status_code == 422
    assert "Type a question first" in page.text and 'name="question"' in page.text


def test_each_step_of_the_check_has_its_own_address_in_the_history(client: TestClient) -> None:
    htmx = {"HX-Request": "true"}
    first = client.post("/check/start", data={"csrf_token": csrf(client)}, headers=htmx)
    assert first.headers["HX-Push-Url"] == "/check?step=1"
    sent = {"csrf_token": csrf(client), "state": _form_value(first.text, "state")}
    refused = client.post(
        "/check/answer", data={**sent, "code": "age", "answer": "-4"}, headers=htmx
    )
    assert refused.status_code == 422
    assert refused.headers["HX-Replace-Url"] == "/check?step=1"
    second = client.post(
        "/check/answer", data={**sent, "code": "age", "answer": "35"}, headers=htmx
    )
    assert second.headers["HX-Push-Url"] == "/check?step=2"
    back = client.post(
        "/check/back",
        data={"csrf_token": csrf(client), "state": _form_value(second.text, "state")},
        headers=htmx,
    )
    assert back.headers["HX-Replace-Url"] == "/check?step=1"
    # A step HTMX no longer has cached is fetched again as a whole page, not a fragment.
    restored = client.get("/check?step=2", headers={**htmx, "HX-History-Restore-Request": "true"})
    assert "<html" in restored.text and "Check my back" in restored.text
    assert "The check has started again" in restored.text  # says why the answers are gone
    assert "The check has started again" not in client.get("/check").text
    # Without HTMX (no JavaScript) nothing is pushed: each answer is its own page load.
    plain = client.post("/check/start", data={"csrf_token": csrf(client)})
    assert "HX-Push-Url" not in plain.headers


@pytest.mark.parametrize("path", ["/signup", "/login"])
def test_an_empty_account_form_comes_back_with_its_message(client: TestClient, path: str) -> None:
    page = client.post(path, data={"csrf_token": csrf(client)})
    assert page.status_code in (400, 401, 422)
    assert 'name="email"' in page.text and 'name="password"' in page.text
    assert "Field required" not in page.text


def test_unknown_pages_and_articles_are_404_pages(client: TestClient) -> None:
    for path in ("/articles/nothing-here", "/no-such-page"):
        response = client.get(path)
        assert response.status_code == 404
        assert "Not found" in response.text


def test_the_shipped_fallback_lists_todays_emergency_signs(kb: KnowledgeBase) -> None:
    """The static fallback page is generated from the rules; regenerate it with
    `python -m spasmcare.web.fallback` when they change."""
    assert shipped_fallback() == fallback_html(kb)


def test_history_needs_a_login(client: TestClient) -> None:
    response = client.get("/assessments", follow_redirects=False)
    assert response.headers["location"] == "/login?next=/assessments"
    sign_up(client, "hist@example.com")
    assert "No saved assessments yet" in client.get("/assessments").text


def test_back_arriving_at_the_answer_endpoint_still_goes_back(client: TestClient) -> None:
    page = client.post("/check/start", data={"csrf_token": csrf(client)}).text
    page = client.post(
        "/check/answer",
        data={
            "csrf_token": csrf(client),
            "state": _form_value(page, "state"),
            "code": "age",
            "answer": "44",
        },
    ).text
    back = client.post(
        "/check/answer",
        data={
            "csrf_token": csrf(client),
            "state": _form_value(page, "state"),
            "code": "sex",
            "action": "back",
        },
    ).text
    assert _form_value(back, "code") == "age"


def _shown_progress(page: str) -> int:
    found = re.search(r'<progress max="100" value="(\d+)"', page)
    assert found is not None
    return int(found.group(1))


@pytest.mark.parametrize("truth", [SELF_CARE_ANSWERS, EMERGENCY_ANSWERS, HEART])
def test_the_progress_bar_never_moves_back_while_answering(
    client: TestClient, truth: dict[str, object]
) -> None:
    """An answer can open new questions (a warning sign to rule out), which lowers the
    engine's estimate; the bar stands still instead of moving back."""
    pages = _check_pages(client, truth)
    shown = [_shown_progress(page) for _, page in pages if 'name="code"' in page]
    assert shown == sorted(shown), shown
    assert shown[-1] <= 95
