"""Faults on real server processes and databases: SIGKILL in the middle of writes, the
database going away and coming back, a read-only database and a full disk."""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from spasmcare.services import accounts
from spasmcare.settings import Settings
from spasmcare.storage.database import dispose_engines, engine_for, session_factory, transaction
from spasmcare.storage.migrate import upgrade
from spasmcare.web.app import create_app
from tests.web.conftest import api_token, sign_up
from tests.web.live_server import ServerProcess, free_port


def _owner_token(database_url: str, email: str) -> str:
    engine = engine_for(database_url)
    upgrade(engine)
    with transaction(session_factory(engine)) as session:
        user = accounts.sign_up(session, email, "a resilient password")
        token = accounts.create_api_token(session, user, "faults").token
    dispose_engines()
    return token


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'faults.db'}"
    url: str = request.getfixturevalue("postgresql_url")
    return url


def test_sigkill_never_loses_an_acknowledged_entry(database: str, tmp_path: Path) -> None:
    """Writes go on from two threads while the server is killed with SIGKILL at random
    moments and started again: every entry that got a 201 is there afterwards, whole."""
    token = _owner_token(database, f"kill-{tmp_path.name}@example.com")
    server = ServerProcess(database, tmp_path)
    server.start()
    acknowledged: dict[str, dict[str, object]] = {}
    lock = threading.Lock()
    stop = threading.Event()
    rng = random.Random(7)

    def writer(number: int) -> None:
        with httpx.Client(base_url=server.base, timeout=5) as client:
            sequence = 0
            while not stop.is_set():
                sequence += 1
                note = f"writer {number} entry {sequence} " + "x" * rng.randint(0, 2000)
                body = {
                    "started_at": "2026-03-01T09:00:00+00:00",
                    "timezone": "Europe/London",
                    "locations": ["mid"],
                    "intensity": sequence % 11,
                    "notes": note,
                    "remedies": [{"remedy": "heat", "relief": sequence % 11}],
                }
                try:
                    response = client.post(
                        "/api/v1/diary/episodes",
                        json=body,
                        headers={"Authorization": f"Bearer {token}"},
                    )
                except httpx.HTTPError:
                    time.sleep(0.05)  # the server is down: try again
                    continue
                if response.status_code == 201:
                    with lock:
                        acknowledged[response.json()["id"]] = body

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    try:
        for _ in range(5):
            time.sleep(rng.uniform(0.3, 1.2))
            server.kill()
            time.sleep(0.2)
            server.start()
        time.sleep(0.5)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    assert len(acknowledged) > 20
    with httpx.Client(base_url=server.base, timeout=30) as client:
        stored = client.get(
            "/api/v1/diary/episodes", headers={"Authorization": f"Bearer {token}"}
        ).json()
    server.stop()
    by_id = {entry["id"]: entry for entry in stored}
    missing = [ident for ident in acknowledged if ident not in by_id]
    assert missing == [], f"acknowledged entries missing: {missing}"
    for entry in stored:  # nothing half-written: every stored entry is a whole one
        assert entry["notes"].startswith("writer ")
        number = int(entry["notes"].split()[3])
        assert entry["intensity"] == number % 11
        assert entry["remedies"] == [{"remedy": "heat", "relief": number % 11}]


