"""Text people typed, written into a workbook as text: never a live formula (R-RPT-1, R-RPT-3).

A name that starts with `=` would otherwise be stored as a formula, and one that starts with
`+`, `-`, `@`, a tab or a carriage return becomes one as soon as somebody edits the cell in a
spreadsheet program (OWASP, "CSV Injection"). Such a text is written as a string cell with
Excel's quote prefix — the cell shows the text as typed, without an apostrophe, and keeps it
text when edited. Numbers stay numbers. Only reports writes spreadsheets, so this lives here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_TITLE_FORBIDDEN = re.compile(r"[\\*?:/\[\]]")


def text_cell(ws: Worksheet, value: object) -> Cell:
    """One cell of `ws`: a number as a number, any text as the text itself."""
    if not isinstance(value, str):
        return Cell(ws, value=value)
    cell = Cell(ws, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    if cell.value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def append(ws: Worksheet, values: Iterable[object]) -> None:
    """`ws.append(values)`, every text written by `text_cell`."""
    ws.append([text_cell(ws, value) for value in values])


def sheet_title(name: str) -> str:
    """A worksheet's title from a name: without the characters Excel forbids, 31 at most."""
    title = _TITLE_FORBIDDEN.sub("_", ILLEGAL_CHARACTERS_RE.sub("", name))[:31].strip("'")
    return title or "Лист"
