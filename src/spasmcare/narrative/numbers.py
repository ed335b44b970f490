"""Reading age, sex, severity, duration, desk hours and side out of a story."""

from __future__ import annotations

import re
from datetime import date

from spasmcare.narrative.language import Language
from spasmcare.narrative.text import sentences


def _number(text: str, language: Language) -> float | None:
    text = text.strip()
    try:
        return float(text)
    except ValueError:
        pass
    words = language.numbers.number_words
    if text in words:
        return words[text]
    parts = re.split(r"[- ]", text)
    if len(parts) == 2 and parts[0] in words and parts[1] in words:
        return words[parts[0]] + words[parts[1]]  # forty-five
    return None


def _number_pattern(language: Language) -> str:
    words = sorted(language.numbers.number_words, key=len, reverse=True)
    tens = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
    units = "one|two|three|four|five|six|seven|eight|nine"
    listed = "|".join(map(re.escape, words))
    return rf"(\d+(?:\.\d+)?|(?:{tens})[- ](?:{units})|{listed})"


# After an age: words that make the number something else ("I'm 3 weeks in", "8/10").
_NOT_AN_AGE = (
    r"(?!\s*(?:/|out of|%|percent|kg|lbs?|stone|cm|weeks?|days?|hours?|months?|minutes?|times?))"
)
_ABOUT = r"(?:just\s+|nearly\s+|almost\s+|about\s+|only\s+)?"


# Forum shorthand opening a story: "35m, ...", "44 f here", "hi im 26 F" (age, then sex).
_SHORTHAND = r"^\s*(?:(?:hi|hey|hello|hiya)\W*)?(?:(?:i'm|i am|im)\s+)?(\d{2})\s?([mf])\b"


def age(text: str, language: Language) -> float | None:
    """The writer's age."""
    number = _number_pattern(language)
    candidates = [
        rf"\b{number}[- ]?(?:years?|yrs?)[- ]?old\b",
        rf"\b(?:i'm|i am|im|aged|age)\s+{_ABOUT}{number}\b{_NOT_AN_AGE}",
        rf"\b{number}\s*(?:yo|y/o|yrs)\b",
        rf"\b(?:man|woman|male|female|lady|guy|gentleman|bloke|girl|boy) (?:of|aged) {number}\b",
        # a story opening "62, ..." (not "3, maybe 4 days")
        r"^\s*(?:(?:male|female|man|woman),?\s+)?(\d{2,3}),(?!\s*(?:maybe|or|to|perhaps)\b)",
        _SHORTHAND,
        # a story closing "..., 63, female."
        r"\b(\d{2}),?\s+(?:male|female|man|woman)\W*$",
    ]
    return _first_age(text, candidates, language) or _decade(text, language, "my")


def _first_age(text: str, candidates: list[str], language: Language) -> float | None:
    for pattern in candidates:
        for match in re.finditer(pattern, text):
            if match.group(1) in ("a", "an"):
                continue  # "I'm a man" is no age
            value = _number(match.group(1), language)
            if value is not None and 1 <= value <= 120:
                return value
    return None


def _decade(text: str, language: Language, whose: str) -> float | None:
    """An age read from a decade: "in my forties", "in her late 80s"."""
    decade = re.search(rf"\bin (?:{whose}) (?:late |early |mid[- ])?(\w+)\b", text)
    if decade:
        word = decade.group(1)
        digits = re.fullmatch(r"(\d)0s", word)
        if digits:
            return float(int(digits.group(1)) * 10 + 5)
        if word in language.numbers.decades:
            return language.numbers.decades[word]
    return None


