"""Normalising free text: lower case, plain punctuation, sentences, and typo correction."""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "..."})
# A sentence ends at . ! ? ; or a new line, but not at the point of a number ("38.5").
_SENTENCE = re.compile(r"(?:[^.!?;\n]|(?<=\d)\.(?=\d))+[.!?;]?")
_WORD = re.compile(r"[a-z][a-z']+")


def normalise(text: str) -> str:
    lowered = text.translate(_QUOTES).lower()
    return re.sub(r"\s+", " ", lowered).strip()


@functools.cache
def _english() -> frozenset[str]:
    """English words (pyspellchecker's bundled dictionary): never "corrected"."""
    from spellchecker import SpellChecker

    return frozenset(SpellChecker().word_frequency.dictionary)


def correct_typos(text: str, vocabulary: Iterable[str], keep: frozenset[str]) -> str:
    """Replace a misspelt word by a close word of the lexicon ("numbess" -> "numbness").
    Real English words, short words and the words in ``keep`` are left alone: a typo fix
    must never turn one real word into a symptom ("flower" is not "lower")."""
    known = frozenset(vocabulary)
    ordered = sorted(known)
    english = _english()

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        if len(word) < 5 or word in known or word in keep or "'" in word or word in english:
            return word
        close = difflib.get_close_matches(word, ordered, n=1, cutoff=0.86)
        return close[0] if close else word

    return _WORD.sub(fix, text)


def sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs; a sentence ends at . ! ? ; or a new line."""
    return [(m.start(), m.group(0)) for m in _SENTENCE.finditer(text) if m.group(0).strip()]
