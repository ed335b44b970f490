"""The doctor report: one or two A4 pages summarising a period of the diary.

Latest assessment and advice, pain over the period (chart), how often spasms came and what
set them off, which daily habits went with worse days, what helped, the medicines used,
any warning signs or alerts, and questions to ask. Every statement is worked out from the
person's own records; the wording of alerts and questions comes from diary.yaml.
"""

from __future__ import annotations

import io
import re
import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from fpdf import FPDF

from spasmcare.diary import charts
from spasmcare.diary.escalation import Alert
from spasmcare.diary.insights import Insights, daily_pain
from spasmcare.diary.records import CheckIn, Episode
from spasmcare.diary.vocabulary import DiaryVocabulary
from spasmcare.domain.triage import TriageLevel
from spasmcare.knowledge.base import KnowledgeBase
from spasmcare.reports.document import MARGIN, close_fonts, new_document, rgb
from spasmcare.words import counted

_MEDICINES = ("paracetamol", "ibuprofen", "naproxen", "topical_nsaid", "prescribed")


def diary_report_pdf(
    *,
    kb: KnowledgeBase,
    vocabulary: DiaryVocabulary,
    start: date,
    end: date,
    episodes: Sequence[Episode],
    checkins: Sequence[CheckIn],
    insights: Insights,
    alerts: Sequence[Alert],
    assessment: Mapping[str, Any] | None,
    assessed_on: date | None,
    made_on: date,
) -> bytes:
    report = _Report(kb, vocabulary)
    try:
        report.title(start, end, made_on)
        report.assessment(assessment, assessed_on)
        report.alerts(alerts)
        report.pain(episodes, checkins, start, end)
        report.episodes(episodes, insights)
        report.habits(insights)
        report.helped(insights)
        report.medicines(episodes, checkins, start, end)
        report.questions(alerts, checkins, start, end)
        return bytes(report.pdf.output())
    finally:
        close_fonts(report.pdf)


def _days(start: date, end: date) -> int:
    return (end - start).days + 1


