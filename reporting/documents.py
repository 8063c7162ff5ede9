"""The KPI summary as an A4 PDF (reportlab, like the invoice and the shipping papers), with a bar chart of
orders per day drawn by reportlab.graphics. Takes plain values: the figures dict of ``scheduled_report_figures``.
"""

from io import BytesIO

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from oms.pdf_fonts import FONT, FONT_BOLD, register_fonts

BLUE = colors.HexColor("#0b5cad")


def _orders_chart(points: list[dict], width: float) -> Drawing:
    drawing = Drawing(width, 60 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 12 * mm, 10 * mm, width - 16 * mm, 42 * mm
    chart.data = [[p["value"] for p in points] or [0]]
    chart.categoryAxis.categoryNames = [p["period"].strftime("%a %d") for p in points] or [""]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = BLUE
    chart.bars[0].strokeColor = None
    drawing.add(chart)
    drawing.add(String(0, 56 * mm, "Orders per day", fontName=FONT_BOLD, fontSize=9))
    return drawing


def summary_pdf(figures: dict) -> bytes:
    """Title with the period, the KPI table (this period, previous, change), the orders-per-day chart."""
    register_fonts()
    buffer = BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm)
    title = ParagraphStyle("title", fontName=FONT_BOLD, fontSize=16, leading=20, spaceAfter=4 * mm)
    body = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12)
    table = Table(
        [["", "This period", "Previous", "Change"], *[list(row) for row in figures["rows"]]],
        colWidths=[60 * mm, 35 * mm, 35 * mm, 30 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 9),
                ("FONT", (0, 0), (-1, 0), FONT_BOLD, 9),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.grey),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f6f8fa")]),
            ]
        )
    )
    story = [
        Paragraph(f"KPI summary {figures['from']:%d %b %Y} – {figures['to']:%d %b %Y}", title),
        Paragraph(figures["note"], body),
        Spacer(1, 4 * mm),
        table,
        Spacer(1, 8 * mm),
        _orders_chart(figures["orders_per_day"], A4[0] - 36 * mm),
    ]
    document.build(story)
    return buffer.getvalue()
