"""The summary sheet as an XLSX workbook: values (never formulas), a frozen header, and one
worksheet per group of subjects when the class has more than fit one screen."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from services.reports.adapters.render.cells import append
from services.reports.adapters.render.labels import (
    COUNTED_MARK_HEADS,
    chunks,
    day,
    mark_counts,
    period_label,
    period_mark,
)
from services.reports.service.sheets import SummarySheet

SUBJECTS_PER_SHEET = 8
CELL_HEADS = ("Среднее", "Взвешенное", "Кол-во", "Итог")
FIGURES = (
    ("Успеваемость, %", "performance_pct"),
    ("Качество знаний, %", "quality_pct"),
    ("СОУ, %", "sou_pct"),
    ("Средний балл", "average"),
)
BOLD = Font(bold=True)
HEADER_ROWS = 4


def sheet_xlsx(
    sheet: SummarySheet, *, school_name: str | None, year_name: str | None, made_on: dt.date
) -> bytes:
    book = Workbook()
    book.remove(book.active)
    groups = chunks([c.id for c in sheet.subjects], SUBJECTS_PER_SHEET)
    for index, group in enumerate(groups, 1):
        title = "Ведомость" if len(groups) == 1 else f"Предметы {index}"
        _grid(book.create_sheet(title), sheet, group, school_name, year_name, made_on)
    _totals(book.create_sheet("Показатели"), sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _grid(
    ws: Worksheet,
    sheet: SummarySheet,
    subject_ids: Sequence[str],
    school_name: str | None,
    year_name: str | None,
    made_on: dt.date,
) -> None:
    columns = {c.id: c for c in sheet.subjects}
    append(ws, [f"Сводная ведомость: {school_name or ''}, класс {sheet.class_name or ''}"])
    append(ws, [f"{period_label(sheet.period, year_name)}; сформирована {day(made_on)}"])
    ws["A1"].font = BOLD
    head: list[object] = ["№", "Ученик"]
    sub: list[object] = ["", ""]
    for sid in subject_ids:
        head += [columns[sid].name or sid, "", "", ""]
        sub += list(CELL_HEADS)
    append(ws, head)
    append(ws, sub)
    for i, _ in enumerate(subject_ids):
        first = 3 + 4 * i
        ws.merge_cells(start_row=3, start_column=first, end_row=3, end_column=first + 3)
    for cell in (*ws[3], *ws[4]):
        cell.font = BOLD
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    for n, row in enumerate(sheet.students, 1):
        line: list[object] = [n, row.name or row.id]
        for sid in subject_ids:
            cell = row.cells[sid]
            line += [cell.average, cell.weighted_average, cell.count, period_mark(cell.period_mark)]
        append(ws, line)
    for label, attr in FIGURES:
        line = ["", label]
        for sid in subject_ids:
            line += [getattr(columns[sid], attr), "", "", ""]
        append(ws, line)
    ws.freeze_panes = ws.cell(row=HEADER_ROWS + 1, column=3)
    ws.column_dimensions["B"].width = 34
    for col in range(3, 3 + 4 * len(subject_ids)):
        ws.column_dimensions[get_column_letter(col)].width = 11


def _totals(ws: Worksheet, sheet: SummarySheet) -> None:
    append(ws, ["Предмет", "N", *COUNTED_MARK_HEADS, "без отметки"])
    for column in sheet.subjects:
        counts = column.counts
        append(
            ws,
            [
                column.name or column.id,
                counts.n,
                *mark_counts(counts.counts),
                counts.without_mark,
            ],
        )
    totals = sheet.totals
    ws.append([])
    append(ws, ["Успеваемость класса, %", totals.performance_pct])
    append(ws, ["Качество знаний класса, %", totals.quality_pct])
    append(ws, ["Обучающихся на конец периода", totals.students])
    for cell in ws[1]:
        cell.font = BOLD
    ws.freeze_panes = "A2"
    ws.column_dimensions["A"].width = 34
