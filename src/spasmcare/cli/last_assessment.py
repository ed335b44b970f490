"""The CLI remembers the findings of the last assessment, so `spasmcare plan` can follow
`spasmcare assess`. Written atomically: an interrupted write never leaves a broken file."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from spasmcare.errors import InvalidFindingError
from spasmcare.settings import get_settings


def _path() -> Path:
    return get_settings().data_dir / "last_assessment.json"


def save(findings: dict[str, object]) -> Path:
    path = _path()
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".last-", suffix=".json")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        json.dump({"findings": findings}, stream, indent=2, sort_keys=True)
    Path(temporary).replace(path)
    return path


def load() -> dict[str, object]:
    path = _path()
    if not path.exists():
        raise InvalidFindingError(
            "--findings",
            "no assessment yet",
            "run `spasmcare assess` first, or pass --findings FILE_OR_JSON",
        )
    data = json.loads(path.read_text(encoding="utf-8"))
    findings = data.get("findings") if isinstance(data, dict) else None
    if not isinstance(findings, dict):
        raise InvalidFindingError(
            "--findings", f"{path} is damaged", "run `spasmcare assess` again"
        )
    return findings
