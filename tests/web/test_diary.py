"""The diary through the API and pages, on real SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from spasmcare.settings import Settings
from spasmcare.storage.tables import User
from spasmcare.web.app import create_app
from tests.conftest import require_tool
from tests.web.conftest import api_token, csrf, log_spasm, sign_up

YESTERDAY = (date.today() - timedelta(days=1)).isoformat()
EPISODE = {
    "started_at": "2026-03-29T00:30:00+00:00",  # 00:30 GMT = 00:30 local before the change
    "timezone": "Europe/London",
    "locations": ["mid"],
    "intensity": 6,
    "triggers": ["trigger_prolonged_posture"],
    "remedies": [{"remedy": "heat", "relief": 7}],
}


def _owner(client: TestClient, email: str = "diary@example.com") -> dict[str, str]:
    sign_up(client, email)
    return {"Authorization": f"Bearer {api_token(client)}"}


def test_episodes_create_read_update_delete(client: TestClient) -> None:
    headers = _owner(client)
    created = client.post("/api/v1/diary/episodes", json=EPISODE, headers=headers)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["local_date"] == "2026-03-29"
    ident = body["id"]
    assert client.get(f"/api/v1/diary/episodes/{ident}", headers=headers).json()["intensity"] == 6
    changed = client.put(
        f"/api/v1/diary/episodes/{ident}", json={**EPISODE, "intensity": 8}, headers=headers
    )
    assert changed.json()["intensity"] == 8
    listed = client.get("/api/v1/diary/episodes?from=2026-03-01&to=2026-03-31", headers=headers)
    assert [e["id"] for e in listed.json()] == [ident]
    assert client.get("/api/v1/diary/episodes?from=2026-04-01", headers=headers).json() == []
    assert client.delete(f"/api/v1/diary/episodes/{ident}", headers=headers).status_code == 204
    assert client.get(f"/api/v1/diary/episodes/{ident}", headers=headers).status_code == 404


def test_bad_entries_name_the_field(client: TestClient) -> None:
    headers = _owner(client)
    for change, field in (
        ({"intensity": 11}, "intensity"),
        ({"locations": ["belly"]}, "locations"),
        ({"triggers": ["eating"]}, "triggers"),
        ({"timezone": "Mars/Base"}, "timezone"),
        ({"timezone": "Europe"}, "timezone"),  # a folder of zones, not a zone
        ({"timezone": "x" * 300}, "timezone"),  # too long for a file name (found by schemathesis)
        ({"started_at": "2026-03-29T00:30:00"}, "started_at"),
        ({"started_at": "2099-01-01T00:00:00+00:00"}, "started_at"),
        ({"remedies": [{"remedy": "heat", "relief": -1}]}, "remedies.0.relief"),
    ):
        response = client.post(
            "/api/v1/diary/episodes", json={**EPISODE, **change}, headers=headers
        )
        assert response.status_code == 422, (change, response.text)
        assert response.json()["field"] == field, response.json()
    assert client.get("/api/v1/diary/episodes", headers=headers).json() == []


def test_the_diary_needs_a_token_and_is_private(client: TestClient, app_settings: Settings) -> None:
    assert client.get("/api/v1/diary/episodes").status_code == 401
    headers = _owner(client)
    ident = client.post("/api/v1/diary/episodes", json=EPISODE, headers=headers).json()["id"]
    client.put(
        "/api/v1/diary/checkins/2026-03-29",
        json={"local_date": "2026-03-29", "pain_average": 3},
        headers=headers,
    )
    with TestClient(create_app(app_settings)) as other:
        theirs = _owner(other, "other@example.com")
        assert other.get(f"/api/v1/diary/episodes/{ident}", headers=theirs).status_code == 404
        assert (
            other.put(f"/api/v1/diary/episodes/{ident}", json=EPISODE, headers=theirs).status_code
            == 404
        )
        assert other.delete(f"/api/v1/diary/episodes/{ident}", headers=theirs).status_code == 404
        assert other.get("/api/v1/diary/checkins/2026-03-29", headers=theirs).status_code == 404
        assert other.get("/api/v1/diary/episodes", headers=theirs).json() == []
        assert other.get(f"/diary/episodes/{ident}").status_code == 404
        deleted = other.post(f"/diary/episodes/{ident}/delete", data={"csrf_token": csrf(other)})
        assert deleted.status_code == 404
    assert client.get(f"/api/v1/diary/episodes/{ident}", headers=headers).status_code == 200


def test_one_checkin_per_local_day_whatever_the_zone(client: TestClient) -> None:
    """A flight from Tokyo to Los Angeles: writing the same local date twice replaces it."""
    headers = _owner(client)
    first = client.put(
        "/api/v1/diary/checkins/2026-03-08",
        json={"local_date": "2026-03-08", "timezone": "Asia/Tokyo", "pain_average": 5},
        headers=headers,
    )
    assert first.status_code == 201
    again = client.put(
        "/api/v1/diary/checkins/2026-03-08",
        json={"local_date": "2026-03-08", "timezone": "America/Los_Angeles", "pain_average": 3},
        headers=headers,
    )
    assert again.status_code == 200
    days = client.get("/api/v1/diary/checkins", headers=headers).json()
    assert [(d["local_date"], d["pain_average"], d["timezone"]) for d in days] == [
        ("2026-03-08", 3, "America/Los_Angeles")
    ]
    mismatch = client.put(
        "/api/v1/diary/checkins/2026-03-09", json={"local_date": "2026-03-08"}, headers=headers
    )
    assert mismatch.status_code == 422
    future = client.put(
        "/api/v1/diary/checkins/2099-01-01", json={"local_date": "2099-01-01"}, headers=headers
    )
    assert future.status_code == 422


def test_episodes_keep_their_local_date_across_clock_changes(client: TestClient) -> None:
    """New York's clocks went forward at 02:00 on 8 March 2026; London's at 01:00 GMT on
    29 March. An episode is dated where it happened, never by the UTC day."""
    headers = _owner(client)
    cases = [
        ("2026-03-08T06:59:00+00:00", "America/New_York", "2026-03-08"),  # 01:59 EST
        ("2026-03-08T07:01:00+00:00", "America/New_York", "2026-03-08"),  # 03:01 EDT
        ("2026-03-09T03:30:00+00:00", "America/New_York", "2026-03-08"),  # 23:30 EDT
        ("2026-03-29T00:59:00+00:00", "Europe/London", "2026-03-29"),
        ("2026-03-29T23:30:00+00:00", "Europe/London", "2026-03-30"),  # 00:30 BST
        ("2026-10-25T00:30:00+00:00", "Europe/London", "2026-10-25"),  # the repeated hour
        ("2026-10-25T01:30:00+00:00", "Europe/London", "2026-10-25"),
    ]
    for instant, zone, local in cases:
        body = {**EPISODE, "started_at": instant, "timezone": zone}
        assert (
            client.post("/api/v1/diary/episodes", json=body, headers=headers).json()["local_date"]
            == local
        )
    stored = client.get("/api/v1/diary/episodes", headers=headers).json()
    assert len(stored) == len(cases)  # nothing merged or lost


def test_import_is_all_or_nothing(client: TestClient) -> None:
    headers = {**_owner(client), "content-type": "text/csv"}
    good = "local_date,pain_average\n2026-01-01,3\n2026-01-02,4\n"
    bad = "local_date,pain_average\n2026-01-03,3\n2026-01-04,44\nnot-a-date,2\n"
    refused = client.post("/api/v1/diary/import?kind=checkins", content=bad, headers=headers)
    assert refused.status_code == 422
    assert "line 3" in refused.json()["error"] and "line 4" in refused.json()["error"]
    assert client.get("/api/v1/diary/checkins", headers=headers).json() == []
    done = client.post("/api/v1/diary/import?kind=checkins", content=good, headers=headers)
    assert done.json() == {"episodes": 0, "checkins_created": 2, "checkins_replaced": 0}


def test_export_then_import_into_another_account(
    client: TestClient, app_settings: Settings
) -> None:
    headers = _owner(client)
    client.post("/api/v1/diary/episodes", json=EPISODE, headers=headers)
    client.put(
        "/api/v1/diary/checkins/2026-03-29",
        json={"local_date": "2026-03-29", "pain_average": 3, "medicines": ["ibuprofen"]},
        headers=headers,
    )
    exported = client.get("/api/v1/diary/export?format=json", headers=headers).json()
    csv_text = client.get("/api/v1/diary/export?format=csv&kind=episodes", headers=headers).text
    assert csv_text.splitlines()[0].startswith("started_at,timezone")
    with TestClient(create_app(app_settings)) as other:
        theirs = _owner(other, "copy@example.com")
        result = other.post("/api/v1/diary/import", json=exported, headers=theirs).json()
        assert result == {"episodes": 1, "checkins_created": 1, "checkins_replaced": 0}
        again = other.get("/api/v1/diary/export?format=json", headers=theirs).json()
        assert again == exported


def test_insights_alerts_charts_and_report(client: TestClient, tmp_path: Path) -> None:
    headers = _owner(client)
    client.post("/api/v1/diary/episodes", json=EPISODE, headers=headers)
    client.put(
        "/api/v1/diary/checkins/2026-03-29",
        json={"local_date": "2026-03-29", "pain_average": 3, "warning_signs": ["fever"]},
        headers=headers,
    )
    insights = client.get("/api/v1/diary/insights", headers=headers).json()
    assert {
        "weekly",
        "monthly",
        "factor_effects",
        "triggers",
        "what_helps",
        "streaks",
        "alerts",
    } <= set(insights)
    alerts = client.get("/api/v1/diary/alerts", headers=headers).json()
    assert isinstance(alerts, list)
    chart = client.get("/api/v1/diary/charts/pain.svg", headers=headers)
    assert chart.headers["content-type"].startswith("image/svg+xml")
    assert chart.text.startswith("<svg")
    report = client.get("/api/v1/diary/report.pdf?from=2026-03-01&to=2026-03-31", headers=headers)
    assert report.content.startswith(b"%PDF")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(report.content)
    subprocess.run(
        [require_tool("pdftoppm"), "-png", "-r", "50", str(pdf), str(tmp_path / "page")], check=True
    )
    assert (tmp_path / "page-1.png").stat().st_size > 5000
    backwards = client.get(
        "/api/v1/diary/report.pdf?from=2026-03-31&to=2026-03-01", headers=headers
    )
    assert backwards.status_code == 422


def test_a_refused_form_lists_every_problem_in_plain_words(client: TestClient) -> None:
    sign_up(client, "problems@example.com")
    checkin = client.post(
        "/diary/checkin",
        data={
            "csrf_token": csrf(client),
            "local_date": YESTERDAY,
            "pain_worst": "12",
            "sleep_hours": "30",
            "stress": "5",
        },
    )
    assert checkin.status_code == 422
    problems = re.search(
        r'<div class="error" role="alert" id="form-error">(.*?)</div>', checkin.text, re.S
    )
    assert problems is not None
    listed = re.findall(r"<li>(.*?)</li>", problems.group(1))
    assert [item.split(":")[0] for item in listed] == ["Worst pain", "Hours of sleep"]
    assert "pain_worst" not in problems.group(1) and "sleep_hours" not in problems.group(1)
    for name in ("pain_worst", "sleep_hours"):
        assert re.search(rf'id="{name}"[^>]*aria-invalid="true"', checkin.text, re.S)
    assert not re.search(r'id="stress"[^>]*aria-invalid', checkin.text, re.S)
    assert 'value="5"' in checkin.text  # what was right is kept
    episode = client.post("/diary/episodes", data={"csrf_token": csrf(client)})
    assert episode.status_code == 422
    assert "Where: choose where the spasm is" in episode.text
    assert "How strong: choose how strong it is" in episode.text


def test_quick_log_and_checkin_pages(client: TestClient) -> None:
    sign_up(client, "pages@example.com")
    page = client.get("/diary")
    assert "Log a spasm now" in page.text
    logged = log_spasm(client, locations="lower", intensity="7", timezone="Europe/Paris")
    assert logged.headers["location"] == "/diary?done=episode"
    assert "Spasm logged" in client.get("/diary?done=episode").text
    missing = client.post("/diary/episodes", data={"csrf_token": csrf(client), "intensity": "7"})
    assert missing.status_code == 422 and "choose where" in missing.text
    ok = client.post(
        "/diary/checkin",
        data={"csrf_token": csrf(client), "local_date": YESTERDAY, "pain_average": "3"},
        follow_redirects=False,
    )
    assert ok.status_code == 303
    edit = client.get(f"/diary/checkin?day={YESTERDAY}")
    assert 'value="3"' in edit.text and "Delete this check-in" in edit.text
    gone = client.post(f"/diary/checkin/{YESTERDAY}/delete", data={"csrf_token": csrf(client)})
    assert gone.status_code == 200
    assert "Delete this check-in" not in client.get(f"/diary/checkin?day={YESTERDAY}").text
    saved = client.post(
        "/diary/checkin",
        data={
            "csrf_token": csrf(client),
            "local_date": YESTERDAY,
            "pain_average": "4",
            "pain_worst": "3",
        },
    )
    assert saved.status_code == 422 and "worst pain cannot be lower" in saved.text
    bad_file = client.post(
        "/diary/import",
        data={"csrf_token": csrf(client), "kind": "checkins"},
        files={"file": ("days.csv", b"local_date,pain_average\n2026-01-01,99\n", "text/csv")},
    )
    assert bad_file.status_code == 422 and "line 2" in bad_file.text


def test_text_no_database_can_store_is_refused_not_a_crash(client: TestClient) -> None:
    """Found by Schemathesis on PostgreSQL: a NUL in a note was a 500."""
    headers = _owner(client)
    for text in ("bad \x00 note", "broken \ud800 character"):
        body = json.dumps({**EPISODE, "trigger_note": text})  # ASCII escapes survive
        response = client.post(
            "/api/v1/diary/episodes",
            content=body,
            headers={**headers, "content-type": "application/json"},
        )
        assert response.status_code == 422, response.text
        assert response.json()["field"] == "trigger_note"
    page = log_spasm(client, intensity="4", notes="a\x00b")
    assert page.status_code == 422
    assert client.get("/api/v1/diary/episodes", headers=headers).json() == []


def test_a_missed_day_can_be_checked_in_later(client: TestClient) -> None:
    sign_up(client, "missed@example.com")
    # The account was made five days ago (UTC, the zone of an account that never said).
    with client.app.state.sessions() as session:  # type: ignore[attr-defined]
        user = session.scalar(select(User).where(User.email == "missed@example.com"))
        user.created_at -= timedelta(days=5)
        session.commit()
    today = datetime.now(UTC).date()
    done = today - timedelta(days=2)
    client.post(
        "/diary/checkin",
        data={"csrf_token": csrf(client), "local_date": done.isoformat(), "pain_average": "3"},
    )
    home = client.get("/diary").text
    offered = re.findall(r'href="/diary/checkin\?day=([\d-]+)"', home)
    expected = [today - timedelta(days=n) for n in (1, 3, 4, 5)]  # not the day checked in
    assert offered == [day.isoformat() for day in expected]
    earlier = client.get(f"/diary/checkin?day={expected[0].isoformat()}").text
    assert "Pain on average that day (0 to 10)" in earlier
    assert "Hours of sleep the night before" in earlier
    assert "Pain on average today (0 to 10)" in client.get("/diary/checkin").text
    future = (today + timedelta(days=2)).isoformat()
    refused = client.post(
        "/diary/checkin",
        data={"csrf_token": csrf(client), "local_date": future, "pain_average": "3"},
    )
    assert refused.status_code == 422 and "has not started yet" in refused.text


def test_the_spasm_form_rates_each_thing_tried_with_radio_buttons(client: TestClient) -> None:
    """One labelled 0-10 radio group per remedy, "Not sure" until a number is chosen; the
    ratings are stored as the API's own 0-10 relief and feed "what helps"."""
    headers = _owner(client, "relief@example.com")
    form = client.get("/diary/episodes/new").text
    assert "<select" not in form
    values = re.findall(r'<input type="radio" name="relief_heat" value="([^"]*)"', form)
    assert values == [*(str(n) for n in range(11)), ""]
    assert re.search(r'name="relief_heat" value="" checked>Not sure', form)
    legend = '<legend><span class="visually-hidden">Heat: </span>How much did it help?</legend>'
    assert legend in form
    logged = log_spasm(
        client,
        remedies=["heat", "ice"],
        relief_heat="7",
        relief_ice="",
        relief_stretching="4",  # rated but not ticked as tried: left out
    )
    assert logged.status_code == 303, logged.text
    (stored,) = client.get("/api/v1/diary/episodes", headers=headers).json()
    assert stored["remedies"] == [
        {"remedy": "heat", "relief": 7},
        {"remedy": "ice", "relief": None},
    ]
    helps = client.get("/api/v1/diary/insights", headers=headers).json()["what_helps"]
    assert {h["remedy"]: h["mean_relief"] for h in helps} == {"heat": 7.0, "ice": None}
    edit = client.get(f"/diary/episodes/{stored['id']}").text
    assert re.search(r'name="relief_heat" value="7" checked>', edit)
    assert re.search(r'name="relief_ice" value="" checked>Not sure', edit)


def test_a_wrong_rating_names_the_remedy(client: TestClient) -> None:
    sign_up(client, "bad-relief@example.com")
    refused = log_spasm(
        client, remedies=["heat", "paracetamol"], relief_heat="11", relief_paracetamol="a lot"
    )
    assert refused.status_code == 422
    assert "What you tried: choose how much heat helped, from 0 to 10" in refused.text
    assert "choose how much paracetamol (acetaminophen) helped, from 0 to 10" in refused.text
    assert re.search(r'<fieldset class="remedies" aria-invalid="true"', refused.text)
    assert re.search(r'name="remedies" value="heat" checked', refused.text)  # kept
