"""An A4 fpdf2 document with SpasmCare's bundled DejaVu fonts (any language's letters,
and nothing fetched from elsewhere)."""

from __future__ import annotations

from importlib import resources

from fpdf import FPDF

MARGIN = 12.0


def new_document(auto_page_break: bool) -> FPDF:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto_page_break, margin=MARGIN)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    fonts = resources.files("spasmcare.reports") / "fonts"
    with (
        resources.as_file(fonts / "DejaVuSans.ttf") as regular,
        resources.as_file(fonts / "DejaVuSans-Bold.ttf") as bold,
    ):
        pdf.add_font("DejaVu", "", str(regular))
        pdf.add_font("DejaVu", "B", str(bold))
    return pdf


def close_fonts(pdf: FPDF) -> None:
    """fpdf2 reads fonts lazily and never closes the files; close them here."""
    for font in pdf.fonts.values():
        ttfont = getattr(font, "ttfont", None)
        if ttfont is not None:
            ttfont.close()


def rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)