def age_of_someone_else(text: str, language: Language) -> float | None:
    """The age of the person a story told for someone else is about: "my son is 9", "my
    daughter, 14, ...", "she's 78", "my 9-year-old", "in her eighties". What the writer
    says of their own age ("I'm 38") is not read."""
    number = _number_pattern(language)
    person = _relations(language, capture=False)
    candidates = [
        rf"\b{number}[- ]?(?:years?|yrs?)[- ]?old\b",
        rf"\b(?:my|our|the|a)\s+{person}(?:'s|\s+is|\s+who\s+is|\s+aged|,|\s*\()\s*{_ABOUT}"
        rf"{number}\b{_NOT_AN_AGE}",
        rf"\b(?:he|she|they)(?:'s|\s+is|\s+are|'re)\s+{_ABOUT}{number}\b{_NOT_AN_AGE}",
        rf"\b(?:aged|age)\s+{_ABOUT}{number}\b{_NOT_AN_AGE}",
        rf"\b{number}\s*(?:yo|y/o|yrs)\b",
    ]
    return _first_age(text, candidates, language) or _decade(text, language, "his|her|their")


def sex_of_someone_else(text: str, language: Language) -> str | None:
    """The sex at birth that the word naming the person says ("my son"), if it says one."""
    match = re.search(rf"\b(?:my|our)\s+(?:[a-z0-9-]+\s+){{0,3}}?{_relations(language)}", text)
    return None if match is None else language.someone_else[match.group(1)]


def _relations(language: Language, capture: bool = True) -> str:
    words = "|".join(map(re.escape, sorted(language.someone_else, key=len, reverse=True)))
    return rf"({words})s?\b" if capture else rf"(?:{words})s?\b"


# Someone else's words ("my wife is pregnant") say nothing of the writer.
_SOMEONE_ELSE = (
    r"\b(?:wife|partner|girlfriend|husband|boyfriend|she|her|he|his|sister|brother|daughter"
    r"|son|friend|mum|mother|dad|father)\b"
)


def sex(text: str, language: Language) -> str | None:
    for value, pattern in language.sex.items():
        words = pattern.pattern
        first_person = (
            rf"\b(?:i'm|i am|im|as an?|and an?|i'm an?|i am an?)\b"
            rf"(?:(?!{_SOMEONE_ELSE})[^.,;]){{0,40}}?{words}"
        )
        opening = rf"^\s*(?:\d{{2,3}},?\s*)?(?:{words})\s*,"  # "female, 34, ..."
        aged = rf"\b(?:i'm|i am|im)\s+\d{{1,3}},?\s+(?:{words})\b"  # "I'm 35, female"
        closing = rf"\b\d{{2}},?\s+(?:{words})\W*$"  # "... 63, female."
        if (
            re.search(first_person, text)
            or re.search(rf"\b\d+[- ]?years?[- ]?old {words}", text)
            or re.search(opening, text)
            or re.search(aged, text)
            or re.search(closing, text)
        ):
            return value
    shorthand = re.match(_SHORTHAND, text)
    if shorthand:
        return "male" if shorthand.group(2) == "m" else "female"
    # "I am 28, pregnant": a comma ends the first-person phrase above, but not this one.
    if re.search(rf"\b(?:i'm|i am|im)\b(?:(?!{_SOMEONE_ELSE})[^.;]){{0,40}}?\bpregnant\b", text):
        return "female"
    return None


def severity(text: str, language: Language) -> float | None:
    number = _number_pattern(language)
    scores = []
    for match in re.finditer(
        rf"\b{number}\s*(?:/|out of|outta)\s*(?:10|ten)\b|\b{number} at (?:its |the )?worst\b", text
    ):
        value = _number(match.group(1) or match.group(2), language)
        if value is not None and 0 <= value <= 10:
            scores.append(value)
    if re.search(
        r"\bworst (?:pain|thing|agony)[^.]{0,25}\b(?:ever|of my life|i've ever|i have ever)", text
    ):
        scores.append(10.0)
    return max(scores) if scores else None


# "On steroid tablets for over a year": how long a medicine has been taken, not the pain.
_MEDICINE_BEFORE = re.compile(
    r"\b(?:on|taking|take|takes|took|taken|using|prescribed)(?:\s+[a-z-]+){0,3}\s+"
    r"(?:tablets?|pills?|medication|medicines?|steroids?|injections?|inhalers?|thinners|treatment)\s*$"
)


