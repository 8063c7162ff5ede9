"""The papers that travel with a parcel: the shipping label (4×6 in) and the packing slip (A4), as PDF bytes.

Both take plain values, not models: the caller (the orders app, which owns the order and its addresses)
gathers what is printed, so this module stays free of order code and can be tried out on its own.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from io import BytesIO

from pypdf import PdfWriter
from reportlab.graphics.barcode import code128
from reportlab.lib import colors
from reportlab.lib.pagesizes import inch
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.flowables import KeepTogether

from oms.pdf_fonts import FONT, FONT_BOLD, a4_document, register_fonts

LABEL_SIZE = (4 * inch, 6 * inch)
_MARGIN = 0.18 * inch
_LABEL_LEFT, _LABEL_RIGHT = _MARGIN, LABEL_SIZE[0] - _MARGIN
_LABEL_TOP = LABEL_SIZE[1] - _MARGIN
_BAND_HEIGHT = 0.55 * inch
# The slip's top rows: two columns side by side, flush with the left margin.
_SLIP_TOP_STYLE = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (0, 0), 0)]


@dataclass(frozen=True)
class SlipItem:
    sku: str
    name: str
    quantity: int


def label_pdf(
    *,
    carrier: str,
    service: str,
    tracking_number: str,
    weight_kg: Decimal,
    ship_from: Sequence[str],
    ship_to: Sequence[str],
    order_number: str,
    parcel_index: int = 1,
    parcel_count: int = 1,
    compress: bool = True,
) -> bytes:
    """A 4×6 inch thermal-printer label: carrier and service, addresses, a Code 128 barcode of the tracking number.

    ``compress=False`` leaves the page content readable in the bytes (tests look for the tracking number).
    Drawn top down: each step takes the height where it starts and returns where the next one starts; the
    barcode sits at the foot.
    """
    register_fonts()
    buffer = BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=LABEL_SIZE, pageCompression=1 if compress else 0)
    pdf.setTitle(f"Label {tracking_number}")
    pdf.setSubject(f"Order {order_number}, parcel {parcel_index} of {parcel_count}")
    pdf.setAuthor("OMS")
    y = _label_carrier_band(pdf, carrier=carrier, service=service, parcel=f"{parcel_index}/{parcel_count}")
    y = _label_ship_from(pdf, y, ship_from)
    y = _label_ship_to(pdf, y, ship_to)
    _label_facts(pdf, y, order_number=order_number, weight_kg=weight_kg)
    _label_barcode(pdf, tracking_number)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _label_carrier_band(pdf: canvas.Canvas, *, carrier: str, service: str, parcel: str) -> float:
    """White on black across the top: the carrier, its service, and which parcel of the order this is."""
    left, right, top = _LABEL_LEFT, _LABEL_RIGHT, _LABEL_TOP
    pdf.setFillColor(colors.black)
    pdf.rect(left, top - _BAND_HEIGHT, right - left, _BAND_HEIGHT, stroke=0, fill=1)
    pdf.setFillColor(colors.white)
    pdf.setFont(FONT_BOLD, 16)
    pdf.drawString(left + 8, top - 0.25 * inch, carrier[:28])
    pdf.setFont(FONT, 10)
    pdf.drawString(left + 8, top - 0.45 * inch, service[:48])
    pdf.setFont(FONT_BOLD, 20)
    pdf.drawRightString(right - 8, top - 0.37 * inch, parcel)
    pdf.setFillColor(colors.black)
    return top - _BAND_HEIGHT


def _label_ship_from(pdf: canvas.Canvas, y: float, ship_from: Sequence[str]) -> float:
    """The sender in small print, four lines at most: who, the street, the town and the country."""
    y -= 14
    pdf.setFont(FONT_BOLD, 7)
    pdf.drawString(_LABEL_LEFT, y, "FROM")
    pdf.setFont(FONT, 8)
    for line in ship_from[:4]:
        y -= 10
        pdf.drawString(_LABEL_LEFT, y, line[:60])
    return y


def _label_ship_to(pdf: canvas.Canvas, y: float, ship_to: Sequence[str]) -> float:
    """The recipient, large, between two rules: the name in bold, six lines at most."""
    left, right = _LABEL_LEFT, _LABEL_RIGHT
    y -= 10
    pdf.line(left, y, right, y)
    y -= 14
    pdf.setFont(FONT_BOLD, 8)
    pdf.drawString(left, y, "SHIP TO")
    y -= 4
    for n, line in enumerate(ship_to[:6]):
        size = 14 if n == 0 else 12
        y -= size + 3
        pdf.setFont(FONT_BOLD if n == 0 else FONT, size)
        pdf.drawString(left + 6, y, line[:40])
    y -= 12
    pdf.line(left, y, right, y)
    return y


def _label_facts(pdf: canvas.Canvas, y: float, *, order_number: str, weight_kg: Decimal) -> None:
    y -= 14
    pdf.setFont(FONT, 9)
    pdf.drawString(_LABEL_LEFT, y, f"Order {order_number}")
    pdf.drawRightString(_LABEL_RIGHT, y, f"Weight {weight_kg} kg")


def _label_barcode(pdf: canvas.Canvas, tracking_number: str) -> None:
    """At the foot of the label: the tracking number as a barcode as wide as the page allows, then in text."""
    left, right = _LABEL_LEFT, _LABEL_RIGHT
    middle = LABEL_SIZE[0] / 2
    barcode = code128.Code128(tracking_number, barHeight=1.1 * inch, barWidth=1, quiet=False)
    bar_width = min(2.0, (right - left) / barcode.width)
    barcode = code128.Code128(tracking_number, barHeight=1.1 * inch, barWidth=bar_width, quiet=False)
    base = _MARGIN + 0.45 * inch
    barcode.drawOn(pdf, left + ((right - left) - barcode.width) / 2, base)
    pdf.setFont(FONT_BOLD, 13)
    pdf.drawCentredString(middle, base - 16, tracking_number)
    pdf.setFont(FONT, 7)
    pdf.drawCentredString(middle, _MARGIN, "TRACKING NUMBER")


def packing_slip_pdf(
    *,
    order_number: str,
    order_date: date,
    ship_to: Sequence[str],
    ship_from: Sequence[str],
    items: Sequence[SlipItem],
    parcel_index: int,
    parcel_count: int,
    note: str,
    instructions: str = "",
    tracking_number: str | None = None,
    carrier: str = "",
    service: str = "",
    compress: bool = True,
) -> bytes:
    """An A4 packing slip for one parcel: what is in this box, where it goes, and a word to the customer.

    Long contents flow onto further pages; the table header repeats on each. The customer's special
    instructions (``instructions``), if any, stand boxed above the contents where the packer sees them.
    """
    register_fonts()
    buffer = BytesIO()
    document = a4_document(
        buffer,
        title=f"Packing slip {order_number} ({parcel_index} of {parcel_count})",
        author="OMS",
        pageCompression=1 if compress else 0,
    )
    styles = getSampleStyleSheet()
    styles["Normal"].fontName, styles["Title"].fontName = FONT, FONT_BOLD
    small = ParagraphStyle("small", parent=styles["Normal"], fontSize=9, leading=12)
    cell = ParagraphStyle("cell", parent=styles["Normal"], fontSize=10, leading=13)
    story = [
        _slip_heading(styles, order_number=order_number, order_date=order_date, parcel=(parcel_index, parcel_count)),
        Spacer(1, 6 * mm),
        _slip_addresses(
            ship_to=ship_to,
            ship_from=ship_from,
            carrier=carrier,
            service=service,
            tracking_number=tracking_number,
            cell=cell,
            small=small,
        ),
        Spacer(1, 8 * mm),
        *_slip_instructions(instructions, cell=cell),
        _slip_contents(items, cell=cell),
        Spacer(1, 10 * mm),
        KeepTogether([Paragraph("<b>A note for you</b>", cell), Paragraph(_escape(note), cell)]),
    ]
    document.build(story)
    return buffer.getvalue()


def _slip_heading(styles, *, order_number: str, order_date: date, parcel: tuple[int, int]) -> Table:
    """ "Packing slip" on the left; the order, its date and which parcel this is on the right."""
    heading = Table(
        [
            [
                Paragraph("Packing slip", styles["Title"]),
                Paragraph(
                    f"<b>Order {_escape(order_number)}</b><br/>Date {order_date:%Y-%m-%d}<br/>"
                    f"Parcel {parcel[0]} of {parcel[1]}",
                    ParagraphStyle("right", parent=styles["Normal"], alignment=2, fontSize=11, leading=15),
                ),
            ]
        ],
        colWidths=["55%", "45%"],
    )
    heading.setStyle(TableStyle(_SLIP_TOP_STYLE))
    return heading


def _slip_addresses(
    *,
    ship_to: Sequence[str],
    ship_from: Sequence[str],
    carrier: str,
    service: str,
    tracking_number: str | None,
    cell: ParagraphStyle,
    small: ParagraphStyle,
) -> Table:
    """Where the parcel goes on the left; where it left from, how, and its tracking number on the right."""
    shipping_facts = [f"Shipped from {', '.join(_escape(s) for s in ship_from)}"]
    if carrier or service:
        shipping_facts.append(_escape(" · ".join(p for p in (carrier, service) if p)))
    if tracking_number:
        shipping_facts.append(f"Tracking number <b>{_escape(tracking_number)}</b>")
    addresses = Table(
        [
            [
                Paragraph("<b>Ship to</b><br/>" + "<br/>".join(_escape(line) for line in ship_to), cell),
                Paragraph("<br/>".join(shipping_facts), small),
            ]
        ],
        colWidths=["55%", "45%"],
    )
    addresses.setStyle(TableStyle(_SLIP_TOP_STYLE))
    return addresses


def _slip_instructions(instructions: str, *, cell: ParagraphStyle) -> list:
    """The customer's special instructions in a box, line breaks kept; nothing when there are none."""
    if not instructions.strip():
        return []
    text = "<br/>".join(_escape(line) for line in instructions.strip().splitlines())
    box = Table([[Paragraph(f"<b>Special instructions</b><br/>{text}", cell)]], colWidths=["100%"])
    box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [box, Spacer(1, 6 * mm)]


