"""The answers of a check in progress, carried in a hidden form field between pages."""

from __future__ import annotations

import json
from typing import Any

from spasmcare.engine.findings import validate_findings
from spasmcare.errors import InvalidFindingError
from spasmcare.knowledge.base import KnowledgeBase


class Answers:
    """The answers so far, every question already asked (a "don't know" is asked but not
    answered), how many of those were read from the person's story, and whether the check
    is for someone else (a child, a parent), whom the questions then ask about."""

    def __init__(
        self,
        answers: dict[str, Any],
        asked: list[str],
        from_story: int = 0,
        for_someone_else: bool = False,
    ) -> None:
        self.answers = answers
        self.asked = asked
        self.from_story = from_story
        self.for_someone_else = for_someone_else

    @property
    def questions_answered(self) -> int:
        return max(0, len(self.asked) - self.from_story)

    @classmethod
    def decode(cls, raw: str, kb: KnowledgeBase) -> Answers:
        try:
            data = json.loads(raw)
            answers, asked, from_story = data["answers"], data["asked"], data.get("story", 0)
            for_someone_else = data.get("other", False)
            if not isinstance(answers, dict) or not isinstance(asked, list):
                raise TypeError
            if not isinstance(for_someone_else, bool):
                raise TypeError
            if not isinstance(from_story, int) or not 0 <= from_story <= len(asked):
                raise TypeError
            if not all(isinstance(code, str) and code in kb.findings for code in asked):
                raise TypeError
        except (ValueError, KeyError, TypeError):
            raise InvalidFindingError(
                "state", "the answers of this check could not be read", "start the check again"
            ) from None
        return cls(dict(validate_findings(answers, kb)), asked, from_story, for_someone_else)

    def encode(self) -> str:
        data = {"answers": self.answers, "asked": self.asked, "story": self.from_story}
        if self.for_someone_else:
            data["other"] = True
        return json.dumps(data, separators=(",", ":"))
