"""Names and texts people typed are printed as text, never read as markup or formulas (R-RPT-1).

A subject or a student named like reportlab markup must neither restyle the PDF, nor break it
(an unbalanced tag answered 500 for everyone), nor make it embed a file from the server; a name
that starts like a spreadsheet formula must be a text cell that shows the name.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from services.reports.tests.conftest import Reports
from services.reports.tests.factories import SchoolStory

MARKUP = ['<font color="red">X</font>', "<b>Жирный", '<img src="/etc/hostname"/>']
FORMULAS = ["=1+1", '=HYPERLINK("http://evil.example","x")', "+7 999", "-2+3", "@SUM(A1)"]


@pytest.fixture(scope="module")
async def hostile_class(reports: Reports) -> dict[str, Any]:
    s = SchoolStory(name="<i>Школа &amp; лицей")
    teacher = s.teacher()
    class_teacher = s.teacher("<b>Ёлкина", "Юлия")
    c = s.open_class("<u>9Я", 9, class_teacher)
    students = [s.student(c, name, "Ян") for name in MARKUP + FORMULAS]
    for n, name in enumerate(MARKUP + FORMULAS):
        subject = s.subject(name)
        lesson = s.lesson(c, subject, teacher, dt.date(2026, 11, 10 + n))
        for student in students:
            s.mark(lesson, student, 4)
            s.period_mark(c, subject, s.quarters[1], student, "4")
    await reports.feed(s.take())
    return {"school": s.school_id, "class": c, "period": s.quarters[1]}


async def test_summary_sheet_pdf_prints_markup_in_names_as_literal_text_R_RPT_1(
    reports: Reports, hostile_class: dict[str, Any]
) -> None:
    content = await reports.printed_sheet(hostile_class, "pdf")
    pdf = PdfReader(io.BytesIO(content))
    text = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    for name in ["<font", "X</font>", "<b>Жирный", '<img src="/etc/hostname"/>', "<u>9Я"]:
        assert name in text, name
    assert "<i>Школа &amp; лицей" in text
    assert "<b>Ёлкина" in text
    for page in pdf.pages:
        assert not page.images, "a name made the PDF embed a picture"
    assert b"/Subtype /Image" not in content


async def test_summary_sheet_xlsx_keeps_names_as_text_cells_never_formulas_R_RPT_1(
    reports: Reports, hostile_class: dict[str, Any]
) -> None:
    book = load_workbook(io.BytesIO(await reports.printed_sheet(hostile_class, "xlsx")))
    seen: dict[str, Any] = {}
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    seen.setdefault(cell.value, cell)
    for name in FORMULAS:
        assert name in seen, name  # the subject's name, exactly as typed
        assert seen[name].data_type == "s"
        assert seen[name].quotePrefix, f"{name!r} would become a formula once edited"
        assert f"{name} Ян" in seen
    for name in MARKUP:
        assert name in seen
    assert isinstance(book.worksheets[0].cell(row=5, column=3).value, int | float)
