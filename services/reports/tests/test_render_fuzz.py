"""Every typed text the reports print, fuzzed (issue 16): printed as typed, never markup or formula.

test_render_untrusted_text.py checks that hostile names render and make no formula; here each
text is also read back. In the XLSX every text cell holds exactly the typed text (characters
a workbook cannot hold removed), is never a formula, and carries Excel's quote prefix when
it starts like one (`=`, `+`, `-`, `@`, tab, carriage return). In the PDF the typed words
appear in the page's text, markup included, and no image is embedded.
"""

from __future__ import annotations

import io
import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from pypdf import PdfReader
from reportlab.platypus.paragraph import _wsc

from services.reports.adapters.render.cells import FORMULA_STARTS, append, sheet_title, text_cell
from services.reports.adapters.render.pdf import sheet_pdf
from services.reports.adapters.render.tables import performance_pdf, performance_xlsx
from services.reports.adapters.render.xlsx import sheet_xlsx
from services.reports.tests.test_render_untrusted_text import MADE_ON, a_row, a_sheet

PIECES = [
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
    "\n",
    "=1+1",
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://x"&A5,"y")',
    "@SUM(A1)",
    "<b>",
    "</i>",
    '<font color="red">',
    '<img src="/etc/hostname"/>',
    "</para>",
    "&",
    "&amp;",
    "&#0;",
    "'",
    '"',
    "\x00",
    "\x1b",
    "\x7f",
]
any_text = st.lists(
    st.one_of(
        st.sampled_from(PIECES), st.text(st.characters(exclude_categories=["Cs"]), max_size=15)
    ),
    max_size=6,
).map("".join)
# characters DejaVu Sans draws, so that a PDF's text can be read back
drawable = st.lists(
    st.one_of(
        st.sampled_from(PIECES),
        st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=8),
        st.text(st.characters(min_codepoint=0x410, max_codepoint=0x44F), min_size=1, max_size=8),
    ),
    min_size=1,
    max_size=5,
).map("".join)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
WHITESPACE = re.compile(f"[{re.escape(_wsc)}]+")


def stored(value: str) -> str:
    """The text a workbook can hold: what text_cell keeps of a typed value."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def read_back(value: str) -> str:
    """What a reader gets of a stored text: XML turns a carriage return into a line feed."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


def squeezed(value: str) -> str:
    """A text as the PDF's words, without the spaces a line break may add or take."""
    return "".join(WHITESPACE.split(CONTROL.sub("", value)))


def workbook_cells(data: bytes) -> list[object]:
    book = load_workbook(io.BytesIO(data))
    return [cell for ws in book.worksheets for row in ws.iter_rows() for cell in row]


def assert_text_cell(cell: object, typed: str) -> None:
    assert cell.data_type != "f", (cell.coordinate, cell.value)  # type: ignore[attr-defined]
    value = cell.value  # type: ignore[attr-defined]
    if not stored(typed):
        assert value in (None, "")
        return
    assert value == read_back(stored(typed))
    if stored(typed).startswith(FORMULA_STARTS):
        assert cell.data_type == "s" and cell.quotePrefix, (cell.coordinate, value)  # type: ignore[attr-defined]


@settings(max_examples=300, deadline=None)
@given(any_text)
@example("=cmd|' /C calc'!A0")
@example("\x01=1+1")
@example("\t=1")
def test_a_text_cell_holds_the_typed_text_and_never_a_formula(value: str) -> None:
    """The one way reports writes a text into a workbook, saved and read back."""
    book = Workbook()
    ws = book.active
    append(ws, [value, 7, 2.5, None])
    ws.title = sheet_title(value)
    buffer = io.BytesIO()
    book.save(buffer)
    cells = workbook_cells(buffer.getvalue())
    assert_text_cell(cells[0], value)
    assert [c.value for c in cells[1:3]] == [7, 2.5]  # type: ignore[attr-defined]
    assert text_cell(ws, 3).data_type == "n"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names=st.lists(any_text, min_size=1, max_size=3), section=any_text, title=any_text)
def test_the_performance_workbook_holds_every_name_as_typed_R_RPT_3(
    names: list[str], section: str, title: str
) -> None:
    cells = workbook_cells(performance_xlsx(title, [(section, [a_row(n) for n in names])]))
    by_place = {(c.row, c.column): c for c in cells}  # type: ignore[attr-defined]
    assert_text_cell(by_place[(1, 1)], title)
    assert_text_cell(by_place[(2, 1)], section)
    for number, name in enumerate(names, 3):
        assert_text_cell(by_place[(number, 1)], name or "key")  # a row without a name: its key
    assert not any(c.data_type == "f" for c in cells)  # type: ignore[attr-defined]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(subjects=st.lists(any_text, min_size=1, max_size=3), students=st.lists(any_text, max_size=3))
def test_the_summary_workbook_holds_every_name_as_typed_R_RPT_1(
    subjects: list[str], students: list[str]
) -> None:
    sheet = a_sheet(subjects, students, class_name="9А")
    book = load_workbook(
        io.BytesIO(sheet_xlsx(sheet, school_name="Школа", year_name=None, made_on=MADE_ON))
    )
    grid, totals = book.worksheets[0], book.worksheets[-1]
    assert not any(
        c.data_type == "f" for ws in book.worksheets for row in ws.iter_rows() for c in row
    )
    for index, name in enumerate(subjects[: len(subjects)]):
        assert_text_cell(grid.cell(row=3, column=3 + 4 * index), name or f"s{index}")
        assert_text_cell(totals.cell(row=2 + index, column=1), name or f"s{index}")
    for index, name in enumerate(students):
        assert_text_cell(grid.cell(row=5 + index, column=2), name or f"p{index}")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names=st.lists(drawable, min_size=1, max_size=3), title=drawable)
@example(names=['<img src="/etc/hostname"/>', "<b>Жирный"], title='<font color="red">X')
def test_the_performance_pdf_prints_every_name_as_typed_R_RPT_3(
    names: list[str], title: str
) -> None:
    pdf = PdfReader(io.BytesIO(performance_pdf(title, title, [(title, [a_row(n) for n in names])])))
    assert not any(page.images for page in pdf.pages)
    printed = squeezed("".join(page.extract_text() for page in pdf.pages))
    for typed in (title, *names):
        assert squeezed(typed) in printed, typed


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(subjects=st.lists(drawable, min_size=1, max_size=2), students=st.lists(drawable, max_size=2))
@example(subjects=["<b>Жирный"], students=['<img src="/etc/hostname"/>'])
def test_the_summary_pdf_prints_every_name_as_typed_R_RPT_1(
    subjects: list[str], students: list[str]
) -> None:
    sheet = a_sheet(subjects, students, class_name=subjects[0])
    pdf = PdfReader(
        io.BytesIO(
            sheet_pdf(
                sheet,
                school_name=subjects[-1],
                year_name="2026/2027",
                class_teacher=students[0] if students else None,
                made_on=MADE_ON,
            )
        )
    )
    assert not any(page.images for page in pdf.pages)
    printed = squeezed("".join(page.extract_text() for page in pdf.pages))
    for typed in (*subjects, *students):
        assert squeezed(typed) in printed, typed
