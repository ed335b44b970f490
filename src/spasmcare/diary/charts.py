"""Diary charts as self-contained SVG strings, drawn on the server.

Every chart is an accessible image (`role="img"`, a `<title>` and a `<desc>` that says in
words what the chart shows), scales with its `viewBox` (width 100%, so a 360-px phone
shows it whole), uses a system font stack and no scripts, styles, classes or links.

The same strings go into PDFs through fpdf2's SVG support, so the charts keep to the
elements it draws (rect, line, polyline, circle, text with presentation attributes) and
visible text keeps to Latin-1: fpdf2 draws SVG text with the PDF core fonts, which have no
other characters. (The title and description are for screen readers, not drawn, and keep
their Unicode.)

Colours meet WCAG contrast on the white background: at least 4.5:1 for text and 3:1 for
lines, bars and markers. Only the grid lines are lighter; they are decoration.

Text keeps one size whatever the chart's width: a narrower chart gets fewer ticks and puts a
row's value under its label instead of shrinking the type. Axis labels that would still touch
are left out, so no two labels ever overlap.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from xml.sax.saxutils import escape, quoteattr

from spasmcare.diary.insights import DayPain, FactorEffect, RemedyRelief, TrendPoint
from spasmcare.diary.records import Episode
from spasmcare.words import counted

__all__ = [
    "BLUE",
    "FONT_FAMILY",
    "GREEN",
    "GREY",
    "GRID",
    "LABEL",
    "RED",
    "SMALL",
    "factor_chart",
    "pain_chart",
    "relief_chart",
    "trend_chart",
]

FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
BLUE = "#0b4f9c"  # 8.0:1 on white
RED = "#b00020"  # 7.3:1
GREEN = "#1b5e20"  # 7.9:1
GREY = "#4a4a4a"  # 8.9:1: axis text and lines
INK = "#1a1a1a"  # 17.4:1: labels
MUTED = "#767676"  # 4.5:1: "not enough data" text and bars
FAINT = "#8a8a8a"  # 3.5:1: the worst-pain line, faint but still visible
AMBER = "#b86e00"  # 4.0:1: a mild spasm marker
ORANGE = "#c2410c"  # 5.2:1: a moderate spasm marker
GRID = "#e3e3e3"  # decoration only
WHITE = "#ffffff"
# Type sizes in chart units. The web draws its charts 400 units wide and a 360-px phone
# shows them 328 px across, so the smallest text, 15 units, is still 12 px there; the
# doctor report prints it at 7 pt or more.
SMALL = 15.0  # axis numbers, legends, values, notes
LABEL = 16.0  # row labels and headings
LINE = 20.0  # from one line of text to the next
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_DateScale = Callable[[date], float]
_ValueScale = Callable[[float], float]
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
# fpdf2's core fonts have only Latin-1; typography outside it becomes its plain version.
_PLAIN = str.maketrans(
    {
        "\u2212": "-", "\u2013": "-", "\u2014": "-", "\u2018": "'", "\u2019": "'",
        "\u201c": '"', "\u201d": '"', "\u2026": "...", "\u2265": ">=", "\u2264": "<=",
        "\u2022": "\u00b7",
    }
)  # fmt: skip


class _Svg:
    """Collects elements and renders the document; every number is rounded to 0.1."""

    def __init__(self, width: int, height: int, chart_id: str) -> None:
        if not _ID.match(chart_id):
            raise ValueError(f"chart_id must be a simple XML id, not {chart_id!r}")
        if width <= 0 or height <= 0:
            raise ValueError("width and height must be positive")
        self.width, self.height, self.chart_id = width, height, chart_id
        self.parts: list[str] = []

    def line(
        self,
        x1: float,
        y1: float,
        x2: float,
        y2: float,
        colour: str,
        stroke_width: float = 1.0,
        dashed: bool = False,
    ) -> None:
        dash = ' stroke-dasharray="4 3"' if dashed else ""
        self.parts.append(
            f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" '
            f'stroke="{colour}" stroke-width="{_n(stroke_width)}"{dash}/>'
        )

    def rect(self, x: float, y: float, width: float, height: float, colour: str) -> None:
        self.parts.append(
            f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(width)}" height="{_n(height)}" '
            f'fill="{colour}"/>'
        )

    def circle(
        self, x: float, y: float, radius: float, colour: str, outline: str | None = None
    ) -> None:
        edge = f' stroke="{outline}" stroke-width="0.8"' if outline else ""
        self.parts.append(
            f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(radius)}" fill="{colour}"{edge}/>'
        )

    def polyline(
        self,
        points: Sequence[tuple[float, float]],
        colour: str,
        stroke_width: float,
        dashed: bool = False,
    ) -> None:
        dash = ' stroke-dasharray="4 3"' if dashed else ""
        coordinates = " ".join(f"{_n(x)},{_n(y)}" for x, y in points)
        self.parts.append(
            f'<polyline points="{coordinates}" fill="none" stroke="{colour}" '
            f'stroke-width="{_n(stroke_width)}" stroke-linejoin="round"{dash}/>'
        )

    def text(
        self,
        x: float,
        y: float,
        content: str,
        colour: str = GREY,
        size: float = SMALL,
        anchor: str = "start",
        italic: bool = False,
        bold: bool = False,
    ) -> None:
        extra = ' font-style="italic"' if italic else ""
        extra += ' font-weight="bold"' if bold else ""
        self.parts.append(
            f'<text x="{_n(x)}" y="{_n(y)}" font-family={quoteattr(FONT_FAMILY)} '
            f'font-size="{_n(size)}" fill="{colour}" text-anchor="{anchor}"{extra}>'
            f"{_visible(content)}</text>"
        )

    def render(self, title: str, description: str) -> str:
        identifier = self.chart_id
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" id="{identifier}" '
            f'viewBox="0 0 {self.width} {self.height}" width="100%" '
            f'preserveAspectRatio="xMidYMid meet" role="img" '
            f'aria-labelledby="{identifier}-title {identifier}-desc">'
            f'<title id="{identifier}-title">{escape(title)}</title>'
            f'<desc id="{identifier}-desc">{escape(description)}</desc>'
            # A white ground keeps the contrast when the page behind is dark.
            f'<rect x="0" y="0" width="{self.width}" height="{self.height}" fill="{WHITE}"/>'
        )
        return head + "".join(self.parts) + "</svg>"


def _n(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _visible(text: str) -> str:
    plain = text.translate(_PLAIN).encode("latin-1", "replace").decode("latin-1")
    return escape(plain)


def _one(value: float) -> str:
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def _signed(value: float) -> str:
    text = _one(value)
    return text if text.startswith("-") or text == "0.0" else f"+{text}"


def _long_date(day: date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _short_date(day: date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1][:3]}"


def _text_width(text: str, size: float) -> float:
    """A rough width of system sans-serif text, on the generous side (DejaVu Sans, the
    widest common one, averages about 0.6 em): enough to lay out legends and keep labels
    apart."""
    return len(text) * size * 0.6


def _empty_chart(svg: _Svg, title: str, message: str, description: str | None = None) -> str:
    svg.text(svg.width / 2, svg.height / 2, message, GREY, LABEL, "middle")
    return svg.render(title, description or message)


def _ground(svg: _Svg, x: float, baseline: float, text: str, size: float, anchor: str) -> None:
    """White behind a line of text, so a grid line or the zero line never runs through it."""
    width = _text_width(text, size)
    start = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    svg.rect(start - 2, baseline - size, width + 4, size * 1.3, WHITE)


def _legend(svg: _Svg, x: float, y: float, items: Sequence[tuple[str, str, str]]) -> float:
    """Draw the legend from (x, y), wrapping on a narrow chart; returns its last baseline.

    Each line it wraps onto makes the chart that much taller, so the plot keeps its size."""
    start, first = x, y
    for kind, colour, label in items:
        item_width = 24 + _text_width(label, SMALL)
        if x > start and x + item_width > svg.width - 8:
            x, y = start, y + LINE
        if kind == "circle":
            svg.circle(x + 9, y - 5, 5, colour, WHITE)
        elif kind == "bar":
            svg.rect(x + 2, y - 11, 14, 12, colour)
        else:
            svg.line(x, y - 5, x + 18, y - 5, colour, 2, dashed=kind == "dashed")
        svg.text(x + 24, y, label, GREY, SMALL)
        x += item_width + 18
    svg.height += int(y - first)
    return y


def _x_axis(svg: _Svg, ticks: Sequence[tuple[float, str]], bottom: float) -> None:
    """A tick and a label under each of `ticks` (x, label), kept inside the chart; a label
    that would touch the one before it is left out (its tick stays)."""
    end = -math.inf
    for x, label in ticks:
        svg.line(x, bottom, x, bottom + 5, GREY, 1)
        half = _text_width(label, SMALL) / 2
        centre = min(max(x, half + 2), svg.width - half - 2)
        if centre - half < end + SMALL / 2:
            continue
        svg.text(centre, bottom + 24, label, GREY, SMALL, "middle")
        end = centre + half


def _most_labels(span: float, widest: str) -> int:
    """How many labels as wide as `widest` fit along `span` with a gap between each."""
    return max(1, int(span // (_text_width(widest, SMALL) + SMALL)))


# ---------------------------------------------------------------- pain over time


def _spasm_colour(intensity: int) -> str:
    if intensity >= 7:
        return RED
    if intensity >= 4:
        return ORANGE
    return AMBER


def _runs(points: Sequence[tuple[date, float | None]]) -> list[list[tuple[date, float]]]:
    """Stretches of consecutive days with a value: lines never bridge a missing day."""
    runs: list[list[tuple[date, float]]] = []
    current: list[tuple[date, float]] = []
    for day, value in points:
        if value is None or (current and (day - current[-1][0]).days != 1):
            if current:
                runs.append(current)
            current = []
        if value is not None:
            current.append((day, value))
    if current:
        runs.append(current)
    return runs


def _date_ticks(first: date, last: date, most: int) -> list[tuple[date, str]]:
    """Tick dates and labels: weekly (Mondays) for a short span, else months."""
    span = (last - first).days
    if span <= 45:
        monday = first + timedelta(days=-first.weekday() % 7)
        ticks = []
        day = monday
        while day <= last:
            ticks.append(day)
            day += timedelta(days=7)
        step = max(1, math.ceil(len(ticks) / max(most, 1)))
        return [(d, _short_date(d)) for d in ticks[::step]]
    months: list[date] = []
    month = first.replace(day=1)
    while month <= last:
        if month >= first:
            months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    step = next(
        (s for s in (1, 2, 3, 4, 6, 12, 24, 60, 120) if len(months) / s <= max(most, 1)), 240
    )
    chosen = [m for m in months if (m.year * 12 + m.month - 1) % step == 0]
    labelled: list[tuple[date, str]] = []
    for index, month in enumerate(chosen):
        name = _MONTHS[month.month - 1][:3]
        with_year = index == 0 or month.month == 1 or step >= 12
        labelled.append((month, f"{name} {month.year}" if with_year else name))
    return labelled


def pain_chart(
    daily: Sequence[DayPain],
    episodes: Sequence[Episode],
    width: int = 720,
    height: int = 260,
    chart_id: str = "pain-chart",
) -> str:
    """Daily average pain (line), worst pain (faint dashed line) and spasm episodes.

    Episodes are circles at their local date and intensity, larger and darker the
    stronger they were. Lines break where a day has no check-in.
    """
    svg = _Svg(width, height, chart_id)
    title = "Daily pain and spasm episodes"
    days = sorted(daily, key=lambda d: d.local_date)
    if days:
        first, last = days[0].local_date, days[-1].local_date
        shown = [e for e in episodes if first <= e.local_date <= last]
    else:
        shown = list(episodes)
        if not shown:
            return _empty_chart(
                svg, title, "No check-ins yet", "No check-ins or spasm episodes to show yet."
            )
        first = min(e.local_date for e in shown)
        last = max(e.local_date for e in shown)
    has_pain = any(d.pain_average is not None or d.pain_worst is not None for d in days)
    if not has_pain and not shown:
        return _empty_chart(
            svg,
            title,
            "No check-ins yet",
            f"No check-ins yet between {_long_date(first)} and {_long_date(last)}.",
        )

    legend_bottom = _legend(
        svg,
        40,
        18,
        [
            ("line", BLUE, "Average pain"),
            ("dashed", FAINT, "Worst pain"),
            ("circle", RED, "Spasm (bigger when stronger)"),
        ],
    )
    left, right, top, bottom = 40.0, width - 14.0, legend_bottom + 36, svg.height - 36.0
    span = (last - first).days

    def x_of(day: date) -> float:
        if span == 0:
            return (left + right) / 2
        return left + (day - first).days / span * (right - left)

    def y_of(pain: float) -> float:
        return bottom - pain / 10 * (bottom - top)

    svg.text(4, top - 16, "Pain 0-10", GREY, SMALL)
    for level in range(0, 11, 2):
        y = y_of(level)
        svg.line(left, y, right, y, GREY if level == 0 else GRID, 1)
        svg.text(left - 6, y + 5, str(level), GREY, SMALL, "end")
    ticks = _date_ticks(first, last, _most_labels(right - left, "Sep 2026"))
    _x_axis(svg, [(x_of(tick), label) for tick, label in ticks], bottom)

    worst_runs = _runs([(d.local_date, d.pain_worst) for d in days])
    average_runs = _runs([(d.local_date, d.pain_average) for d in days])
    _draw_runs(svg, worst_runs, x_of, y_of, FAINT, 1.25, dashed=True)
    for episode in sorted(shown, key=lambda e: e.intensity):  # strongest drawn on top
        radius = 2.5 + 0.35 * episode.intensity
        svg.circle(
            x_of(episode.local_date),
            y_of(episode.intensity),
            radius,
            _spasm_colour(episode.intensity),
            WHITE,
        )
    _draw_runs(svg, average_runs, x_of, y_of, BLUE, 2.0)
    if not has_pain:
        svg.text((left + right) / 2, (top + bottom) / 2, "No check-ins yet", GREY, LABEL, "middle")
    return svg.render(title, _pain_description(days, shown, first, last))


def _draw_runs(
    svg: _Svg,
    runs: Sequence[Sequence[tuple[date, float]]],
    x_of: _DateScale,
    y_of: _ValueScale,
    colour: str,
    stroke_width: float,
    dashed: bool = False,
) -> None:
    for run in runs:
        if len(run) == 1:  # a lone day has no line: show it as a dot
            day, value = run[0]
            svg.circle(x_of(day), y_of(value), stroke_width + 1.0, colour)
        else:
            svg.polyline([(x_of(d), y_of(v)) for d, v in run], colour, stroke_width, dashed)


def _whisker(svg: _Svg, low: float, high: float, middle: float) -> None:
    """A 95% CI whisker: a white halo under an ink line keeps it visible on a dark bar."""
    for colour, stroke_width in ((WHITE, 4.0), (INK, 1.5)):
        svg.line(low, middle, high, middle, colour, stroke_width)
        svg.line(low, middle - 6, low, middle + 6, colour, stroke_width)
        svg.line(high, middle - 6, high, middle + 6, colour, stroke_width)


def _pain_description(
    days: Sequence[DayPain], episodes: Sequence[Episode], first: date, last: date
) -> str:
    total_days = (last - first).days + 1
    averages = [(d.local_date, d.pain_average) for d in days if d.pain_average is not None]
    worsts = [d.pain_worst for d in days if d.pain_worst is not None]
    words = [f"Daily pain from {_long_date(first)} to {_long_date(last)}."]
    if averages:
        values = [v for _, v in averages]
        latest_day, latest = averages[-1]
        words.append(
            f"{len(averages)} of {total_days} days have an average pain rating; "
            f"it ranged from {_one(min(values))} to {_one(max(values))} out of 10 "
            f"(mean {_one(math.fsum(values) / len(values))}), most recently "
            f"{_one(latest)} on {_long_date(latest_day)}."
        )
    else:
        words.append("No check-ins yet.")
    if worsts:
        words.append(f"Worst pain reached {_one(max(worsts))}.")
    if episodes:
        intensities = [e.intensity for e in episodes]
        strongest = max(episodes, key=lambda e: (e.intensity, e.local_date))
        words.append(
            f"{counted(len(episodes), 'spasm episode')}, intensity {min(intensities)} to "
            f"{max(intensities)} (mean {_one(sum(intensities) / len(intensities))}); "
            f"the strongest was on {_long_date(strongest.local_date)}."
        )
    else:
        words.append("No spasm episodes.")
    return " ".join(words)


# ---------------------------------------------------------------- rows of bars


_TOP = 34.0  # under the heading
_FOOT = 50.0  # the scale and its words, under the rows
_NO_ROWS = _TOP + 52  # a chart with no rows: room for a line that says so


@dataclass(frozen=True, slots=True)
class _Row:
    """One row of a bar chart: a label, then its value and bar, or a note in place of both.
    Its lines are set by `_lay_out`: a label or note too long for the chart wraps."""

    label: str
    text: str  # the value, or the note
    note: bool = False
    dim: bool = False  # too little data: grey words
    beside: bool = False  # the value on the label's line, not under it
    lines: tuple[tuple[str, float], ...] = ()  # (words, size) from the top

    @property
    def height(self) -> float:
        last = 17 + (len(self.lines) - 1) * LINE  # the last line's baseline
        return last + (15 if self.note else 35)  # the bar (14) and the gap under it


def _wrap(text: str, size: float, span: float) -> list[str]:
    """Break text at spaces into lines no wider than span (a longer word keeps its line)."""
    lines: list[str] = []
    for word in text.split():
        if lines and _text_width(f"{lines[-1]} {word}", size) <= span:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def _lay_out(rows: Sequence[_Row], span: float) -> tuple[list[_Row], list[float], float]:
    """Put values beside their labels when every one fits, else all under them (so the
    rows line up); returns the rows, where each starts, and where the last one ends."""
    beside = all(
        _text_width(row.label, LABEL) + SMALL + _text_width(row.text, SMALL) <= span
        for row in rows
        if not row.note
    )
    placed = []
    for row in rows:
        lines = [(line, LABEL) for line in _wrap(row.label, LABEL, span)]
        if row.note or not beside:
            lines += [(line, SMALL) for line in _wrap(row.text, SMALL, span)]
        placed.append(replace(row, beside=beside and not row.note, lines=tuple(lines)))
    tops, y = [], _TOP
    for row in placed:
        tops.append(y)
        y += row.height
    return placed, tops, y


def _heading(svg: _Svg, left: float, long: str, short: str) -> None:
    fits = _text_width(long, LABEL) <= svg.width - 2 * left
    svg.text(left, 20, long if fits else short, INK, LABEL)


def _row_words(svg: _Svg, row: _Row, y: float, left: float, right: float, ink: str) -> float:
    """Write a row's label and its value or note; returns the top of the row's bar."""
    baseline = y + 17
    if row.beside:
        _ground(svg, right, baseline, row.text, SMALL, "end")
        svg.text(right, baseline, row.text, ink, SMALL, "end")
    for index, (words, size) in enumerate(row.lines):
        baseline = y + 17 + index * LINE
        _ground(svg, left, baseline, words, size, "start")
        if size == LABEL:
            svg.text(left, baseline, words, MUTED if row.dim else INK, LABEL)
        else:
            svg.text(left, baseline, words, MUTED if row.note else ink, SMALL, italic=row.note)
    return baseline + 8


def _row_axis(
    svg: _Svg,
    ticks: Sequence[tuple[float, str]],
    bottom: float,
    ends: tuple[tuple[str, str], tuple[str, str]],
    unit: str = "",
) -> None:
    """The scale under the rows: its numbers, then what each end means and the unit."""
    left, right = ticks[0][0], ticks[-1][0]
    svg.line(left, bottom, right, bottom, GREY, 1)
    _x_axis(svg, ticks, bottom)
    (low, low_colour), (high, high_colour) = ends
    svg.text(left, bottom + 42, low, low_colour, SMALL)
    svg.text(right, bottom + 42, high, high_colour, SMALL, "end")
    room = right - left - 2 * max(_text_width(low, SMALL), _text_width(high, SMALL)) - 2 * SMALL
    if unit and _text_width(unit, SMALL) <= room:
        svg.text((left + right) / 2, bottom + 42, unit, GREY, SMALL, "middle")


def _nice_limit(largest: float, steps: Sequence[float]) -> float:
    return next((s for s in steps if largest <= s), steps[-1])


# ---------------------------------------------------------------- factors


def _effect_row(effect: FactorEffect, span: float) -> _Row:
    if not effect.enough or effect.difference is None:
        thin = (
            f"Not enough data yet: {counted(effect.n_with, 'day')} with, "
            f"{effect.n_without} without (needs {effect.min_days} of each)"
        )
        if _text_width(thin, SMALL) > span:  # a narrow chart: the short form
            thin = f"Not enough data: {effect.n_with} with, {effect.n_without} without"
        return _Row(effect.label, thin, note=True, dim=True)
    value = _signed(effect.difference)
    if effect.ci_low is not None and effect.ci_high is not None:
        value += f" ({_one(effect.ci_low)} to {_one(effect.ci_high)})"
    return _Row(effect.label, value)


def factor_chart(
    effects: Sequence[FactorEffect], width: int = 640, chart_id: str = "factor-chart"
) -> str:
    """Next-day pain difference after each habit: bars from zero with 95% CI whiskers.

    Red: clearly more pain, green: clearly less, blue: no clear difference. Factors
    without enough data are listed greyed with how many days there are so far.
    """
    title = "Next-day pain after daily habits"
    left, right = 16.0, width - 16.0
    rows, tops, bottom = _lay_out([_effect_row(e, right - left) for e in effects], right - left)
    svg = _Svg(width, int(max(bottom, _NO_ROWS) + _FOOT), chart_id)
    if not effects:
        return _empty_chart(
            svg, title, "No daily habits to compare yet", "No daily habits to compare yet."
        )
    zero = (left + right) / 2
    readable = [e for e in effects if e.enough and e.difference is not None]
    largest = max(
        (abs(v) for e in readable for v in (e.difference, e.ci_low, e.ci_high) if v is not None),
        default=1.0,
    )
    limit = _nice_limit(largest, (1, 2, 3, 5, 10))

    def x_of(value: float) -> float:
        clamped = max(-limit, min(limit, value))
        return zero + clamped / limit * (right - zero)

    _heading(
        svg,
        left,
        "Pain the next day compared with days without the habit",
        "Next-day pain vs days without",
    )
    for level in (-limit, -limit / 2, limit / 2, limit):
        svg.line(x_of(level), _TOP, x_of(level), bottom, GRID, 1)
    svg.line(zero, _TOP, zero, bottom, GREY, 1.5)
    for effect, row, y in zip(effects, rows, tops, strict=True):
        band_top = _row_words(svg, row, y, left, right, INK if effect.clear else GREY)
        if row.note or effect.difference is None:
            continue
        colour = BLUE
        if effect.clear:
            colour = RED if effect.difference > 0 else GREEN
        start, end = sorted((x_of(0), x_of(effect.difference)))
        svg.rect(start, band_top, max(end - start, 1.5), 14, colour)
        if effect.ci_low is not None and effect.ci_high is not None:
            _whisker(svg, x_of(effect.ci_low), x_of(effect.ci_high), band_top + 7)
    levels = (-limit, -limit / 2, 0, limit / 2, limit)
    _row_axis(
        svg,
        [(x_of(level), "0" if level == 0 else f"{level:+g}") for level in levels],
        bottom,
        (("less pain", GREEN), ("more pain", RED)),
        "points (95% CI)",
    )
    description = " ".join(
        f"{e.message} {e.episode_message}" if e.episode_message else f"{e.label}: {e.message}"
        for e in effects
    )
    return svg.render(
        title, "Next-day pain after each daily habit, against days without it. " + description
    )


# ---------------------------------------------------------------- remedies


def _relief_row(relief: RemedyRelief) -> _Row:
    if relief.mean_relief is None:
        unrated = f"Not rated yet ({counted(relief.unrated_uses, 'use')})"
        return _Row(relief.label, unrated, note=True, dim=not relief.enough)
    ratings = counted(relief.uses, "rating")
    if not relief.enough:
        return _Row(relief.label, f"{_one(relief.mean_relief)} ({ratings}, too few)", dim=True)
    return _Row(relief.label, f"{_one(relief.mean_relief)} of 10 ({ratings})")


def relief_chart(
    reliefs: Sequence[RemedyRelief], width: int = 640, chart_id: str = "relief-chart"
) -> str:
    """Average relief (0-10) of each remedy, with its 95% CI and how often it was rated.

    Remedies rated too few times to compare are drawn grey.
    """
    title = "What helped: average relief by remedy"
    left, right = 16.0, width - 16.0
    rows, tops, bottom = _lay_out([_relief_row(relief) for relief in reliefs], right - left)
    svg = _Svg(width, int(max(bottom, _NO_ROWS) + _FOOT), chart_id)
    if not reliefs:
        return _empty_chart(
            svg, title, "No remedies logged yet", "No remedies logged with a spasm yet."
        )

    def x_of(value: float) -> float:
        return left + max(0.0, min(10.0, value)) / 10 * (right - left)

    _heading(
        svg,
        left,
        "Relief after each remedy (0 none, 10 pain gone)",
        "Relief: 0 none, 10 pain gone",
    )
    for level in range(2, 11, 2):
        svg.line(x_of(level), _TOP, x_of(level), bottom, GRID, 1)
    for relief, row, y in zip(reliefs, rows, tops, strict=True):
        band_top = _row_words(svg, row, y, left, right, INK if relief.enough else MUTED)
        if row.note or relief.mean_relief is None:
            continue
        colour = GREEN if relief.enough else MUTED
        svg.rect(left, band_top, max(x_of(relief.mean_relief) - left, 1.5), 14, colour)
        if relief.ci_low is not None and relief.ci_high is not None:
            _whisker(svg, x_of(relief.ci_low), x_of(relief.ci_high), band_top + 7)
    _row_axis(
        svg,
        [(x_of(level), str(level)) for level in range(0, 11, 2)],
        bottom,
        (("no relief", GREY), ("pain gone", GREY)),
    )
    return svg.render(title, _relief_description(reliefs))


def _relief_description(reliefs: Sequence[RemedyRelief]) -> str:
    words = ["Average relief, from 0 (none) to 10 (pain gone), for each remedy tried."]
    for relief in reliefs:
        if relief.mean_relief is None:
            words.append(f"{relief.label}: not rated yet.")
            continue
        ratings = counted(relief.uses, "rating")
        interval = ""
        if relief.ci_low is not None and relief.ci_high is not None:
            interval = f", 95% CI {_one(relief.ci_low)} to {_one(relief.ci_high)}"
        caveat = "" if relief.enough else "; too few ratings to compare"
        words.append(
            f"{relief.label}: {_one(relief.mean_relief)} out of 10 from {ratings}"
            f"{interval}{caveat}."
        )
    return " ".join(words)


# ---------------------------------------------------------------- trends


def trend_chart(
    points: Sequence[TrendPoint],
    width: int = 720,
    height: int = 260,
    chart_id: str = "trend-chart",
) -> str:
    """Episodes per week or month (bars, left scale) with the average pain (line, 0-10)."""
    svg = _Svg(width, height, chart_id)
    period = points[0].period if points else "week"
    title = f"Spasm episodes and average pain by {period}"
    if not points or all(p.episodes == 0 and p.checkins == 0 for p in points):
        return _empty_chart(
            svg,
            title,
            "No diary entries yet",
            f"No spasm episodes or check-ins to show by {period} yet.",
        )
    points = sorted(points, key=lambda p: p.period_start)
    legend_bottom = _legend(
        svg,
        40,
        18,
        [("bar", BLUE, "Spasm episodes (left)"), ("line", RED, "Average pain 0-10 (right)")],
    )
    left, right, top, bottom = 40.0, width - 40.0, legend_bottom + 24, svg.height - 36.0
    slot = (right - left) / len(points)
    count_limit = _count_limit(max(p.episodes for p in points))

    def centre(index: int) -> float:
        return left + slot * (index + 0.5)

    def y_count(count: float) -> float:
        return bottom - count / count_limit * (bottom - top)

    def y_pain(pain: float) -> float:
        return bottom - pain / 10 * (bottom - top)

    count_step = count_limit / 4
    for step in range(5):
        count = count_step * step
        y = y_count(count)
        svg.line(left, y, right, y, GREY if step == 0 else GRID, 1)
        svg.text(left - 6, y + 5, f"{count:g}", BLUE, SMALL, "end")
        svg.text(right + 6, y + 5, f"{10 * step / 4:g}", RED, SMALL)
    bar_width = max(slot * 0.7, 0.5)
    for index, point in enumerate(points):
        if point.episodes:
            y = y_count(point.episodes)
            svg.rect(centre(index) - bar_width / 2, y, bar_width, bottom - y, BLUE)
    widest = "Sep 2026" if period == "month" else "30 Sep 2026"  # a label with its year
    label_every = math.ceil(len(points) / _most_labels(right - left, widest))
    previous_year: int | None = None
    ticks: list[tuple[float, str]] = []
    for index in range(0, len(points), label_every):
        start = points[index].period_start
        label = _MONTHS[start.month - 1][:3] if period == "month" else _short_date(start)
        if start.year != previous_year:
            label = f"{label} {start.year}"
            previous_year = start.year
        ticks.append((centre(index), label))
    _x_axis(svg, ticks, bottom)

    series = [(p.period_start, p.pain_average) for p in points]
    index_of = {p.period_start: index for index, p in enumerate(points)}
    runs: list[list[tuple[int, float]]] = [[]]
    for day, pain in series:
        if pain is None:
            runs.append([])
        else:
            runs[-1].append((index_of[day], pain))
    for run in runs:
        if len(run) == 1:
            svg.circle(centre(run[0][0]), y_pain(run[0][1]), 3, RED)
        elif run:
            svg.polyline([(centre(i), y_pain(v)) for i, v in run], RED, 2)
            if len(points) <= 60:  # dots mark each period while they stay apart
                for i, v in run:
                    svg.circle(centre(i), y_pain(v), 2.5, RED)
    return svg.render(title, _trend_description(points, period))


def _count_limit(most: int) -> float:
    """The top of the episode scale: four ticks of 1, 2 or 5 times a power of ten."""
    step = 1
    while step * 4 < most:
        step = step * 5 // 2 if str(step)[0] == "2" else step * 2  # 1, 2, 5, 10, 20, 50...
    return float(step * 4)


def _trend_description(points: Sequence[TrendPoint], period: str) -> str:
    def name(point: TrendPoint) -> str:
        if point.period == "month":
            return f"{_MONTHS[point.period_start.month - 1]} {point.period_start.year}"
        return f"the week of {_long_date(point.period_start)}"

    total = sum(p.episodes for p in points)
    words = [
        f"Spasm episodes and average pain by {period}, from {name(points[0])} "
        f"to {name(points[-1])}: {counted(total, 'episode')} in all."
    ]
    if total:
        busiest = max(points, key=lambda p: (p.episodes, p.period_start))
        words.append(f"Most in {name(busiest)}: {busiest.episodes}.")
    pains = [(p, p.pain_average) for p in points if p.pain_average is not None]
    if pains:
        values = [v for _, v in pains]
        latest, latest_pain = pains[-1]
        words.append(
            f"Average pain by {period} ranged from {_one(min(values))} to {_one(max(values))} "
            f"out of 10; {_one(latest_pain)} in {name(latest)}."
        )
    else:
        words.append("No pain ratings in these periods.")
    return " ".join(words)