def duration_days(text: str, language: Language, today: date | None) -> float | None:
    """How long the pain has lasted, in days: the first time the story states in a sentence
    that names a symptom, or failing that the first time it states at all."""
    number = _number_pattern(language)
    units = "|".join(sorted(language.numbers.units, key=len, reverse=True))
    found: list[tuple[int, float]] = []
    for pattern in (
        rf"\b(?:for|over|in|during|since|past|last|lasted|lasting|been"
        rf"|had (?:it|this|them|the pain))\s+"
        rf"(?:about\s+|around\s+|nearly\s+|almost\s+|over\s+|the\s+|a\s+|roughly\s+|just\s+"
        rf"|the\s+(?:last|past)\s+|(?:last|past)\s+|for\s+){{0,2}}{number}\s*({units})s?\b",
        rf"\b{number}\s*({units})s?\s+(?:ago|back)\b",
        # "Two days on, it still catches": counted to now only where the phrase ends there.
        rf"\b{number}\s*({units})s?\s+(?:on|in)\b(?=\s*(?:[,.;!]|and\b|now\b|$))",
        rf"\b{number}[- ]({units})[- ]history\b",
    ):
        for match in re.finditer(pattern, text):
            value = _number(match.group(1), language)
            if value is not None and not _MEDICINE_BEFORE.search(text, 0, match.start()):
                found.append((match.start(), value * language.numbers.units[match.group(2)]))
    for match in re.finditer(rf"\b(?:for|over|in|since) (?:the )?(?:last|past) ({units})\b", text):
        found.append((match.start(), language.numbers.units[match.group(1)]))
    for phrase, days in language.numbers.since.items():
        for match in re.finditer(rf"\b{re.escape(phrase)}\b", text):
            found.append((match.start(), days))
    if today is not None:
        weekdays = language.numbers.weekdays
        # "since the weekend" counts from its Saturday.
        named = "|".join([*weekdays, "weekend"])
        for match in re.finditer(rf"\bsince (?:last |the )?({named})\b", text):
            day = "saturday" if match.group(1) == "weekend" else match.group(1)
            back = (today.weekday() - weekdays.index(day)) % 7 or 7
            found.append((match.start(), float(back)))
    if not found:
        return None
    symptom_sentences = [
        (begin, begin + len(sentence))
        for begin, sentence in sentences(text)
        if language.symptom_words.search(sentence)
    ]
    said_of_symptoms = [
        (start, days) for start, days in found if any(b <= start < e for b, e in symptom_sentences)
    ]
    return round(min(said_of_symptoms or found)[1], 3)


def desk_hours(text: str, language: Language) -> float | None:
    number = _number_pattern(language)
    for match in re.finditer(rf"\b{number}\s*(?:hours?|hrs?)\s+(?:a|per|each|every)\s+day\b", text):
        window = text[max(0, match.start() - 60) : match.end() + 60]
        if re.search(
            r"\b(?:desk|computer|laptop|screen|office|phone|driv\w*|wheel|sitting|sit)\b", window
        ):
            value = _number(match.group(1), language)
            if value is not None and 0 <= value <= 24:
                return value
    return None


def side(text: str) -> str | None:
    if re.search(
        r"\bboth sides\b|\bboth legs\b|\bon both\b"
        r"|\bacross (?:my|the) (?:lower |low |whole )?back\b",
        text,
    ):
        return "both"
    left = len(re.findall(r"\bleft\b", text))
    # "right" is often an intensifier ("right through to my back", "right in the middle").
    right = len(
        re.findall(
            r"\bright\b(?! away| now| after| before| here| there| up| through| down| across"
            r"| into| in the| in my| at the| at my| on the| on my| round| around| over| under| next"
            r"| back| then| along| between| behind| below| above| beside)",
            text,
        )
    )
    if left and not right:
        return "left"
    if right and not left:
        return "right"
    # "Middle back" names a region, not the midline: only words that mean the spine itself
    # or the centre line count as central.
    if re.search(
        r"\b(?:centre|center|central)\b[^.]{0,20}\b(?:back|spine)\b|\bspine itself\b"
        r"|\b(?:on|along|down) (?:my|the) spine\b|\bdown the middle\b",
        text,
    ):
        return "central"
    return None
