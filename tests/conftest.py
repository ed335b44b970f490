"""Shared fixtures: the real packaged knowledge base and the benchmark files."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from spasmcare.knowledge.base import KnowledgeBase
from spasmcare.knowledge.loader import default_knowledge

DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return default_knowledge()


@pytest.fixture(scope="session")
def dev_vignettes_path() -> Path:
    return DATA / "dev_vignettes.yaml"


@pytest.fixture(scope="session")
def spec_dir() -> Path:
    return DATA / "spec"


def absent_bools(kb: KnowledgeBase) -> dict[str, object]:
    return {code: False for code, f in kb.findings.items() if f.type == "bool"}


@pytest.fixture(autouse=True)
def private_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Every test gets its own data folder: nothing is ever written to the user's."""
    from spasmcare.settings import get_settings

    folder = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("SPASMCARE_DATA_DIR", str(folder))
    get_settings.cache_clear()
    yield folder
    get_settings.cache_clear()


def require_tool(name: str) -> str:
    """A command-line tool the test needs; on CI it must be there, elsewhere skip clearly."""
    found = shutil.which(name)
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail(f"{name} is not installed; .ci/run installs it")
    pytest.skip(f"{name} is not installed (apt-get install -y poppler-utils)")
