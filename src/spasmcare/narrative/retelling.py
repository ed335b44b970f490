"""Stories told of someone else: "My grandmother has osteoporosis and she slipped; now her
back hurts." The lexicon's patterns are written in the first person ("my back", "I can't
feel"), and a relative named with a condition reads as family history ("my mum has
osteoporosis"). So such a story is first recognised, then read as if that person had told
it: "i have osteoporosis and i slipped; now my back hurts".

The words come from lexicon.yaml (`someone_else`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def _words(words: list[str] | dict[str, str]) -> str:
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


@dataclass(frozen=True)
class Retelling:
    person: re.Pattern[str]  # "my mum", "our 9-year-old son", "my dad's"
    writer: re.Pattern[str]  # the writer's own I, me, my (not "my mum")
    their_body: re.Pattern[str]  # "her back", "his left leg"
    writer_body: re.Pattern[str]  # "my back"
    them: re.Pattern[str]  # she, he, her, his, him, or a body word: the story is of a body
    pronouns: re.Pattern[str]
    as_if_told: dict[str, str]
    verbs: re.Pattern[str]
    first_person_verbs: dict[str, str]

    @classmethod
    def build(
        cls,
        people: list[str],
        describing: list[str],
        body: list[str],
        as_if_told: dict[str, str],
        first_person_verbs: dict[str, str],
    ) -> Retelling:
        filler = rf"(?:(?:\d+|[a-z]+-year-old|{_words(describing)})[\s-]+){{0,3}}"
        named = rf"(?:my|our)\s+{filler}(?:{_words(people)})s?\b"
        parts = rf"(?:(?:left|right|lower|upper|low|mid|middle|whole)\s+)?(?:{_words(body)})\b"
        return cls(
            person=re.compile(rf"\b{named}(?:'s)?"),
            writer=re.compile(rf"\b(?:i|i'm|i've|i'd|i'll|me|myself|mine)\b|\b(?!{named})my\b"),
            their_body=re.compile(rf"\b(?:his|her)\s+{parts}"),
            writer_body=re.compile(rf"\bmy\s+{parts}"),
            them=re.compile(rf"\b(?:she|he|her|his|him|herself|himself|{_words(body)})\b"),
            pronouns=re.compile(rf"\b(?:{_words(as_if_told)})\b(?!')"),
            as_if_told=as_if_told,
            verbs=re.compile(rf"\b(?:{_words(first_person_verbs)})\b(?!')"),
            first_person_verbs=first_person_verbs,
        )

    def tells_of_someone_else(self, text: str) -> bool:
        """Whether a story is about someone the writer names ("my dad"), not the writer:
        it speaks of their body and not the writer's ("his back", never "my back"), or the
        writer never speaks of themselves while it speaks of that person or a body ("my son
        is 9 and has back pain"). "My dad had a heart attack; I have back pain" is the
        writer's, with a family history; "My mum had breast cancer." says nothing more."""
        if not self.person.search(text):
            return False
        if self.their_body.search(text) and not self.writer_body.search(text):
            return True
        return not self.writer.search(text) and bool(self.them.search(text))

    def in_first_person(self, text: str) -> str:
        """The story as if the person it is about had told it."""

        def person(match: re.Match[str]) -> str:
            return "my" if match.group(0).endswith("'s") else "i"

        told = self.person.sub(person, text)
        told = self.pronouns.sub(lambda m: self.as_if_told[m.group(0)], told)
        return self.verbs.sub(lambda m: self.first_person_verbs[m.group(0)], told)
