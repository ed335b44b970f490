"""BM25 search over article sections (bm25s), with everyday words mapped to the articles' words."""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources

from spasmcare.ask.library import Article, Section, load_articles
from spasmcare.knowledge.base import KnowledgeBase
from spasmcare.knowledge.expressions import FindingValue, evaluate
from spasmcare.knowledge.yamlfile import load_yaml
from spasmcare.narrative.language import load_language
from spasmcare.narrative.text import normalise

_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
# Weights of an article written for one group (see SectionIndex.audience_fit).
_AUDIENCE_NAMED = 2.0
_AUDIENCE_UNSAID = 0.5
_AUDIENCE_EXCLUDED = 0.2
# A word found in more sections than this says nothing of what a question is about.
_TOPICAL_SHARE = 0.15


@dataclass(frozen=True)
class Hit:
    section: Section
    score: float


class SectionIndex:
    """Sections are indexed with their article title and heading, which carry the topic."""

    def __init__(
        self,
        articles: tuple[Article, ...],
        synonyms: dict[str, list[str]],
        not_topics: frozenset[str] = frozenset(),
        phrases: Mapping[str, list[str]] | None = None,
        other_senses: Mapping[str, list[str]] | None = None,
        respell: Callable[[str], str] = str,
    ) -> None:
        import bm25s
        import Stemmer

        self.articles = articles
        self.by_id = {article.id: article for article in articles}
        self.sections = tuple(section for article in articles for section in article.sections)
        self.synonyms = synonyms
        self.respell = respell  # puts right what people mistype ("spazms", "cant")
        self.phrases = dict(phrases or {})
        self.other_senses = {
            phrase: " ".join(words) for phrase, words in (other_senses or {}).items()
        }
        # Longest first, so a phrase is read whole before a shorter phrase inside it.
        self._other_sense = re.compile(
            "|".join(
                rf"\b{re.escape(phrase)}\b"
                for phrase in sorted(self.other_senses, key=len, reverse=True)
            )
            or r"(?!)"
        )
        self._stemmer = Stemmer.Stemmer("english")
        documents = self._tokens(
            [f"{s.article_title}. {s.heading}. {s.heading}. {s.text}" for s in self.sections]
        )
        self._bm25 = bm25s.BM25()
        self._bm25.index(documents, show_progress=False)
        # What each article is about: its title, topics and headings, without the body text.
        about = self._tokens(
            [
                " ".join([a.title, a.title, *a.topics, *(s.heading for s in a.sections)])
                for a in articles
            ]
        )
        self._articles_bm25 = bm25s.BM25()
        self._articles_bm25.index(about, show_progress=False)
        self._audience = {
            a.id: self.stems(" ".join(a.audience_words)) for a in articles if a.audience_words
        }
        self._group_only = {
            a.id: self._audience[a.id] - self._heading_words(a)
            for a in articles
            if a.audience_words
        }
        self._topics = self._topic_words(documents, about, not_topics)
        self._about = {
            a.id: set(tokens) & self._topics for a, tokens in zip(articles, about, strict=True)
        }

    def _topic_words(
        self, documents: list[list[str]], about: list[list[str]], not_topics: frozenset[str]
    ) -> frozenset[str]:
        """Words that say a question is about something the articles cover: the everyday
        words of the synonym table, and the words of article titles, topics and headings
        (``about``) that only a few sections (``documents``) use, not "back", "pain" or
        "how". Both come as the index's tokens."""
        counts: Counter[str] = Counter()
        for tokens in documents:
            counts.update(set(tokens))
        limit = _TOPICAL_SHARE * len(documents)
        headings = {token for tokens in about for token in tokens}
        rare = {token for token in headings if counts[token] <= limit}
        everyday = self.stems(" ".join(self.synonyms))
        return frozenset((rare | everyday) - self.stems(" ".join(not_topics)))

    def _heading_words(self, article: Article) -> set[str]:
        """The words that some of an article's headings use and others do not: what tells
        its sections apart ("labour" in "Back pain and labour")."""
        first, *others = [self.stems(section.heading) for section in article.sections]
        return first.union(*others) - first.intersection(*others)

    def on_topic(self, query: str, article: str | None = None) -> bool:
        """Whether the question names something the articles are about (or, given an
        article, something in that article's title, topics or headings)."""
        topics = self._topics if article is None else self._about[article]
        return bool(self.stems(self.expand(query)) & topics)

    def _tokens(self, texts: list[str]) -> list[list[str]]:
        import bm25s

        tokens: list[list[str]] = bm25s.tokenize(
            texts, stopwords="en", stemmer=self._stemmer, return_ids=False, show_progress=False
        )
        return tokens

    def read(self, query: str) -> str:
        """The question in lower case with straight apostrophes, as the tables are, common
        misspellings put right, and each phrase in which a word of the articles means
        something else put in other words: "manual labour" is work, not childbirth."""
        return self._other_sense.sub(
            lambda match: self.other_senses[match.group(0)], self.respell(normalise(query))
        )

    def expand(self, query: str) -> str:
        """The question with the articles' words for its everyday words and phrases."""
        lowered = self.read(query)
        found = [phrase for phrase in self.phrases if phrase in lowered]
        # A word inside a phrase is read with the phrase, not again on its own: "get out of
        # bed" is about getting up, and "bed" alone would add bed rest on top.
        rest = lowered
        for phrase in found:
            rest = rest.replace(phrase, " ")
        extra = [synonym for word in _WORD.findall(rest) for synonym in self.synonyms.get(word, ())]
        extra += [word for phrase in found for word in self.phrases[phrase]]
        return " ".join([lowered, *extra])

    def stems(self, text: str) -> set[str]:
        return set(self._tokens([text])[0])

    def search(self, query: str, k: int = 8) -> list[Hit]:
        tokens = self._tokens([self.expand(query)])
        if not tokens[0]:
            return []
        found, scores = self._bm25.retrieve(
            tokens, k=min(k, len(self.sections)), show_progress=False
        )
        return [
            Hit(self.sections[int(i)], float(s))
            for i, s in zip(found[0], scores[0], strict=True)
            if s > 0
        ]

    def within(self, article: Article, query: str) -> list[Hit]:
        """Every section of one article, best first, scored for the question.

        In an article written for one group, the words that name the group ("pregnant",
        "pregnancy") chose the article; they say nothing about which of its sections the
        question asks for, yet the section that repeats them most (and uses both of a word
        and its synonym) would win on them alone. So the sections are ranked first on the
        question's other words ("painkiller", and "labour", which names the group but also
        heads one section), then on all of them."""
        tokens = self._tokens([self.expand(query)])[0]
        if not tokens:
            return [Hit(section, 0.0) for section in article.sections]
        scores = self._bm25.get_scores(tokens)
        group = self._group_only.get(article.id, set())
        focused = [token for token in tokens if token not in group]
        on_focus = self._bm25.get_scores(focused) if focused else scores
        ranked = sorted(
            (i for i, section in enumerate(self.sections) if section.article == article.id),
            key=lambda i: (-float(on_focus[i]), -float(scores[i]), i),
        )
        return [Hit(self.sections[i], float(scores[i])) for i in ranked]

    def audience_fit(
        self, article: Article, query: str, findings: Mapping[str, FindingValue]
    ) -> float:
        """How much an article written for one group (children, pregnancy, older age) suits
        the question: favoured when the question names the group or states a matching fact,
        held back when it says nothing about it, and further when a stated fact excludes it."""
        words = self._audience.get(article.id)
        if words is None:
            return 1.0
        if words & self.stems(self.read(query)):
            return _AUDIENCE_NAMED
        fits = None if article.audience_when is None else evaluate(article.audience_when, findings)
        if fits is None:
            return _AUDIENCE_UNSAID
        return _AUDIENCE_NAMED if fits else _AUDIENCE_EXCLUDED

    def best_article(
        self, query: str, hits: list[Hit], findings: Mapping[str, FindingValue]
    ) -> Article | None:
        """The article that answers the question: its sections' best scores plus how well
        its title, topics and headings match, each scaled to the best candidate, weighed by
        whether the question speaks to the article's audience."""
        tokens = self._tokens([self.expand(query)])
        if not tokens[0] or not hits:
            return None
        found, scores = self._articles_bm25.retrieve(
            tokens, k=min(5, len(self.articles)), show_progress=False
        )
        about = {
            self.articles[int(i)].id: float(s) for i, s in zip(found[0], scores[0], strict=True)
        }
        by_section: dict[str, float] = {}
        for hit in hits:
            by_section[hit.section.article] = max(
                by_section.get(hit.section.article, 0.0), hit.score
            )
        top_about = max(about.values(), default=0.0) or 1.0
        top_section = max(by_section.values())
        combined = {
            article: (
                by_section.get(article, 0.0) / top_section + about.get(article, 0.0) / top_about
            )
            * self.audience_fit(self.by_id[article], query, findings)
            for article in {*about, *by_section}
        }
        best = max(sorted(combined), key=lambda article: combined[article])
        return self.by_id[best]


@functools.lru_cache(maxsize=4)
def section_index(kb: KnowledgeBase) -> SectionIndex:
    text = (resources.files("spasmcare.knowledge") / "data" / "ask" / "synonyms.yaml").read_text(
        encoding="utf-8"
    )
    data = load_yaml(text)

    def table(name: str) -> dict[str, list[str]]:
        """One of the file's tables: a word or phrase, and the words it stands for."""
        return {
            str(key): [str(word) for word in words] for key, words in data.get(name, {}).items()
        }

    not_topics = frozenset(str(word) for word in data.get("not_topics", ()))
    return SectionIndex(
        load_articles(kb),
        table("synonyms"),
        not_topics,
        table("phrases"),
        table("other_senses"),
        load_language(kb).respell,
    )
