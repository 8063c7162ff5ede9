"""The invoice of an on-account order as an A4 PDF (reportlab, like the shipping papers).

It takes plain values, not models: the caller (the orders app, which owns the order, its lines and its
addresses) gathers what is printed, so this module needs no order code.
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
class InvoiceLine:
    sku: str
    name: str
    quantity: int
    unit_price: Decimal
    line_total: Decimal


@dataclass(frozen=True)
class InvoiceDocument:
    """What an invoice prints: who sells, who buys, the numbers and dates, the lines and the sums."""

    number: str
    issued_on: date
    due_on: date
    order_number: str
    currency: str
    seller: Sequence[str]
    bill_to: Sequence[str]
    lines: Sequence[InvoiceLine]
    subtotal: Decimal
    shipping: Decimal
    tax_rate: Decimal
    tax: Decimal
    total: Decimal
    received: Decimal = Decimal("0")
    terms_days: int = 0


def _money(amount: Decimal, currency: str = "") -> str:
    text = f"{quantize(amount):,.2f}"
    return f"{text} {currency}" if currency else text


def invoice_pdf(invoice: InvoiceDocument) -> bytes:
    """The invoice as PDF bytes: header (seller, number, dates), bill-to, lines, subtotal, tax, total, due."""
    styles = document_styles()
    body, strong, title, para, lines_of = styles.body, styles.strong, styles.title, styles.para, styles.lines_of

    buffer = BytesIO()
    doc = a4_document(buffer, title=f"Invoice {invoice.number}", author=invoice.seller[0] if invoice.seller else "")
    width = doc.width
    facts = [
        ["Invoice number", invoice.number],
        ["Issue date", f"{invoice.issued_on:%d %b %Y}"],
        ["Due date", f"{invoice.due_on:%d %b %Y}"],
        ["Order", invoice.order_number],
    ]
    head = Table(
        [
            [
                [para("INVOICE", title), Spacer(1, 4), lines_of(invoice.seller)],
                Table([[para(k), para(v, strong)] for k, v in facts], colWidths=[28 * mm, 45 * mm]),
            ]
        ],
        colWidths=[width - 75 * mm, 75 * mm],
    )
    head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (0, 0), 0)]))
    bill_to = [para("Bill to", strong), lines_of(invoice.bill_to)]

    rows = [[para(h, strong) for h in ("SKU", "Item", "Qty", "Unit price", "Amount")]]
    for line in invoice.lines:
        rows.append(
            [
                para(line.sku),
                para(line.name),
                para(str(line.quantity)),
                para(_money(line.unit_price)),
                para(_money(line.line_total)),
            ]
        )
    table = Table(
        rows, colWidths=[30 * mm, width - 30 * mm - 15 * mm - 50 * mm, 15 * mm, 25 * mm, 25 * mm], repeatRows=1
    )
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (2, 0), (-1, -1), "RIGHT"),
            ]
        )
    )
    tax_label = f"Tax ({quantize(invoice.tax_rate * 100)}%)" if invoice.tax_rate else "Tax"
    sums = [
        ["Subtotal", _money(invoice.subtotal, invoice.currency)],
        ["Shipping", _money(invoice.shipping, invoice.currency)],
        [tax_label, _money(invoice.tax, invoice.currency)],
        ["Total", _money(invoice.total, invoice.currency)],
    ]
    if invoice.received:
        sums += [
            ["Received", _money(invoice.received, invoice.currency)],
            ["Balance due", _money(invoice.total - invoice.received, invoice.currency)],
        ]
    totals = Table(
        [[para(k, strong if k in ("Total", "Balance due") else body), para(v, strong)] for k, v in sums],
        colWidths=[40 * mm, 40 * mm],
        hAlign="RIGHT",
    )
    totals.setStyle(TableStyle([("LINEABOVE", (0, 3), (-1, 3), 0.8, colors.black)]))
    terms = f"Payment terms: {invoice.terms_days} days. " if invoice.terms_days else ""
    footer = para(
        f"{terms}Please pay {_money(invoice.total - invoice.received, invoice.currency)} by "
        f"{invoice.due_on:%d %b %Y}, quoting {invoice.number} as the reference."
    )
    doc.build(
        [
            head,
            Spacer(1, 10 * mm),
            *bill_to,
            Spacer(1, 8 * mm),
            table,
            Spacer(1, 6 * mm),
            totals,
            Spacer(1, 10 * mm),
            footer,
        ]
    )
    return buffer.getvalue()
