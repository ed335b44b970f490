"""No personal data or secrets in the server's logs: a full run of a real server process
(sign-up, a failed login, a story, the diary, a clinic invitation and request, errors),
then its whole log is searched for each of them."""

from __future__ import annotations

import re
from pathlib import Path

import httpx2 as httpx

from tests.web.live_server import running_server

EMAIL = "priya.shah.loggable@example.com"
PASSWORD = "violet-harbour-lantern-42"
WRONG = "another-secret-attempt-99"
STORY = "I am 47 and my middle back seized up while gardening with Theodore"
NOTE = "Spasm after carrying Aunt Hildegard's suitcase"
NAME = "Priya Quentin Shah"


def _csrf(client: httpx.Client) -> str:
    if "spasmcare_csrf" not in client.cookies:
        client.get("/")
    return str(client.cookies["spasmcare_csrf"])


def test_a_full_run_logs_nothing_personal(tmp_path: Path) -> None:
    server = running_server(f"sqlite:///{tmp_path / 'logs.db'}", tmp_path)
    with server as base, httpx.Client(base_url=base, follow_redirects=True) as person:
        person.post(
            "/signup", data={"csrf_token": _csrf(person), "email": EMAIL, "password": PASSWORD}
        )
        person.post("/logout", data={"csrf_token": _csrf(person)})
        person.post("/login", data={"csrf_token": _csrf(person), "email": EMAIL, "password": WRONG})
        person.post(
            "/login", data={"csrf_token": _csrf(person), "email": EMAIL, "password": PASSWORD}
        )
        person.post("/check/start", data={"csrf_token": _csrf(person), "story": STORY})
        person.post("/ask", data={"csrf_token": _csrf(person), "question": STORY})
        person.post(
            "/diary/episodes",
            data={
                "csrf_token": _csrf(person),
                "locations": "mid",
                "intensity": "6",
                "notes": NOTE,
            },
        )
        person.get("/diary/checkin", params={"day": "2026-11-01"})
        person.post("/clinics", data={"csrf_token": _csrf(person), "name": "Log Clinic"})
        clinic = re.search(r"/clinics/([\w-]+)/queue", person.get("/clinics").text)
        assert clinic
        invite = person.post(
            f"/clinics/{clinic.group(1)}/invitations", data={"csrf_token": _csrf(person)}
        )
        token = re.search(r"/invitations/([\w-]+)", invite.text)
        assert token
        person.get(f"/invitations/{token.group(1)}")
        person.post("/api/v1/extract", json={"text": NOTE})
        person.post("/api/v1/assessments", json={"findings": {"age": "forty", "note": NOTE}})
        person.get("/api/v1/diary/episodes", headers={"Authorization": f"Bearer sc_{PASSWORD}"})
    log = (tmp_path / "server.log").read_text()
    assert "access:" in log  # the log is really there
    secrets = [EMAIL, EMAIL.split("@")[0], PASSWORD, WRONG, STORY, "Theodore", NOTE, "Hildegard"]
    for secret in [*secrets, NAME, token.group(1)]:
        assert secret not in log, secret
