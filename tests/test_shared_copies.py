from __future__ import annotations

import pytest

from tests.conftest import DATA, SHARED

COPIES = {
    "spec/findings.yaml": "spec/findings.yaml",
    "spec/conditions.yaml": "spec/conditions.yaml",
    "dev_vignettes.yaml": "vignettes/dev.yaml",
    "dev_questions.yaml": "questions/dev.yaml",
}


@pytest.mark.parametrize(("copy", "original"), COPIES.items())
def test_copy_matches_shared(copy: str, original: str) -> None:
    source = SHARED / original
    if not source.exists():
        pytest.skip(f"{source} is not on this machine; the committed copy is used as is")
    assert (DATA / copy).read_bytes() == source.read_bytes(), (
        f"tests/data/{copy} drifted from shared/{original}"
    )
