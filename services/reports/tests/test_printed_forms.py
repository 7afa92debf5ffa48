"""The summary sheet printed (R-RPT-1, R-MRK-9): PDF to sign and stamp, XLSX of plain values."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from kit.clock import FixedClock
from services.reports.tests.conftest import Reports
from services.reports.tests.factories import SchoolStory

SUBJECTS = [
    "Русский язык",
    "Литература",
    "Математика",
    "История",
    "Обществознание",
    "География",
    "Биология",
    "Физика",
    "Химия",
    "Английский язык",
]


@pytest.fixture(scope="module")
async def wide_class(reports: Reports) -> dict[str, Any]:
    s = SchoolStory(name="Гимназия №7 имени А. С. Пушкина")
    teacher = s.teacher()
    class_teacher = s.teacher("Ёлкина", "Юлия")
    c = s.open_class("9Я", 9, class_teacher)
    students = [
        s.student(c, "Щербаков", "Эдуард"),
        s.student(c, "Ёжикова", "Яна"),
        s.student(c, "Жуков", "Юрий"),
    ]
    for n, name in enumerate(SUBJECTS):
        subject = s.subject(name)
        lesson = s.lesson(c, subject, teacher, dt.date(2026, 11, 10 + n))
        for k, student in enumerate(students):
            s.mark(lesson, student, 3 + (n + k) % 3)
            s.period_mark(c, subject, s.quarters[1], student, ["5", "4", "osv", "na"][(n + k) % 4])
    await reports.feed(s.take())
    return {"school": s.school_id, "class": c, "period": s.quarters[1]}


async def test_pdf_is_a4_landscape_in_cyrillic_with_room_for_signatures_R_RPT_1_R_MRK_9(
    reports: Reports, wide_class: dict[str, Any]
) -> None:
    pdf = PdfReader(io.BytesIO(await reports.printed_sheet(wide_class, "pdf")))
    page = pdf.pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width), round(height)) == (842, 595)  # A4, landscape
    text = "\n".join(p.extract_text() for p in pdf.pages)
    for expected in (
        "Сводная ведомость",
        "Гимназия №7 имени А. С. Пушкина",
        "Класс: 9Я",
        "2 четверть 2026/2027",
        "05.11.2026",
        "Щербаков Эдуард",
        "Ёжикова Яна",
        "Английский",
        "ОСВ",
        "н/а",
        "Успеваемость",
        "Классный руководитель",
        "Ёлкина Юлия Сергеевна",
        "Директор",
        "М.П.",
        "Дата формирования",
    ):
        assert expected in text, expected


async def test_xlsx_holds_values_not_formulas_with_a_frozen_header_and_subject_groups(
    reports: Reports, wide_class: dict[str, Any]
) -> None:
    book = load_workbook(io.BytesIO(await reports.printed_sheet(wide_class, "xlsx")))
    # ten subjects do not fit one screen: two groups of subjects, and the figures
    assert book.sheetnames == ["Предметы 1", "Предметы 2", "Показатели"]
    first = book["Предметы 1"]
    assert first.freeze_panes == "C5"
    assert first["C3"].value == "Английский язык"  # columns in alphabetical order
    assert [c.value for c in first[4]][2:6] == ["Среднее", "Взвешенное", "Кол-во", "Итог"]
    names = [first.cell(row=r, column=2).value for r in range(5, 8)]
    assert names == ["Ёжикова Яна", "Жуков Юрий", "Щербаков Эдуард"]
    assert isinstance(first.cell(row=5, column=3).value, int | float)
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula"
    assert book["Предметы 2"]["C3"].value == sorted(SUBJECTS)[8]
    figures = book["Показатели"]
    assert figures["A1"].value == "Предмет"
    assert figures.freeze_panes == "A2"


async def test_the_printed_date_is_the_schools_date_in_its_own_time_zone(
    reports: Reports, wide_class: dict[str, Any]
) -> None:
    """21:30 UTC on 30 November is already 1 December at a school in Moscow."""
    before = reports.runtime.clock
    reports.runtime.clock = FixedClock(dt.datetime(2026, 11, 30, 21, 30, tzinfo=dt.UTC))
    try:
        pdf = PdfReader(io.BytesIO(await reports.printed_sheet(wide_class, "pdf")))
        book = load_workbook(io.BytesIO(await reports.printed_sheet(wide_class, "xlsx")))
    finally:
        reports.runtime.clock = before
    assert "Дата формирования: 01.12.2026" in pdf.pages[0].extract_text()
    assert "сформирована 01.12.2026" in str(book["Предметы 1"]["A2"].value)
