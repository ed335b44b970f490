"""Diary charts: well-formed, accessible, self-contained SVG that fpdf2 can also draw."""

from __future__ import annotations

import io
import logging
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from fpdf import FPDF

from spasmcare.diary import charts
from spasmcare.diary.charts import factor_chart, pain_chart, relief_chart, trend_chart
from spasmcare.diary.insights import (
    DayPain,
    FactorEffect,
    RemedyRelief,
    TrendPoint,
    daily_pain,
    factor_effects,
    trends,
    what_helps,
)
from spasmcare.diary.records import Episode
from spasmcare.diary.vocabulary import diary_vocabulary
from spasmcare.knowledge.loader import default_knowledge
from spasmcare.services.diary_overview import WEB_CHART_WIDTH
from tests.diary.test_insights import LONG_SITTING, checkin, diary, episode

SVG = "{http://www.w3.org/2000/svg}"
ALLOWED_TAGS = {"svg", "title", "desc", "rect", "line", "polyline", "circle", "text"}
END = date(2025, 6, 30)


# ---------------------------------------------------------------- chart inputs by size


def pain_input(size: int, width: int = 720) -> str:
    episodes, checkins = diary(max(size, 1), size, seed=size)
    start = END - timedelta(days=max(size, 1) - 1)
    days = daily_pain(checkins, start, END) if size else ()
    return pain_chart(days, episodes, width)


