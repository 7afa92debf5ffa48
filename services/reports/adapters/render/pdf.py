"""The summary sheet as a printable PDF: A4 landscape, Cyrillic, to be signed and stamped.

R-RPT-1: the sheet "can be printed, certified and archived": it names the school, the
class, the period and the date it was made, and leaves room for the class teacher's and the
director's signatures and the school's stamp (М.П.).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable

from kit.pdf import FONT, FONT_BOLD, paragraph, register_fonts, text
from services.reports.adapters.render.labels import chunks, day, number, period_label, period_mark
from services.reports.service.sheets import SummarySheet

rl_config.useA85 = 0  # binary streams: ASCII85 only makes the file bigger and slower to write
SUBJECTS_PER_PAGE = 10
TITLE = ParagraphStyle("title", fontName=FONT_BOLD, fontSize=13, leading=16, spaceAfter=4)
TEXT = ParagraphStyle("text", fontName=FONT, fontSize=9, leading=12)
HEAD = ParagraphStyle("head", fontName=FONT_BOLD, fontSize=6, leading=7, alignment=1)
CELL = ParagraphStyle("cell", fontName=FONT, fontSize=7, leading=8)


def sheet_pdf(
    sheet: SummarySheet,
    *,
    school_name: str | None,
    year_name: str | None,
    class_teacher: str | None,
    made_on: dt.date,
) -> bytes:
    register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=10 * mm,
        bottomMargin=10 * mm,
        title=f"Сводная ведомость {sheet.class_name or ''}",
        author=school_name or "",
    )
    story: list[Flowable] = _heading(sheet, school_name, year_name, made_on)
    groups = chunks([c.id for c in sheet.subjects], SUBJECTS_PER_PAGE)
    for index, group in enumerate(groups):
        if index:
            story.append(PageBreak())
            story.extend(_heading(sheet, school_name, year_name, made_on))
        story.append(_grid(sheet, group, doc.width))
    story.append(Spacer(1, 4 * mm))
    story.append(KeepTogether(_footer(sheet, class_teacher)))
    doc.build(story)
    return buffer.getvalue()


def _heading(
    sheet: SummarySheet, school: str | None, year_name: str | None, made_on: dt.date
) -> list[Flowable]:
    return [
        Paragraph("Сводная ведомость учёта результатов промежуточной аттестации", TITLE),
        Paragraph(f"Образовательная организация: {text(school or '—')}", TEXT),
        Paragraph(f"Класс: {text(sheet.class_name or '—')}", TEXT),
        Paragraph(f"Период: {text(period_label(sheet.period, year_name))}", TEXT),
        Paragraph(f"Дата формирования: {day(made_on)}", TEXT),
        Spacer(1, 3 * mm),
    ]


def _grid(sheet: SummarySheet, subject_ids: Sequence[str], width: float) -> Table:
    columns = {c.id: c for c in sheet.subjects}
    head = ["№", "Ученик"]
    sub = ["", ""]
    for sid in subject_ids:
        head += [paragraph(columns[sid].name or sid[:8], HEAD), ""]
        sub += ["ср. вз.", "итог"]
    body = []
    for i, row in enumerate(sheet.students, 1):
        line: list[object] = [str(i), paragraph(row.name or row.id, CELL)]
        for sid in subject_ids:
            cell = row.cells[sid]
            line += [number(cell.weighted_average), period_mark(cell.period_mark)]
        body.append(line)
    figures = _figure_rows(sheet, subject_ids)
    name_width = 55 * mm
    rest = (width - name_width - 8 * mm) / max(1, 2 * len(subject_ids))
    table = Table(
        [head, sub, *body, *figures],
        colWidths=[8 * mm, name_width] + [rest] * (2 * len(subject_ids)),
        repeatRows=2,
    )
    table.setStyle(_style(len(subject_ids), len(body), len(figures)))
    return table


def _figure_rows(sheet: SummarySheet, subject_ids: Sequence[str]) -> list[list[object]]:
    columns = {c.id: c for c in sheet.subjects}
    rows = []
    for label, attr, places in (
        ("Успеваемость, %", "performance_pct", 1),
        ("Качество знаний, %", "quality_pct", 1),
        ("СОУ, %", "sou_pct", 1),
        ("Средний балл", "average", 1),
    ):
        line: list[object] = ["", label]
        for sid in subject_ids:
            line += [number(getattr(columns[sid], attr), places), ""]
        rows.append(line)
    return rows


def _style(subjects: int, students: int, figures: int) -> TableStyle:
    commands: list[tuple[object, ...]] = [
        ("FONT", (0, 0), (-1, -1), FONT, 7),
        ("FONT", (0, 0), (-1, 1), FONT_BOLD, 6.5),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (2, 0), (-1, -1), "CENTER"),
        ("SPAN", (0, 0), (0, 1)),
        ("SPAN", (1, 0), (1, 1)),
        ("BACKGROUND", (0, 0), (-1, 1), colors.HexColor("#eeeeee")),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]
    for i in range(subjects):
        commands.append(("SPAN", (2 + 2 * i, 0), (3 + 2 * i, 0)))
        first_figure = 2 + students
        for r in range(first_figure, first_figure + figures):
            commands.append(("SPAN", (2 + 2 * i, r), (3 + 2 * i, r)))
    if figures:
        commands.append(("FONT", (0, 2 + students), (-1, -1), FONT_BOLD, 7))
    return TableStyle(commands)


def _footer(sheet: SummarySheet, class_teacher: str | None) -> list[Flowable]:
    totals = sheet.totals
    return [
        Paragraph(
            f"По классу: успеваемость {number(totals.performance_pct, 1) or '—'} %, "
            f"качество знаний {number(totals.quality_pct, 1) or '—'} % "
            f"(обучающихся на конец периода: {totals.students}).",
            TEXT,
        ),
        Spacer(1, 6 * mm),
        Paragraph(
            "Классный руководитель ____________________ / "
            f"{text(class_teacher or '____________________')} /",
            TEXT,
        ),
        Spacer(1, 5 * mm),
        Paragraph("Директор ____________________ / ____________________ /", TEXT),
        Spacer(1, 5 * mm),
        Paragraph(
            "М.П.                                  Дата: «____» ______________ 20____ г.", TEXT
        ),
    ]
