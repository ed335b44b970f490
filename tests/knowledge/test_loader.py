"""The packaged knowledge base loads, and broken knowledge is refused with a precise message."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from spasmcare.errors import KnowledgeBaseError
from spasmcare.knowledge.base import KnowledgeBase
from spasmcare.knowledge.checks import spec_problems
from spasmcare.knowledge.loader import DATA_FILES, default_data_dir, load_knowledge


def test_packaged_knowledge_loads(kb: KnowledgeBase) -> None:
    assert re.fullmatch(r"\d{4}\.\d+\.\d+\+[0-9a-f]{10}", kb.version)
    assert len(kb.conditions) >= 24
    assert all(rule.sources for rule in kb.rules)
    assert all(condition.sources for condition in kb.conditions.values())


def test_matches_the_public_contract(kb: KnowledgeBase, spec_dir: Path) -> None:
    assert spec_problems(kb, spec_dir) == []


def test_every_source_is_cited_somewhere_or_is_a_seed(kb: KnowledgeBase) -> None:
    cited = set(kb.finding_sources)
    for condition in kb.conditions.values():
        cited |= set(condition.sources)
    for rule in kb.rules:
        cited |= set(rule.sources)
    seeds = {sid for sid, source in kb.sources.items() if source.kind == "seed"}
    assert seeds <= set(kb.sources)
    assert cited <= set(kb.sources)


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    folder = default_data_dir()
    for name in DATA_FILES:
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text((folder / name).read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


def _edit(folder: Path, name: str, change: object) -> None:
    path = folder / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)  # type: ignore[operator]
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def _problems(folder: Path) -> str:
    with pytest.raises(KnowledgeBaseError) as raised:
        load_knowledge(folder)
    return raised.value.message


def test_copy_loads_unchanged(knowledge_copy: Path) -> None:
    assert load_knowledge(knowledge_copy).conditions.keys() == load_knowledge().conditions.keys()


def test_unknown_key_is_refused(knowledge_copy: Path) -> None:
    _edit(knowledge_copy, "conditions.yaml", lambda d: d["muscle_strain"].update({"priorr": 1}))
    assert "conditions.yaml: muscle_strain.priorr" in _problems(knowledge_copy)


def test_probability_out_of_range_is_refused(knowledge_copy: Path) -> None:
    _edit(
        knowledge_copy,
        "conditions.yaml",
        lambda d: d["muscle_strain"]["likelihoods"].update({"fever": 1.5}),
    )
    assert "muscle_strain.likelihoods.fever" in _problems(knowledge_copy)


def test_unknown_source_is_refused(knowledge_copy: Path) -> None:
    _edit(
        knowledge_copy,
        "red_flags.yaml",
        lambda d: d["rules"][0].update({"sources": ["made-up-source"]}),
    )
    assert "cites unknown source 'made-up-source'" in _problems(knowledge_copy)


def test_unknown_finding_in_rule_is_refused(knowledge_copy: Path) -> None:
    _edit(
        knowledge_copy, "red_flags.yaml", lambda d: d["rules"][0].update({"when": "saddle_numbnes"})
    )
    assert "unknown finding code 'saddle_numbnes'" in _problems(knowledge_copy)


def test_negating_a_warning_sign_is_refused(knowledge_copy: Path) -> None:
    def negate(data: dict[str, list[dict[str, object]]]) -> None:
        data["rules"][-1]["when"] = {"all": ["age < 12", {"not": "fever"}]}

    _edit(knowledge_copy, "red_flags.yaml", negate)
    assert "'fever' raises urgency elsewhere, so it cannot be negated" in _problems(knowledge_copy)


def test_choice_table_must_add_up(knowledge_copy: Path) -> None:
    def skew(data: dict[str, dict[str, dict[str, object]]]) -> None:
        data["kidney_stone"]["likelihoods"]["pain_one_side"] = {
            "left": 0.9,
            "right": 0.9,
            "both": 0.1,
            "central": 0.1,
        }

    _edit(knowledge_copy, "conditions.yaml", skew)
    assert "'pain_one_side' probabilities add up to 2.000" in _problems(knowledge_copy)


def test_missing_file_is_reported(knowledge_copy: Path) -> None:
    (knowledge_copy / "red_flags.yaml").unlink()
    assert "red_flags.yaml: file is missing" in _problems(knowledge_copy)


def test_invalid_yaml_is_reported(knowledge_copy: Path) -> None:
    (knowledge_copy / "sources.yaml").write_text("sources: [unclosed", encoding="utf-8")
    assert "sources.yaml: not valid YAML" in _problems(knowledge_copy)


def test_spec_problems_detect_a_dropped_code(
    kb: KnowledgeBase, spec_dir: Path, tmp_path: Path
) -> None:
    shutil.copytree(spec_dir, tmp_path / "spec")
    findings = tmp_path / "spec" / "findings.yaml"
    findings.write_text(
        findings.read_text() + "\nextra:\n  brand_new_code: {type: bool, means: x}\n"
    )
    assert spec_problems(kb, tmp_path / "spec") == [
        "spec finding 'brand_new_code' is missing from the knowledge base"
    ]


def test_unknown_care_tag_is_refused(knowledge_copy: Path) -> None:
    _edit(
        knowledge_copy,
        "care/treatments.yaml",
        lambda d: d["treatments"][0].update({"applies_to": ["muscles"]}),
    )
    assert "unknown care tag 'muscles'" in _problems(knowledge_copy)


def test_too_few_exercises_is_refused(knowledge_copy: Path) -> None:
    _edit(
        knowledge_copy, "care/exercises.yaml", lambda d: d.update({"exercises": d["exercises"][:3]})
    )
    assert "care/exercises.yaml: exercises" in _problems(knowledge_copy)


def test_a_question_for_someone_else_that_still_says_you_is_refused(
    knowledge_copy: Path,
) -> None:
    def drop_the_you_rewrite(data: dict[str, dict[str, list[dict[str, str]]]]) -> None:
        rewrites = data["someone_else"]["rewrites"]
        rewrites[:] = [rule for rule in rewrites if rule["you"] != r"\byou\b"]

    _edit(knowledge_copy, "interview.yaml", drop_the_you_rewrite)
    problem = _problems(knowledge_copy)
    assert "findings.yaml fever: asked about someone else it still says 'you'" in problem
    assert "findings.yaml age:" not in problem  # it has wording of its own


def test_a_rewrite_that_is_not_a_regular_expression_is_refused(knowledge_copy: Path) -> None:
    _edit(
        knowledge_copy,
        "interview.yaml",
        lambda d: d["someone_else"]["rewrites"].append({"you": "(you", "them": "they"}),
    )
    assert "is not a valid regular expression" in _problems(knowledge_copy)
