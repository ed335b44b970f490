"""Ask picks the article written for the person asking: children's, pregnancy and older-age
articles answer questions about those people, and only those."""

from __future__ import annotations

import pytest

from spasmcare.ask.answer import ask
from spasmcare.knowledge.base import KnowledgeBase

CHILDREN = "back-pain-in-children-and-teenagers"
PREGNANCY = "back-spasms-in-pregnancy"
OLDER = "back-spasms-in-older-age"


def _article(question: str, kb: KnowledgeBase) -> str:
    answer = ask(question, kb)
    assert answer.found and answer.citations, question
    return answer.citations[0].id.split("#")[0]


@pytest.mark.parametrize(
    ("question", "article"),
    [
        ("my 12 year old son has back pain after football, should he see a doctor", CHILDREN),
        ("is back pain common in teenagers", CHILDREN),
        ("I'm 20 weeks pregnant, can I take ibuprofen for my back spasm?", PREGNANCY),
        ("my grandmother is 84 and has a back spasm, can she use a heat pad", OLDER),
    ],
)
def test_a_question_about_one_group_is_answered_from_its_article(
    question: str, article: str, kb: KnowledgeBase
) -> None:
    assert _article(question, kb) == article


def test_an_adult_is_not_answered_from_the_childrens_article(kb: KnowledgeBase) -> None:
    answer = ask("when should I see a doctor for mid back pain", kb)
    assert answer.citations
    assert not [c for c in answer.citations if c.id.startswith(CHILDREN)]


def test_a_stated_age_rules_the_older_age_article_out(kb: KnowledgeBase) -> None:
    """'12 year old' shares the word 'old' with older age; the age itself decides."""
    answer = ask("my 12 year old has a sore back, can he use a heat pad", kb)
    assert not [c for c in answer.citations if c.id.startswith(OLDER)]