@dataclass
class PrivatePostgres:
    """A PostgreSQL cluster of this test's own, so stopping it disturbs nothing else."""

    folder: Path
    port: int
    bin_dir: Path

    def _run(self, *args: str) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *args], check=True, capture_output=True, timeout=60
        )

    def start(self) -> None:
        self._run(
            str(self.bin_dir / "pg_ctl"), "-D", str(self.folder / "data"), "-w", "-l",
            str(self.folder / "pg.log"), "-o",
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1", "start",
        )  # fmt: skip

    def stop(self) -> None:
        self._run(
            str(self.bin_dir / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate", "stop"
        )

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres?connect_timeout=3"


@pytest.fixture
def private_postgres(tmp_path: Path) -> Iterator[PrivatePostgres]:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found or shutil.which("runuser") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL server binaries are required on CI")
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    # Somewhere the postgres user can reach (pytest's own folders are private to root).
    folder = Path(tempfile.mkdtemp(prefix="spasmcare-pg-", dir="/tmp"))
    folder.chmod(0o755)
    shutil.chown(folder, "postgres", "postgres")
    cluster = PrivatePostgres(folder, free_port(), Path(found[-1]).parent)
    cluster._run(
        str(cluster.bin_dir / "initdb"), "-D", str(folder / "data"), "-A", "trust", "-U", "postgres"
    )
    cluster.start()
    yield cluster
    with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
        cluster.stop()
    shutil.rmtree(folder, ignore_errors=True)


def test_postgresql_going_away_and_coming_back(
    private_postgres: PrivatePostgres, tmp_path: Path
) -> None:
    token = _owner_token(private_postgres.url, "outage@example.com")
    server = ServerProcess(private_postgres.url, tmp_path)
    server.start()
    headers = {"Authorization": f"Bearer {token}"}
    body = {"started_at": "2026-03-01T09:00:00+00:00", "locations": ["mid"], "intensity": 4}
    try:
        with httpx.Client(base_url=server.base, timeout=20) as client:
            assert (
                client.post("/api/v1/diary/episodes", json=body, headers=headers).status_code == 201
            )
            private_postgres.stop()
            down = client.post("/api/v1/diary/episodes", json=body, headers=headers)
            assert down.status_code == 503
            assert "database is not reachable" in down.json()["error"]
            assert down.headers["retry-after"] == "30"
            assert client.get("/readyz").status_code == 503
            assert client.get("/healthz").status_code == 200  # the process itself is fine
            client.cookies.set("spasmcare_session", "anything")
            page = client.get("/diary")
            assert page.status_code == 503 and "call the emergency number now" in page.text
            anonymous = client.post("/api/v1/assessments", json={"findings": {"age": 30}})
            assert anonymous.status_code == 200  # needs no database at all
            private_postgres.start()
            deadline = time.monotonic() + 20
            while client.get("/readyz").status_code != 200:  # no restart of the server
                assert time.monotonic() < deadline, "the server did not recover"
                time.sleep(0.3)
            assert (
                client.post("/api/v1/diary/episodes", json=body, headers=headers).status_code == 201
            )
            listed = client.get("/api/v1/diary/episodes", headers=headers).json()
            assert len(listed) == 2
    finally:
        server.stop()


def test_a_read_only_database_says_so(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    writable = Settings(data_dir=tmp_path, database_url=f"sqlite:///{path}", migrate_on_start=True)
    with TestClient(create_app(writable)) as client:
        sign_up(client, "readonly@example.com")
        token = api_token(client)
    dispose_engines()
    read_only = Settings(
        data_dir=tmp_path,
        database_url=f"sqlite:///file:{path}?mode=ro&uri=true",
        migrate_on_start=False,
    )
    with TestClient(create_app(read_only), raise_server_exceptions=False) as client:
        headers = {"Authorization": f"Bearer {token}"}
        body = {"started_at": "2026-03-01T09:00:00+00:00", "locations": ["mid"], "intensity": 4}
        response = client.post("/api/v1/diary/episodes", json=body, headers=headers)
        assert response.status_code == 503
        assert "read-only" in response.json()["error"]
        # Every transaction takes SQLite's write lock first, so reads say the same.
        again = client.get("/api/v1/diary/episodes", headers=headers)
        assert again.status_code == 503 and "read-only" in again.json()["error"]
        saving = client.post("/api/v1/assessments", json={"findings": {"age": 30}}, headers=headers)
        assert saving.status_code == 503 and "read-only" in saving.json()["error"]
        # Checking without an account needs no database and still works.
        anonymous = client.post("/api/v1/assessments", json={"findings": {"age": 30}})
        assert anonymous.status_code == 200
    dispose_engines()


def test_a_full_disk_says_so_and_keeps_what_was_stored(tmp_path: Path) -> None:
    """SQLite's own 'database or disk is full', reached by capping the file's size."""
    url = f"sqlite:///{tmp_path / 'full.db'}"
    settings = Settings(data_dir=tmp_path, database_url=url, migrate_on_start=True)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        sign_up(client, "full@example.com")
        headers = {"Authorization": f"Bearer {api_token(client)}"}
        body = {"started_at": "2026-03-01T09:00:00+00:00", "locations": ["mid"], "intensity": 4}
        assert client.post("/api/v1/diary/episodes", json=body, headers=headers).status_code == 201
        engine = engine_for(url)
        with engine.connect() as connection:
            pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
        engine.dispose()
        event.listen(
            engine,
            "connect",
            lambda connection, _record: connection.execute(f"PRAGMA max_page_count = {pages}"),
        )
        refused = None
        for n in range(200):
            big = {**body, "notes": f"{n} " + "y" * 1900}
            response = client.post("/api/v1/diary/episodes", json=big, headers=headers)
            if response.status_code != 201:
                refused = response
                break
        assert refused is not None and refused.status_code == 503
        assert "disk is full" in refused.json()["error"]
        assert client.get("/api/v1/diary/episodes", headers=headers).status_code == 200
    dispose_engines()


def test_many_concurrent_requests_never_deadlock(tmp_path: Path) -> None:
    """Found by the soak: with SQLite's single connection, a request that kept it while
    waiting for a worker thread could leave every thread waiting for the connection, until
    the pool gave up after a minute. Forty signed-in requests at once must all succeed."""
    url = f"sqlite:///{tmp_path / 'crowd.db'}"
    token = _owner_token(url, "crowd@example.com")
    server = ServerProcess(url, tmp_path)
    server.start()
    headers = {"Authorization": f"Bearer {token}"}
    episode = {"started_at": "2026-03-01T09:00:00+00:00", "locations": ["mid"], "intensity": 4}
    check = {"findings": {"age": 45, "pain_mid_back": True}}
    results: list[int] = []

    def one(n: int) -> None:
        with httpx.Client(base_url=server.base, timeout=40) as client:
            if n % 4 == 0:
                response = client.post("/api/v1/diary/episodes", json=episode, headers=headers)
            elif n % 4 == 1:
                response = client.post("/api/v1/assessments", json=check, headers=headers)
            elif n % 4 == 2:
                response = client.get("/api/v1/diary/insights", headers=headers)
            else:
                response = client.get("/api/v1/diary/report.pdf", headers=headers)
            results.append(response.status_code)

    try:
        started = time.monotonic()
        threads = [threading.Thread(target=one, args=(n,)) for n in range(40)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        elapsed = time.monotonic() - started
    finally:
        server.stop()
    assert sorted(set(results)) in ([200, 201], [201, 200]) and len(results) == 40, results
    assert elapsed < 30, f"took {elapsed:.0f} s: requests queued behind a held connection"