class _Report:
    def __init__(self, kb: KnowledgeBase, vocabulary: DiaryVocabulary) -> None:
        self.kb, self.vocabulary = kb, vocabulary
        self.pdf: FPDF = new_document(auto_page_break=True)
        self.pdf.add_page()
        self.width = self.pdf.w - 2 * MARGIN

    # ------------------------------------------------------------------ writing
    def text(self, text: str, size: float = 9.5, bold: bool = False, height: float = 4.6) -> None:
        self.pdf.set_font("DejaVu", "B" if bold else "", size)
        self.pdf.set_x(MARGIN)
        self.pdf.multi_cell(self.width, height, text)

    def heading(self, text: str, keep: float = 30) -> None:
        """A section heading, on a new page unless `keep` mm fit below it."""
        if self.pdf.get_y() + 10 + keep > self.pdf.h - MARGIN:
            self.pdf.add_page()
        self.pdf.ln(2.5)
        self.text(text, 11.5, bold=True, height=6)
        y = self.pdf.get_y()
        self.pdf.set_draw_color(200, 200, 200)
        self.pdf.line(MARGIN, y, MARGIN + self.width, y)
        self.pdf.ln(1.2)

    @staticmethod
    def chart_height(svg: str, width: float) -> float:
        box = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg)
        return width * float(box.group(2)) / float(box.group(1)) if box else width / 2

    def chart(self, svg: str, width: float) -> None:
        # The chart's title and description are for screen readers; the PDF has its text.
        drawn = re.sub(r"<(title|desc)\b[^>]*>.*?</\1>", "", svg, flags=re.S)
        if self.pdf.get_y() + self.chart_height(svg, width) > self.pdf.h - MARGIN:
            self.pdf.add_page()
        self.pdf.image(io.BytesIO(drawn.encode()), x=MARGIN, w=width)

    def bullet(self, text: str) -> None:
        self.text(f"•  {text}")

    # ------------------------------------------------------------------ sections
    def title(self, start: date, end: date, made_on: date) -> None:
        self.text("Back spasm diary: report for my doctor", 16, bold=True, height=8)
        self.text(
            f"Period: {start:%d %B %Y} to {end:%d %B %Y} ({_days(start, end)} days). "
            f"Made with SpasmCare on {made_on:%d %B %Y} from the entries I logged myself. "
            f"{self.kb.notice}",
            8.5,
        )

    def assessment(self, result: Mapping[str, Any] | None, on: date | None) -> None:
        self.heading("Latest SpasmCare assessment")
        if result is None or on is None:
            self.text("No assessment saved yet.")
            return
        level = self.kb.levels[TriageLevel(result["triage"])]
        self.pdf.set_text_color(*rgb(level.colour))
        self.text(f"{on:%d %B %Y}: {level.marker} {level.label}", 10.5, bold=True)
        self.pdf.set_text_color(0, 0, 0)
        for reason in result["red_flags"][:3]:
            self.bullet(f"Warning sign: {reason['text']}")
        causes = "; ".join(
            f"{c['name']} ({round(c['probability'] * 100)}%)" for c in result["differential"][:3]
        )
        self.text(f"Most likely causes then: {causes}.")

    def alerts(self, alerts: Sequence[Alert]) -> None:
        if not alerts:
            return
        self.heading("What SpasmCare flagged in this period")
        for alert in alerts:
            label = self.kb.levels[alert.level].label
            self.bullet(f"{alert.title} ({label.lower()}): {alert.message}")

    def pain(
        self, episodes: Sequence[Episode], checkins: Sequence[CheckIn], start: date, end: date
    ) -> None:
        svg = charts.pain_chart(daily_pain(checkins, start, end), episodes)
        self.heading("Pain over the period", keep=self.chart_height(svg, self.width))
        self.chart(svg, self.width)
        averages = [c.pain_average for c in checkins if c.pain_average is not None]
        worst = [c.pain_worst for c in checkins if c.pain_worst is not None]
        if averages:
            half = len(averages) // 2
            trend = ""
            if half >= 3:
                first, last = statistics.fmean(averages[:half]), statistics.fmean(averages[half:])
                trend = (
                    f" It was {first:.1f} on average in the first half"
                    f" and {last:.1f} in the second."
                )
            self.text(
                f"Daily check-ins on {len(checkins)} of {_days(start, end)} days. Average pain "
                f"{statistics.fmean(averages):.1f}/10; "
                f"worst {max(worst) if worst else max(averages)}/10.{trend}"
            )
        else:
            self.text("No daily check-ins with a pain score in this period.")

    def episodes(self, episodes: Sequence[Episode], insights: Insights) -> None:
        self.heading("Spasms and what set them off")
        if not episodes:
            self.text("No spasms logged in this period.")
            return
        places = Counter(place for e in episodes for place in e.locations)
        labels = {c.id: c.label.lower() for c in self.vocabulary.locations}
        where = ", ".join(f"{labels.get(p, p)} {n}" for p, n in places.most_common())
        strength = statistics.fmean(e.intensity for e in episodes)
        self.text(
            f"{counted(len(episodes), 'spasm')} logged, average strength {strength:.1f}/10, "
            "strongest "
            f"{max(e.intensity for e in episodes)}/10. Where: {where}."
        )
        for count in insights.triggers[:6]:
            self.bullet(
                f"{count.label}: {counted(count.count, 'time')} "
                f"({round(count.share * 100)}% of spasms)"
            )
        notes = [e.trigger_note for e in episodes if e.trigger_note][:3]
        if notes:
            self.text("In my words: " + "; ".join(notes))

    def habits(self, insights: Insights) -> None:
        shown = [effect for effect in insights.factor_effects if effect.enough]
        self.heading("Daily habits and the next day's pain")
        if not shown:
            self.text(
                "Not enough check-ins yet to compare days with and without each habit "
                f"(SpasmCare needs at least {self.vocabulary.reading.min_days_per_group} of each)."
            )
            return
        clear = [effect for effect in shown if effect.clear]
        if clear:
            self.chart(charts.factor_chart(clear), self.width * 0.6)
        for effect in clear:
            self.bullet(effect.message)
        unclear = [effect.label.lower() for effect in shown if not effect.clear]
        if unclear:
            self.text(
                "No clear difference in the next day's pain after: " + "; ".join(unclear) + "."
            )

    def helped(self, insights: Insights) -> None:
        rated = [r for r in insights.what_helps if r.mean_relief is not None]
        if not rated:
            self.heading("What helped")
            self.text("No remedies rated in this period.")
            return
        svg, width = charts.relief_chart(rated[:8]), self.width * 0.6
        self.heading("What helped", keep=self.chart_height(svg, width))
        self.chart(svg, width)

    def medicines(
        self, episodes: Sequence[Episode], checkins: Sequence[CheckIn], start: date, end: date
    ) -> None:
        self.heading("Medicines used")
        days = Counter(m for c in checkins for m in set(c.medicines))
        during = Counter(r.remedy for e in episodes for r in e.remedies if r.remedy in _MEDICINES)
        if not days and not during:
            self.text("No medicines logged in this period.")
            return
        for medicine in _MEDICINES:
            if days[medicine] or during[medicine]:
                label = self.vocabulary.remedy_label(medicine)
                self.bullet(
                    f"{label}: on {days[medicine]} of {_days(start, end)} days"
                    f" (check-ins), and for {counted(during[medicine], 'spasm')}"
                )

    def questions(
        self, alerts: Sequence[Alert], checkins: Sequence[CheckIn], start: date, end: date
    ) -> None:
        self.heading("Questions to ask")
        kinds = {alert.kind for alert in alerts}
        medicine_days = sum(1 for c in checkins if set(c.medicines) & set(_MEDICINES))
        if medicine_days > _days(start, end) / 2:
            kinds.add("medicines_often")
        for question in self.vocabulary.doctor_questions:
            if question.when == "always" or question.when in kinds:
                self.bullet(question.text)
