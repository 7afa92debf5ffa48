"""Performance tables (R-RPT-3) of a school or the city, as XLSX and PDF."""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from kit.pdf import FONT, FONT_BOLD, paragraph, register_fonts
from services.reports.adapters.render.cells import append, sheet_title
from services.reports.adapters.render.labels import COUNTED_MARK_HEADS, mark_counts, number
from services.reports.service.performance import PerformanceRow

Section = tuple[str, Sequence[PerformanceRow]]
HEADS = (
    "",
    "N",
    *COUNTED_MARK_HEADS,
    "Успеваемость, %",
    "Качество, %",
    "СОУ, %",
    "Средний балл",
    "Обучающихся",
    "Успевают (уч.), %",
    "Качество (уч.), %",
)


def _line(row: PerformanceRow) -> list[object]:
    f = row.figures
    return [
        row.name or row.key,
        row.counts.n,
        *mark_counts(row.counts.counts),
        f["performance_pct"],
        f["quality_pct"],
        f["sou_pct"],
        f["average"],
        row.enrolled,
        f["students_performance_pct"],
        f["students_quality_pct"],
    ]


def performance_xlsx(title: str, sections: Sequence[Section]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sections:
        ws = book.create_sheet(sheet_title(name))
        append(ws, [title])
        ws["A1"].font = Font(bold=True)
        append(ws, [name, *HEADS[1:]])
        for cell in ws[2]:
            cell.font = Font(bold=True)
        for row in rows:
            append(ws, _line(row))
        ws.freeze_panes = "B3"
        ws.column_dimensions["A"].width = 36
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


TITLE = ParagraphStyle("title", fontName=FONT_BOLD, fontSize=12, leading=15, spaceAfter=4)
HEAD = ParagraphStyle("head", fontName=FONT_BOLD, fontSize=6.5, leading=7.5, alignment=1)
CELL = ParagraphStyle("cell", fontName=FONT, fontSize=7, leading=8)


def performance_pdf(title: str, subtitle: str, sections: Sequence[Section]) -> bytes:
    register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=10 * mm,
        rightMargin=10 * mm,
        topMargin=10 * mm,
        bottomMargin=10 * mm,
        title=title,
    )
    story: list[Flowable] = [
        paragraph(title, TITLE),
        paragraph(subtitle, ParagraphStyle("sub", fontName=FONT, fontSize=9, leading=12)),
    ]
    for name, rows in sections:
        story.append(Spacer(1, 4 * mm))
        story.append(paragraph(name, ParagraphStyle("h", fontName=FONT_BOLD, fontSize=9)))
        head = [Paragraph(h, HEAD) for h in HEADS]
        body = [
            [paragraph(line[0], CELL), *(_pdf_value(v) for v in line[1:])]
            for line in map(_line, rows)
        ]
        table = Table([head, *body], colWidths=[60 * mm] + [13.5 * mm] * (len(HEADS) - 1))
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), FONT, 7),
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
                    ("ALIGN", (1, 0), (-1, -1), "CENTER"),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ]
            )
        )
        story.append(table)
    doc.build(story)
    return buffer.getvalue()


def _pdf_value(value: object) -> str:
    if isinstance(value, float):
        return number(value, 1)
    return "" if value is None else str(value)
