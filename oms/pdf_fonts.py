"""The font every PDF prints with (labels, packing slips, invoices), and the business documents' page and styles.

DejaVu Sans, shipped in oms/fonts/ under its licence and embedded (as a subset) in each PDF: the PDF's built-in
fonts know Latin-1 only, so "Łódź" or "Αθήνα" printed as black boxes.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate

FONT, FONT_BOLD = "DejaVuSans", "DejaVuSans-Bold"
_FONT_DIR = Path(__file__).resolve().parent / "fonts"


@cache
def register_fonts() -> None:
    """Register the Unicode font (regular and bold, also as the family Paragraph's ``<b>`` switches within)."""
    pdfmetrics.registerFont(TTFont(FONT, str(_FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(_FONT_DIR / "DejaVuSans-Bold.ttf")))
    for bold, italic, name in ((0, 0, FONT), (1, 0, FONT_BOLD), (0, 1, FONT), (1, 1, FONT_BOLD)):
        addMapping(FONT, bold, italic, name)


@dataclass(frozen=True)
class DocumentStyles:
    """The text styles of the business documents (invoices, purchase orders), with the fonts registered."""

    body: ParagraphStyle
    strong: ParagraphStyle
    title: ParagraphStyle

    def para(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        """Plain text (escaped) as a paragraph."""
        return Paragraph(escape(text), style or self.body)

    def lines_of(self, rows: Sequence[str], style: ParagraphStyle | None = None) -> Paragraph:
        """Rows of plain text, the empty ones left out, one per line (an address block)."""
        return Paragraph("<br/>".join(escape(r) for r in rows if r), style or self.body)


def document_styles() -> DocumentStyles:
    register_fonts()
    body = ParagraphStyle("body", parent=getSampleStyleSheet()["Normal"], fontName=FONT, fontSize=9, leading=12)
    return DocumentStyles(
        body=body,
        strong=ParagraphStyle("strong", parent=body, fontName=FONT_BOLD),
        title=ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=18, leading=22),
    )


def a4_document(buffer, *, title: str, author: str, **options) -> SimpleDocTemplate:
    """An A4 page with the documents' margins (``options``: more of SimpleDocTemplate's, e.g. pageCompression)."""
    return SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=title,
        author=author,
        **options,
    )