def _slip_contents(items: Sequence[SlipItem], *, cell: ParagraphStyle) -> Table:
    """What is in the box, one row per SKU and a total count; the header row repeats on every page."""
    rows = [["SKU", "Item", "Qty"]]
    rows += [[_para(item.sku, cell), _para(item.name, cell), str(item.quantity)] for item in items]
    rows.append(["", "Items in this parcel", str(sum(item.quantity for item in items))])
    contents = Table(rows, colWidths=[38 * mm, None, 16 * mm], repeatRows=1)
    contents.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD),
                ("FONTNAME", (0, -1), (-1, -1), FONT_BOLD),
                ("LINEBELOW", (0, 0), (-1, 0), 1, colors.black),
                ("LINEABOVE", (0, -1), (-1, -1), 1, colors.black),
                ("LINEBELOW", (0, 1), (-1, -2), 0.25, colors.grey),
                ("ALIGN", (2, 0), (2, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return contents


def _escape(text: str) -> str:
    """Paragraphs read a little XML: customer-typed text must not be taken as markup."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _para(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(_escape(text), style)


def documents_bundle_pdf(documents: Sequence[bytes]) -> bytes:
    """Several PDFs (labels and packing slips of many orders) as one, in the order given, each page its own size."""
    writer = PdfWriter()
    for document in documents:
        writer.append(BytesIO(document))
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
