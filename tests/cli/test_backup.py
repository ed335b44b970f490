"""`spasmcare backup` and `spasmcare restore` on the default SQLite file: a round trip."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def _spasmcare(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "spasmcare", *args], capture_output=True, text=True, check=False
    )


def test_backup_and_restore_round_trip(private_data_dir: Path, tmp_path: Path) -> None:
    assert (
        _spasmcare("log", "-i", "4", "-w", "lower", "--note", "before the backup").returncode == 0
    )
    saved = tmp_path / "backup.db"
    made = _spasmcare("backup", str(saved))
    assert made.returncode == 0, made.stderr
    assert saved.stat().st_size > 0
    assert _spasmcare("log", "-i", "9", "-w", "mid", "--note", "after the backup").returncode == 0
    again = _spasmcare("backup", str(saved))
    assert again.returncode == 2 and "already exists" in again.stderr  # never overwritten
    done = _spasmcare("restore", str(saved), "--yes")
    assert done.returncode == 0, done.stderr
    exported = tmp_path / "diary.json"
    assert _spasmcare("diary", "export", "-o", str(exported)).returncode == 0
    text = exported.read_text()
    assert "before the backup" in text and "after the backup" not in text


def test_restore_refuses_what_is_not_a_backup(private_data_dir: Path, tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database")
    refused = _spasmcare("restore", str(junk), "--yes")
    assert refused.returncode == 2
    assert "not a SpasmCare database" in refused.stderr
    missing = _spasmcare("restore", str(tmp_path / "nope.db"), "--yes")
    assert missing.returncode == 2 and "is not a file" in missing.stderr


def test_postgresql_backups_point_to_pg_dump(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv(
        "SPASMCARE_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
    answer = _spasmcare("backup", str(tmp_path / "x.db"))
    assert answer.returncode == 2 and "pg_dump" in answer.stderr
