"""The care plan as a one-page printable PDF (fpdf2 with a bundled DejaVu font)."""

from __future__ import annotations

from spasmcare.domain.careplan import CarePlan, PlanItem
from spasmcare.knowledge.base import KnowledgeBase
from spasmcare.reports.document import MARGIN, close_fonts, new_document, rgb

_SCALES = (1.0, 0.93, 0.86, 0.8, 0.74, 0.68, 0.62)
_MARGIN = MARGIN
_GAP = 6.0
_STATUS = {
    "suggested": ("✓", "Suits you"),
    "caution": ("!", "Suits you, with care"),
    "check_first": ("?", "Check first"),
    "left_out": ("✗", "Not for you"),
}


def careplan_pdf(plan: CarePlan, kb: KnowledgeBase, generated: str) -> bytes:
    """Render the plan on one A4 page, shrinking the type until everything fits."""
    for scale in _SCALES:
        document = _Layout(plan, kb, generated, scale)
        try:
            if document.render() or scale == _SCALES[-1]:  # the smallest size even if it runs long
                return bytes(document.pdf.output())
        finally:
            document.close()
    raise AssertionError("unreachable")  # pragma: no cover


def _first_sentence(text: str, limit: int = 150) -> str:
    sentence = text.split(". ")[0].rstrip(".") + "."
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"


