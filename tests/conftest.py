"""Shared fixtures: the real packaged knowledge base and the benchmark files."""

from __future__ import annotations

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
