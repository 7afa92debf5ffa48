"""The renderers print any text people typed as text (R-RPT-1, R-RPT-3), with nothing running.

Any name — reportlab markup (balanced or not), XML entities, quotes, control characters, or a
text that starts like a spreadsheet formula (`=`, `+`, `-`, `@`, tab, carriage return) —
renders without raising, and no cell of a workbook is ever a formula.
"""

from __future__ import annotations

import datetime as dt
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from pypdf import PdfReader

from services.reports.adapters.render.pdf import sheet_pdf
from services.reports.adapters.render.tables import performance_pdf, performance_xlsx
from services.reports.adapters.render.xlsx import sheet_xlsx
from services.reports.models import Period
from services.reports.rules.summary_sheet import StudentTotals, SubjectCounts
from services.reports.service.performance import PerformanceRow
from services.reports.service.sheets import (
    Cell,
    SheetTotals,
    StudentRow,
    SubjectColumn,
    SummarySheet,
)

MADE_ON = dt.date(2026, 12, 1)
HOSTILE = [
    '<font color="red">X</font>',
    "<b>Жирный",
    '<img src="/etc/hostname"/>',
    "</para>",
    "&nbsp; &amp; &#0; &unknown;",
    "=1+1",
    "+7 999",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "'\"<>&",
]
text = st.one_of(
    st.sampled_from(HOSTILE),
    st.builds(
        str.__add__,
        st.sampled_from(["", "=", "+", "-", "@", "\t", "\r", "<", "&", "<b>", "</i>"]),
        st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30),
    ),
)


def a_sheet(subjects: list[str], students: list[str], class_name: str) -> SummarySheet:
    ids = [f"s{i}" for i in range(len(subjects))]
    counts = SubjectCounts.of(["4", "5", None])
    return SummarySheet(
        class_id="c",
        class_name=class_name,
        grade=9,
        class_teacher_id=None,
        school_id="school",
        period=Period(kind="quarter", number=2, starts_on=dt.date(2026, 11, 5), ends_on=MADE_ON),
        generated_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
        subjects=[
            SubjectColumn(sid, name, 100.0, 50.0, 64.0, 4.5, counts)
            for sid, name in zip(ids, subjects, strict=True)
        ],
        students=[
            StudentRow(f"p{n}", name, True, {sid: Cell(4.5, 4.25, 2, "4") for sid in ids})
            for n, name in enumerate(students)
        ],
        totals=SheetTotals(100.0, 50.0, len(students), StudentTotals(2, 2, 1)),
    )


def a_row(name: str) -> PerformanceRow:
    return PerformanceRow("key", name, SubjectCounts.of(["4", "5"]), StudentTotals(2, 2, 1), 2)


def cells(book_bytes: bytes) -> list[tuple[Worksheet, object]]:
    book = load_workbook(io.BytesIO(book_bytes))
    return [(ws, cell) for ws in book.worksheets for row in ws.iter_rows() for cell in row]


def no_formulas(book_bytes: bytes) -> dict[str, object]:
    """Every string cell, by value; asserts that none is a formula."""
    seen: dict[str, object] = {}
    for ws, cell in cells(book_bytes):
        assert cell.data_type != "f", f"{ws.title}!{cell.coordinate}: {cell.value!r}"  # type: ignore[attr-defined]
        if isinstance(cell.value, str):  # type: ignore[attr-defined]
            seen[cell.value] = cell  # type: ignore[attr-defined]
    return seen


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(subjects=st.lists(text, min_size=1, max_size=3), students=st.lists(text, max_size=3))
def test_any_typed_name_renders_the_summary_sheet_without_formulas_R_RPT_1(
    subjects: list[str], students: list[str]
) -> None:
    sheet = a_sheet(subjects, students, class_name=subjects[0])
    pdf = sheet_pdf(
        sheet,
        school_name=subjects[-1],
        year_name="2026/2027",
        class_teacher=subjects[0],
        made_on=MADE_ON,
    )
    assert not any(page.images for page in PdfReader(io.BytesIO(pdf)).pages)
    no_formulas(sheet_xlsx(sheet, school_name=subjects[-1], year_name=None, made_on=MADE_ON))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names=st.lists(text, min_size=1, max_size=3), section=text, title=text)
def test_any_typed_name_renders_the_performance_tables_without_formulas_R_RPT_3(
    names: list[str], section: str, title: str
) -> None:
    sections = [(section, [a_row(n) for n in names])]
    pdf = performance_pdf(title, title, sections)
    assert not any(page.images for page in PdfReader(io.BytesIO(pdf)).pages)
    no_formulas(performance_xlsx(title, sections))


def test_performance_tables_print_markup_and_formula_names_literally_R_RPT_3() -> None:
    sections = [("Школы", [a_row(name) for name in HOSTILE])]
    pdf = PdfReader(io.BytesIO(performance_pdf("<b>Город", "<i>2 четверть", sections)))
    printed = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    for name in ('<font color="red">X</font>', "<b>Жирный", '<img src="/etc/hostname"/>'):
        assert name in printed, name
    assert "<b>Город" in printed and "<i>2 четверть" in printed
    seen = no_formulas(performance_xlsx("=Город", sections))
    for name in ("=1+1", "+7 999", "-2+3", "@SUM(A1)", "=Город"):
        assert name in seen, name
        assert seen[name].data_type == "s" and seen[name].quotePrefix  # type: ignore[attr-defined]
    numbers = [c.value for _, c in cells(performance_xlsx("t", sections)) if c.row == 3]  # type: ignore[attr-defined]
    assert numbers[1] == 2 and isinstance(
        numbers[9], int | float
    )  # counts and figures stay numbers