class _Layout:
    def __init__(self, plan: CarePlan, kb: KnowledgeBase, generated: str, scale: float) -> None:
        self.plan, self.kb, self.generated, self.scale = plan, kb, generated, scale
        pdf = new_document(auto_page_break=False)
        pdf.add_page()
        self.pdf = pdf
        self.width = pdf.w - 2 * _MARGIN
        self.column = (self.width - _GAP) / 2

    def close(self) -> None:
        close_fonts(self.pdf)

    def size(self, points: float) -> float:
        return points * self.scale

    def line(self, points: float) -> float:
        return self.size(points) * 0.46

    def render(self) -> bool:
        """Lay out the page; False when it does not fit."""
        bottom = self._header()
        left_end = self._phases(_MARGIN, bottom + 3)
        right_end = self._exercises_and_medicines(_MARGIN + self.column + _GAP, bottom + 3)
        end = self._warnings(max(left_end, right_end) + 3)
        return end <= self.pdf.h - _MARGIN

    def _text(
        self, x: float, y: float, width: float, text: str, points: float, bold: bool = False
    ) -> float:
        pdf = self.pdf
        pdf.set_font("DejaVu", "B" if bold else "", self.size(points))
        pdf.set_xy(x, y)
        pdf.multi_cell(width, self.line(points), text)
        return pdf.get_y()

    def _header(self) -> float:
        pdf, plan = self.pdf, self.plan
        level = self.kb.levels[plan.triage]
        y = self._text(_MARGIN, _MARGIN, self.width, "Your SpasmCare care plan", 17, bold=True)
        pdf.set_text_color(80, 80, 80)
        y = self._text(
            _MARGIN,
            y + 0.5,
            self.width,
            f"Made on {self.generated} · most likely cause: {plan.condition_name}",
            8.5,
        )
        pdf.set_text_color(0, 0, 0)
        top = y + 2
        pdf.set_draw_color(*rgb(level.colour))
        pdf.set_line_width(0.8)
        pdf.set_text_color(*rgb(level.colour))
        y = self._text(
            _MARGIN + 3,
            top + 2,
            self.width - 6,
            f"{level.marker}  {level.label.upper()}",
            12,
            bold=True,
        )
        pdf.set_text_color(0, 0, 0)
        y = self._text(_MARGIN + 3, y + 0.5, self.width - 6, plan.action, 9.5, bold=True)
        y = self._text(_MARGIN + 3, y + 0.5, self.width - 6, plan.headline, 9)
        pdf.rect(_MARGIN, top, self.width, y - top + 2)
        pdf.set_line_width(0.2)
        pdf.set_draw_color(0, 0, 0)
        return y + 2

    def _heading(self, x: float, y: float, text: str) -> float:
        end = self._text(x, y, self.column, text, 10.5, bold=True)
        self.pdf.set_draw_color(170, 170, 170)
        self.pdf.line(x, end + 0.3, x + self.column, end + 0.3)
        self.pdf.set_draw_color(0, 0, 0)
        return end + 1.2

    def _checkbox_item(self, x: float, y: float, item: PlanItem) -> float:
        self.pdf.set_font("DejaVu", "", self.size(10))
        self.pdf.set_xy(x, y)
        self.pdf.cell(4, self.line(9), "☐")
        title = item.title + (" (a clinician can offer this)" if item.kind == "clinician" else "")
        title += f" — {item.dose}" if item.dose else ""
        end = self._text(x + 4, y, self.column - 4, title, 8.5, bold=True)
        if item.kind != "exercise":
            end = self._text(x + 4, end, self.column - 4, _first_sentence(item.detail), 7.8)
        return end + 0.8

    def _phases(self, x: float, y: float) -> float:
        for phase in self.plan.phases:
            items = [item for item in phase.items if item.kind != "exercise"]
            if not items:
                continue
            y = self._heading(x, y + 1, phase.title)
            for item in items:
                y = self._checkbox_item(x, y, item)
        return y

    def _exercises_and_medicines(self, x: float, y: float) -> float:
        exercises = list(
            {item.id: item for item in self.plan.items() if item.kind == "exercise"}.values()
        )[:6]
        if exercises:
            y = self._heading(x, y + 1, "Your exercises")
            for item in exercises:
                y = self._checkbox_item(x, y, item)
                steps = " ".join(f"{i}) {step}" for i, step in enumerate(item.steps, start=1))
                y = self._text(x + 4, y - 0.8, self.column - 4, steps, 7.3)
                if item.cautions:
                    y = self._text(
                        x + 4, y, self.column - 4, f"Stop or skip if: {item.cautions[0]}", 7.3
                    )
                y += 1
        y = self._heading(x, y + 1, "Medicines you can buy")
        if self.plan.medicines_note:
            y = self._text(x, y, self.column, self.plan.medicines_note, 7.8)
        for medicine in self.plan.medicines:
            mark, label = _STATUS[medicine.status]
            y = self._text(x, y, self.column, f"{mark} {medicine.name}: {label}", 8.2, bold=True)
            questions = "; ".join(self.kb.findings[code].means for code in medicine.unanswered)
            detail = {
                "left_out": medicine.note or "",
                "check_first": self.kb.care.texts["check_first"].format(reasons=questions),
                "caution": f"{medicine.how_to_use} Take care: {'; '.join(medicine.reasons)}",
            }.get(medicine.status, medicine.how_to_use)
            if detail:
                y = self._text(x + 3, y, self.column - 3, detail, 7.3)
            y += 0.6
        return y

    def _warnings(self, y: float) -> float:
        pdf, plan = self.pdf, self.plan
        top = y
        pdf.set_text_color(176, 0, 32)
        y = self._text(
            _MARGIN + 3, top + 2, self.width - 6, plan.warning_signs_title.upper(), 10.5, bold=True
        )
        pdf.set_text_color(0, 0, 0)
        for sign in plan.warning_signs:
            y = self._text(
                _MARGIN + 3, y + 0.2, self.width - 6, f"• {sign.text}: {sign.action}", 8.3
            )
        y = self._text(_MARGIN + 3, y + 1, self.width - 6, plan.review, 8.3, bold=True)
        pdf.set_draw_color(176, 0, 32)
        pdf.set_line_width(0.8)
        pdf.rect(_MARGIN, top, self.width, y - top + 2)
        pdf.set_line_width(0.2)
        pdf.set_draw_color(0, 0, 0)
        pdf.set_text_color(80, 80, 80)
        y = self._text(_MARGIN, y + 4, self.width, plan.notice, 7.5)
        cited = "; ".join(self.kb.sources[s].title for s in plan.sources)
        return self._text(_MARGIN, y + 0.5, self.width, f"Sources: {cited}", 6.3)
