"""The font every PDF prints with (labels, packing slips, invoices).

DejaVu Sans, shipped in oms/fonts/ under its licence and embedded (as a subset) in each PDF: the PDF's built-in
fonts know Latin-1 only, so "Łódź" or "Αθήνα" printed as black boxes.
"""

from functools import cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT, FONT_BOLD = "DejaVuSans", "DejaVuSans-Bold"
_FONT_DIR = Path(__file__).resolve().parent / "fonts"


@cache
def register_fonts() -> None:
    """Register the Unicode font (regular and bold, also as the family Paragraph's ``<b>`` switches within)."""
    pdfmetrics.registerFont(TTFont(FONT, str(_FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(_FONT_DIR / "DejaVuSans-Bold.ttf")))
    for bold, italic, name in ((0, 0, FONT), (1, 0, FONT_BOLD), (0, 1, FONT), (1, 1, FONT_BOLD)):
        addMapping(FONT, bold, italic, name)
