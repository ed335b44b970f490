"""CSV and JSON export and import: round trips, and bad rows reported by line number with
nothing imported."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from spasmcare.diary import transfer
from spasmcare.diary.inputs import CheckInInput, EpisodeInput
from spasmcare.diary.records import RemedyUse
from spasmcare.diary.vocabulary import diary_vocabulary
from spasmcare.errors import DiaryImportError
from spasmcare.knowledge.base import KnowledgeBase
from tests.diary.factories import checkin, episode


def test_episodes_csv_round_trip(kb: KnowledgeBase) -> None:
    original = [
        episode(
            date(2026, 3, 29),
            7,
            triggers=("trigger_lifting",),
            remedies=(RemedyUse("heat", 6), RemedyUse("ice", None)),
            notes="after gardening, sore",
        ),
        episode(date(2026, 3, 30), 3),
    ]
    text = transfer.episodes_csv(original)
    read = transfer.read_csv(text, "episodes", diary_vocabulary(kb), kb)
    assert len(read) == 2
    first = read[0]
    assert isinstance(first, EpisodeInput)
    assert first.started_at == datetime(2026, 3, 29, 9, tzinfo=UTC)
    assert first.triggers == ["trigger_lifting"]
    assert [(r.remedy, r.relief) for r in first.remedies] == [("heat", 6), ("ice", None)]
    assert first.notes == "after gardening, sore"  # the comma survives CSV quoting


def test_checkins_csv_round_trip(kb: KnowledgeBase) -> None:
    original = [
        checkin(
            date(2026, 3, 29),
            4,
            sleep_hours=6.5,
            water_litres=1.2,
            warning_signs=("fever",),
            medicines=("ibuprofen",),
        )
    ]
    read = transfer.read_csv(transfer.checkins_csv(original), "checkins", diary_vocabulary(kb), kb)
    assert isinstance(read[0], CheckInInput)
    assert read[0].sleep_hours == 6.5
    assert read[0].warning_signs == ["fever"]
    assert read[0].medicines == ["ibuprofen"]


BAD_EPISODES = (
    ",".join(transfer.EPISODE_COLUMNS)
    + """
2026-03-29T08:30:00+01:00,Europe/London,20,mid,6,trigger_lifting,,heat:7,fine row
2026-03-29T09:30:00,Europe/London,,mid,6,,,,no offset
2026-03-30T10:00:00+01:00,Europe/London,,belly,6,,,,unknown place
2026-03-31T10:00:00+01:00,Europe/London,,mid,eleven,,,,not a number
2026-04-01T10:00:00+01:00,Mars/Olympus,,mid,4,,,,unknown zone
2026-04-02T10:00:00+01:00,Europe/London,,mid,4,,,heat:12,relief out of range
2026-04-03T10:00:00+01:00,Europe/London,,mid,4,,,,,extra cell
"""
)


def test_every_bad_row_is_named_by_line_and_nothing_is_read(kb: KnowledgeBase) -> None:
    with pytest.raises(DiaryImportError) as caught:
        transfer.read_csv(BAD_EPISODES, "episodes", diary_vocabulary(kb), kb)
    problems = caught.value.problems
    assert [p.split(":")[0] for p in problems] == [
        "line 3",
        "line 4",
        "line 5",
        "line 6",
        "line 7",
        "line 8",
    ]
    assert "started_at" in problems[0]
    assert "belly" in problems[1]
    assert "intensity" in problems[2]
    assert "Mars/Olympus" in problems[3]
    assert "relief" in problems[4]
    assert "more values than columns" in problems[5]
    assert "nothing was imported" in caught.value.message


def test_a_wrong_header_is_refused(kb: KnowledgeBase) -> None:
    with pytest.raises(DiaryImportError, match="unknown column 'pain'"):
        transfer.read_csv("local_date,pain\n2026-01-01,3\n", "checkins", diary_vocabulary(kb), kb)
    with pytest.raises(DiaryImportError, match="missing column 'local_date'"):
        transfer.read_csv("pain_average\n3\n", "checkins", diary_vocabulary(kb), kb)


def test_two_checkins_for_one_day_are_refused(kb: KnowledgeBase) -> None:
    text = "local_date,pain_average\n2026-01-01,3\n2026-01-02,4\n2026-01-01,5\n"
    with pytest.raises(
        DiaryImportError, match=r"line 4: local_date: 2026-01-01 is already on line 2"
    ):
        transfer.read_csv(text, "checkins", diary_vocabulary(kb), kb)


def test_worst_below_average_is_refused(kb: KnowledgeBase) -> None:
    text = "local_date,pain_average,pain_worst\n2026-01-01,6,2\n"
    with pytest.raises(DiaryImportError, match="line 2: pain_worst"):
        transfer.read_csv(text, "checkins", diary_vocabulary(kb), kb)


def test_json_round_trip_and_refusals(kb: KnowledgeBase) -> None:
    words = diary_vocabulary(kb)
    data = transfer.diary_json([episode(date(2026, 5, 1), 4)], [checkin(date(2026, 5, 1), 2)])
    episodes, checkins = transfer.read_json(data, words, kb)
    assert len(episodes) == 1 and len(checkins) == 1
    with pytest.raises(DiaryImportError, match="not a SpasmCare diary export"):
        transfer.read_json({"episodes": []}, words, kb)
    broken = {**data, "checkins": [*data["checkins"], {"local_date": "2026-05-02", "stress": 40}]}
    with pytest.raises(DiaryImportError, match=r"checkins\[2\]: stress"):
        transfer.read_json(broken, words, kb)


@pytest.mark.parametrize(
    "text",
    [
        'local_date,pain_average\n2026-01-01,"3\n',  # a quote never closed
        "local_date,pain_average\n2026-01-01,3\x00\n",  # a NUL byte
        "local_date\r2026-01-01\rpain\r\n",  # bare carriage returns (found by fuzzing)
    ],
)
def test_broken_csv_is_a_named_problem_not_a_crash(text: str, kb: KnowledgeBase) -> None:
    """Found by Hypothesis: csv.Error escaped the importer."""
    try:
        transfer.read_csv(text, "checkins", diary_vocabulary(kb), kb)
    except DiaryImportError as error:
        assert error.problems[0].startswith("line ")