def factor_input(size: int, width: int = 640) -> str:
    vocabulary = diary_vocabulary(default_knowledge())
    episodes, checkins = diary(400, 200, seed=3)
    effects = factor_effects(episodes, checkins, vocabulary.factors, 7)
    if size == 0:
        return factor_chart((), width)
    if size == 1:
        return factor_chart(effects[:1], width)
    return factor_chart((effects * (size // len(effects) + 1))[:size], width)


def relief_input(size: int, width: int = 640) -> str:
    episodes, _ = diary(300, max(size, 1) * 3, seed=5)
    reliefs = what_helps(episodes, 3)
    if size == 0:
        return relief_chart((), width)
    return relief_chart((reliefs * (size // len(reliefs) + 1))[:size], width)


def trend_input(size: int, width: int = 720) -> str:
    if size == 0:
        return trend_chart((), width)
    episodes, checkins = diary(size * 7, size * 2, seed=9)
    points = trends(episodes, checkins, "week", END - timedelta(weeks=size - 1), END)
    assert len(points) == size
    return trend_chart(points, width)


CHARTS: dict[str, Callable[[int, int], str]] = {
    "pain": pain_input,
    "factor": factor_input,
    "relief": relief_input,
    "trend": trend_input,
}
CASES = [(name, size) for name in CHARTS for size in (0, 1, 2000)]


@pytest.fixture(scope="module", params=CASES, ids=[f"{n}-{s}" for n, s in CASES])
def chart(request: pytest.FixtureRequest) -> str:
    name, size = request.param
    return CHARTS[name](size, 720 if name in ("pain", "trend") else 640)


# ---------------------------------------------------------------- every chart


def test_is_well_formed_svg_with_title_and_description(chart: str) -> None:
    root = ET.fromstring(chart)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert re.fullmatch(r"0 0 \d+ \d+", root.get("viewBox", ""))
    assert root.get("width") == "100%"  # scales down to a phone
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text
    assert desc is not None and desc.text and len(desc.text) > 20
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


def test_is_self_contained(chart: str) -> None:
    assert "http" not in chart.replace('xmlns="http://www.w3.org/2000/svg"', "", 1)
    root = ET.fromstring(chart)
    for element in root.iter():
        assert element.tag.removeprefix(SVG) in ALLOWED_TAGS
        assert not {"class", "style", "href", "filter", "onload"} & set(element.attrib)
        assert not any(name.startswith("on") for name in element.attrib)


def test_numbers_are_finite(chart: str) -> None:
    numbers = re.findall(
        r'(?<![\w-])(?:x|y|x1|x2|y1|y2|cx|cy|r|width|height|points)="([^"]*)"', chart
    )
    for value in numbers:
        for number in re.findall(r"[-+0-9.eE]+|nan|inf", value.replace(",", " ")):
            assert math.isfinite(float(number)), value


def test_text_is_in_a_system_font_and_latin_1(chart: str) -> None:
    root = ET.fromstring(chart)
    for text in root.iter(f"{SVG}text"):
        assert text.get("font-family") == charts.FONT_FAMILY
        (text.text or "").encode("latin-1")  # fpdf2's core fonts have nothing else


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_on_white(colour: str) -> float:
    return 1.05 / (luminance(colour) + 0.05)


def test_colours_are_readable_on_white(chart: str) -> None:
    root = ET.fromstring(chart)
    for element in root.iter():
        tag = element.tag.removeprefix(SVG)
        for attribute in ("fill", "stroke"):
            colour = element.get(attribute)
            if colour in (None, "none", charts.WHITE, charts.GRID):  # ground, halo, grid
                continue
            assert colour is not None
            needed = 4.5 if tag == "text" else 3.0
            assert contrast_on_white(colour) >= needed, (tag, colour)


def test_renders_through_fpdf2(chart: str, caplog: pytest.LogCaptureFixture) -> None:
    pdf = FPDF()
    pdf.add_page()
    with caplog.at_level(logging.WARNING):
        pdf.image(io.BytesIO(chart.encode()), x=10, y=10, w=190)
        document = bytes(pdf.output())
    assert document.startswith(b"%PDF")
    # fpdf2 skips <title> and <desc> (they are for screen readers); nothing else.
    unexpected = [
        r.getMessage()
        for r in caplog.records
        if not re.search(r"unsupported SVG tag: <(title|desc)>", r.getMessage())
    ]
    assert unexpected == []


# ---------------------------------------------------------------- on a phone

PHONE_COLUMN = 328  # what a 360-px screen leaves a chart, inside the page's 1rem margins


@pytest.mark.parametrize("name", CHARTS)
def test_text_is_12_px_or_more_on_a_360_px_phone(name: str) -> None:
    """The web's charts are drawn WEB_CHART_WIDTH wide and shrunk to fit the phone."""
    root = ET.fromstring(CHARTS[name](30, WEB_CHART_WIDTH))
    shrink = PHONE_COLUMN / WEB_CHART_WIDTH
    sizes = [float(text.get("font-size", 0)) * shrink for text in root.iter(f"{SVG}text")]
    assert sizes and min(sizes) >= 12


def text_boxes(chart: str) -> list[tuple[float, float, float, float, str]]:
    """Each text's box (left, right, top, bottom), measured as DejaVu Sans, the widest of
    the system fonts, draws it: about 0.6 em a character, 0.93 em up and 0.24 em down."""
    boxes = []
    for text in ET.fromstring(chart).iter(f"{SVG}text"):
        size, words = float(text.get("font-size", 0)), text.text or ""
        width = len(words) * size * 0.6
        x, y = float(text.get("x", 0)), float(text.get("y", 0))
        left = x - {"start": 0.0, "middle": width / 2, "end": width}[text.get("text-anchor", "")]
        boxes.append((left, left + width, y - 0.93 * size, y + 0.24 * size, words))
    return boxes


@pytest.mark.parametrize("width", [320, 400, 720])
@pytest.mark.parametrize("size", [1, 40, 400])
@pytest.mark.parametrize("name", CHARTS)
def test_labels_stay_inside_and_never_overlap(name: str, size: int, width: int) -> None:
    chart = CHARTS[name](size, width)
    view = re.search(rf'viewBox="0 0 {width} (\d+)"', chart)
    assert view is not None
    boxes = sorted(text_boxes(chart), key=lambda box: box[2])
    for left, right, top, bottom, words in boxes:
        assert min(left, top) >= 0 and right <= width and bottom <= int(view[1]), words
    for index, (left, right, _, bottom, words) in enumerate(boxes):
        for other in boxes[index + 1 :]:
            if other[2] >= bottom:
                break
            assert other[1] <= left or right <= other[0], (words, other[4])


def date_labels(chart: str) -> list[str]:
    texts = [t.text or "" for t in ET.fromstring(chart).iter(f"{SVG}text")]
    return [t for t in texts if re.fullmatch(r"(\d+ )?[A-Z][a-z]{2}( \d{4})?", t)]


def test_a_narrow_chart_has_fewer_date_labels() -> None:
    wide, narrow = date_labels(pain_input(365, 720)), date_labels(pain_input(365, 400))
    assert 2 <= len(narrow) < len(wide)
    wide, narrow = date_labels(trend_input(26, 720)), date_labels(trend_input(26, 400))
    assert 2 <= len(narrow) < len(wide)


def test_a_narrow_chart_puts_values_under_their_labels() -> None:
    """Not beside them in a squeezed column: the bars keep the chart's whole width."""
    reliefs = [RemedyRelief("walking", "Walking or moving about", 5, 0, 6.6, 2.4, 9.8, True)]
    for width, beside in ((640, True), (400, False)):
        root = ET.fromstring(relief_chart(reliefs, width))
        texts = {t.text: t for t in root.iter(f"{SVG}text")}
        label, value = texts["Walking or moving about"], texts["6.6 of 10 (5 ratings)"]
        assert (label.get("y") == value.get("y")) is beside
        bar = next(r for r in root.iter(f"{SVG}rect") if r.get("fill") == charts.GREEN)
        assert float(bar.get("width", 0)) > 0.6 * (width - 32)  # 6.6 of 10, whole width


# ---------------------------------------------------------------- pain chart


def polylines(chart: str, colour: str) -> list[list[tuple[float, float]]]:
    root = ET.fromstring(chart)
    return [
        [tuple(map(float, pair.split(","))) for pair in line.get("points", "").split()]  # type: ignore[misc]
        for line in root.iter(f"{SVG}polyline")
        if line.get("stroke") == colour
    ]


def test_pain_line_breaks_at_missing_days() -> None:
    start = date(2024, 5, 1)
    checkins = [checkin(start + timedelta(days=n), 3) for n in (0, 1, 2, 4, 5, 8)]
    svg = pain_chart(daily_pain(checkins, start, start + timedelta(days=8)), [])
    lines = polylines(svg, charts.BLUE)
    assert [len(line) for line in lines] == [3, 2]  # days 0-2 and 4-5; day 8 stands alone
    root = ET.fromstring(svg)
    lone = [c for c in root.iter(f"{SVG}circle") if c.get("fill") == charts.BLUE]
    assert len(lone) == 1  # day 8, a dot of its own
    desc = root.find(f"{SVG}desc")
    assert desc is not None and desc.text is not None
    assert "6 of 9 days have an average pain rating" in desc.text


def test_pain_chart_marks_episodes_by_intensity() -> None:
    start = date(2024, 5, 1)
    days = daily_pain([checkin(start, 2), checkin(start + timedelta(days=1), 4)], start, start)
    mild, strong = episode(start, 2), episode(start, 9)
    root = ET.fromstring(pain_chart(days, [strong, mild]))
    markers = [c for c in root.iter(f"{SVG}circle") if c.get("stroke") == charts.WHITE]
    by_colour = {c.get("fill"): float(c.get("r", 0)) for c in markers[1:]}  # [0]: legend
    assert by_colour[charts.RED] > by_colour["#b86e00"]
    desc = root.find(f"{SVG}desc")
    assert desc is not None and desc.text is not None
    assert "2 spasm episodes, intensity 2 to 9" in desc.text


@pytest.mark.parametrize("daily", [(), (DayPain(date(2024, 1, 1), None, None),)])
def test_pain_chart_without_check_ins_says_so(daily: tuple[DayPain, ...]) -> None:
    svg = pain_chart(daily, [])
    assert "No check-ins yet" in svg
    ET.fromstring(svg)


def test_pain_chart_with_episodes_only() -> None:
    svg = pain_chart((), [episode(date(2024, 1, 5), 7), episode(date(2024, 3, 5), 3)])
    assert "No check-ins yet" in svg
    assert svg.count("<circle") == 3  # two episodes and the legend marker


def test_month_ticks_over_long_spans_stay_few() -> None:
    episodes, checkins = diary(1826, 10)
    svg = pain_chart(daily_pain(checkins, END - timedelta(days=1825), END), episodes)
    labels = [t.text for t in ET.fromstring(svg).iter(f"{SVG}text")]
    assert (
        sum(1 for label in labels if label and re.fullmatch(r"[A-Z][a-z]{2}( \d{4})?", label)) <= 9
    )


# ---------------------------------------------------------------- other charts


def effect(enough: bool, difference: float, low: float, high: float) -> FactorEffect:
    return FactorEffect(
        factor_id="long_sitting",
        label=LONG_SITTING.label,
        n_with=20 if enough else 3,
        n_without=30,
        min_days=7,
        enough=enough,
        with_mean=4 + difference,
        without_mean=4,
        difference=difference,
        ci_low=low,
        ci_high=high,
        episode_rate_with=0.2,
        episode_rate_without=0.1,
        episode_rate_difference=0.1,
        episode_ci_low=-0.1,
        episode_ci_high=0.3,
        message="Pain message.",
        episode_message="Episode message." if enough else None,
    )


def test_factor_chart_colours_clear_and_unclear_and_greys_out_thin_data() -> None:
    svg = factor_chart(
        [
            effect(True, 1.4, 0.6, 2.2),
            effect(True, -1.0, -1.5, -0.5),
            effect(True, 0.3, -0.4, 1),
            effect(False, 2.0, -3, 7),
        ]
    )
    root = ET.fromstring(svg)
    bars = [r.get("fill") for r in root.iter(f"{SVG}rect") if r.get("fill") != charts.WHITE]
    assert bars == [charts.RED, charts.GREEN, charts.BLUE]
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    assert "+1.4 (0.6 to 2.2)" in texts
    assert "Not enough data yet: 3 days with, 30 without (needs 7 of each)" in texts
    desc = root.find(f"{SVG}desc")
    assert desc is not None and desc.text is not None
    assert "Pain message. Episode message." in desc.text


def test_relief_chart_escapes_labels_and_clamps_intervals() -> None:
    reliefs = [
        RemedyRelief("heat", "Heat <& warm>", 5, 0, 9.5, 8.0, 11.2, True),
        RemedyRelief("ice", "Ice", 1, 2, 3.0, None, None, False),
        RemedyRelief("rest", "Rest", 0, 4, None, None, None, False),
    ]
    svg = relief_chart(reliefs)
    assert "Heat &lt;&amp; warm&gt;" in svg
    root = ET.fromstring(svg)
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    assert "9.5 of 10 (5 ratings)" in texts
    assert "3.0 (1 rating, too few)" in texts
    assert "Not rated yet (4 uses)" in texts
    xs = [float(line.get(a, 0)) for line in root.iter(f"{SVG}line") for a in ("x1", "x2")]
    assert max(xs) <= 640 - 16  # the whisker stops at 10


def test_trend_chart_by_month_breaks_the_pain_line_at_empty_months() -> None:
    checkins = [checkin(date(2024, 1, 10), 4), checkin(date(2024, 2, 10), 5)]
    checkins += [checkin(date(2024, 4, 10), 3), checkin(date(2024, 5, 10), 2)]
    points = trends([episode(date(2024, 3, 3), 6)], checkins, "month")
    svg = trend_chart(points)
    assert [len(line) for line in polylines(svg, charts.RED)] == [2, 2]
    desc = ET.fromstring(svg).find(f"{SVG}desc")
    assert desc is not None and desc.text is not None
    assert desc.text.startswith("Spasm episodes and average pain by month, from January 2024")
    assert "Most in March 2024: 1." in desc.text


def test_trend_chart_with_only_empty_periods() -> None:
    points = (TrendPoint("week", date(2024, 1, 1), date(2024, 1, 7), None, None, 0, None, 0),)
    assert "No diary entries yet" in trend_chart(points)


@pytest.mark.parametrize("bad", ["", "1chart", "a b", 'x"y'])
def test_chart_ids_must_be_simple(bad: str) -> None:
    with pytest.raises(ValueError, match="chart_id"):
        pain_chart((), (), chart_id=bad)


def test_episode_type_is_the_records_one() -> None:
    assert isinstance(episode(END), Episode)
