"""Fuzzing with Hypothesis: whatever arrives, the knowledge-base loader, the diary CSV
importer, the FHIR importer and the free-text reader either work or raise their
documented validation error; nothing else escapes."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spasmcare.diary import transfer
from spasmcare.diary.vocabulary import diary_vocabulary
from spasmcare.engine.findings import validate_findings
from spasmcare.errors import DiaryImportError, KnowledgeBaseError
from spasmcare.fhir import read_patient_bundle
from spasmcare.knowledge.loader import default_data_dir, default_knowledge, load_knowledge
from spasmcare.narrative.extract import extract

# The packaged knowledge, not a pytest fixture: Hypothesis prints the arguments of a
# failing example, and the knowledge base's repr is far too large to print.
kb = default_knowledge()
FAST = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
json_values = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=False) | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)


@FAST
@given(text=st.text(max_size=400))
def test_the_free_text_reader_never_crashes(text: str) -> None:
    found = extract(text, kb).findings
    validate_findings(found, kb)  # whatever it reads is a valid finding


@FAST
@given(
    rows=st.lists(st.lists(st.text(max_size=15), max_size=16), max_size=8),
    kind=st.sampled_from(["episodes", "checkins"]),
    real_header=st.booleans(),
)
def test_the_csv_importer_accepts_or_names_the_problem(
    rows: list[list[str]], kind: str, real_header: bool
) -> None:
    columns = transfer.EPISODE_COLUMNS if kind == "episodes" else transfer.CHECKIN_COLUMNS
    lines = ([",".join(columns)] if real_header else []) + [
        ",".join(cell.replace("\n", " ") for cell in row) for row in rows
    ]
    try:
        transfer.read_csv("\n".join(lines), kind, diary_vocabulary(kb), kb)  # type: ignore[arg-type]
    except DiaryImportError as error:
        assert error.problems


@FAST
@given(noise=json_values, entries=st.lists(json_values, max_size=4))
def test_the_fhir_importer_accepts_or_names_the_problem(
    noise: object, entries: list[object]
) -> None:
    for bundle in (
        noise,
        {
            "resourceType": "Bundle",
            "type": "collection",
            "entry": [{"resource": e} for e in entries],
        },
    ):
        try:
            read_patient_bundle(bundle, kb)  # type: ignore[arg-type]
        except DiaryImportError as error:
            assert error.problems


_FILES = ["findings.yaml", "conditions.yaml", "red_flags.yaml", "triage_levels.yaml",
          "interview.yaml", "sources.yaml", "care/exercises.yaml"]  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    name=st.sampled_from(_FILES),
    content=st.one_of(json_values, st.text(max_size=200)),
)
def test_the_knowledge_loader_accepts_or_lists_problems(
    name: str, content: object, tmp_path_factory
) -> None:  # type: ignore[no-untyped-def]
    """A knowledge file replaced by anything (random YAML or random text) is either read
    or refused with KnowledgeBaseError listing the problems."""
    folder = tmp_path_factory.mktemp("kb")
    shutil.copytree(Path(str(default_data_dir())), folder, dirs_exist_ok=True)
    target = folder / name
    target.write_text(content if isinstance(content, str) else yaml.safe_dump(content), "utf-8")
    try:
        load_knowledge(folder)
    except KnowledgeBaseError as error:
        assert error.problems


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(name=st.sampled_from(_FILES), data=st.data())
def test_the_knowledge_loader_survives_a_damaged_entry(
    name: str, data: st.DataObject, tmp_path_factory
) -> None:  # type: ignore[no-untyped-def]
    """One value inside a real file replaced by something of the wrong kind."""
    folder = tmp_path_factory.mktemp("kb")
    shutil.copytree(Path(str(default_data_dir())), folder, dirs_exist_ok=True)
    document = yaml.safe_load((folder / name).read_text("utf-8"))
    node: object = document
    path: list[object] = []
    for _ in range(3):
        if isinstance(node, dict) and node:
            key = data.draw(st.sampled_from(sorted(node, key=str)))
        elif isinstance(node, list) and node:
            key = data.draw(st.integers(0, len(node) - 1))
        else:
            break
        path.append(key)
        node = node[key]  # type: ignore[index]
    if not path:
        return
    parent: object = document
    for key in path[:-1]:
        parent = parent[key]  # type: ignore[index]
    parent[path[-1]] = data.draw(json_values)  # type: ignore[index]
    (folder / name).write_text(yaml.safe_dump(document), "utf-8")
    try:
        load_knowledge(folder)
    except KnowledgeBaseError as error:
        assert error.problems
