"""A purchase order as an A4 PDF (reportlab, like the invoices and the shipping papers).

It takes plain values, not models: ``inventory.purchasing`` gathers what is printed.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from io import BytesIO

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from oms.money import quantize
from oms.pdf_fonts import a4_document, document_styles


@dataclass(frozen=True)
class PurchaseOrderDocumentLine:
    sku: str
    name: str
    quantity: int
    unit_cost: Decimal


@dataclass(frozen=True)
class PurchaseOrderDocument:
    """What a purchase order prints: who buys, from whom, where to deliver, by when, and the lines."""

    number: str
    issued_on: date
    expected_date: date
    currency: str
    buyer: Sequence[str]
    supplier: Sequence[str]
    deliver_to: Sequence[str]
    lines: Sequence[PurchaseOrderDocumentLine]
    notes: str = ""


def _money(amount: Decimal, currency: str = "") -> str:
    text = f"{quantize(amount):,.2f}"
    return f"{text} {currency}" if currency else text


def purchase_order_pdf(document: PurchaseOrderDocument) -> bytes:
    """The purchase order as PDF bytes: header (buyer, number, dates), supplier, delivery address, lines, total."""
    styles = document_styles()
    strong, title, para, lines_of = styles.strong, styles.title, styles.para, styles.lines_of

    buffer = BytesIO()
    doc = a4_document(
        buffer, title=f"Purchase order {document.number}", author=document.buyer[0] if document.buyer else ""
    )
    width = doc.width
    facts = [
        ["PO number", document.number],
        ["Date", f"{document.issued_on:%d %b %Y}"],
        ["Deliver by", f"{document.expected_date:%d %b %Y}"],
    ]
    head = Table(
        [
            [
                [para("PURCHASE ORDER", title), Spacer(1, 4), lines_of(document.buyer)],
                Table([[para(k), para(v, strong)] for k, v in facts], colWidths=[25 * mm, 45 * mm]),
            ]
        ],
        colWidths=[width - 72 * mm, 72 * mm],
    )
    head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (0, 0), 0)]))
    parties = Table(
        [
            [
                [para("Supplier", strong), lines_of(document.supplier)],
                [para("Deliver to", strong), lines_of(document.deliver_to)],
            ]
        ],
        colWidths=[width / 2, width / 2],
    )
    parties.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (0, 0), 0)]))

    rows = [[para(h, strong) for h in ("SKU", "Item", "Qty", "Unit cost", "Amount")]]
    total = Decimal("0")
    for line in document.lines:
        amount = line.quantity * line.unit_cost
        total += amount
        rows.append(
            [
                para(line.sku),
                para(line.name),
                para(str(line.quantity)),
                para(_money(line.unit_cost)),
                para(_money(amount)),
            ]
        )
    rows.append(["", para("Total", strong), "", "", para(_money(total, document.currency), strong)])
    table = Table(
        rows, colWidths=[32 * mm, width - 32 * mm - 15 * mm - 55 * mm, 15 * mm, 25 * mm, 30 * mm], repeatRows=1
    )
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEBELOW", (0, 1), (-1, -2), 0.25, colors.grey),
                ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (2, 0), (-1, -1), "RIGHT"),
            ]
        )
    )
    story = [head, Spacer(1, 10 * mm), parties, Spacer(1, 8 * mm), table]
    if document.notes:
        story += [Spacer(1, 8 * mm), para("Notes", strong), para(document.notes)]
    story += [
        Spacer(1, 10 * mm),
        para(f"Please quote {document.number} on the delivery note and the invoice."),
    ]
    doc.build(story)
    return buffer.getvalue()
