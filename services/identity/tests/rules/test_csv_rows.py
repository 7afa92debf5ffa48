"""Reading a class list from a spreadsheet's CSV (R-YR-3), as a function of its bytes."""

from __future__ import annotations

import pytest

from kit.errors import Invalid, PayloadTooLarge
from services.identity.rules.csv_rows import MAX_BYTES, parse

LIST = "Фамилия;Имя;Отчество;Дата рождения;Пол\nИванова;Анна;Петровна;01.03.2015;ж\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "windows-1251"])
def test_a_class_list_in_any_usual_encoding_is_read(encoding: str) -> None:
    read = parse(LIST.encode(encoding), encoding=None, default_kind="student")
    assert read.delimiter == ";"
    (row,) = read.rows
    assert (row.line, row.draft.last_name, row.draft.sex, row.problems) == (
        2,
        "Иванова",
        "female",
        [],
    )


def test_a_bad_row_is_reported_with_its_line_and_field() -> None:
    text = LIST + "\nПетров;Иван;;31.02.2015;м\n"
    read = parse(text.encode(), encoding=None, default_kind="student")
    bad = read.rows[1]
    assert bad.line == 4  # the line in the file, blank lines counted
    assert [(p.field, p.code) for p in bad.problems] == [("birth_date", "invalid_date")]


@pytest.mark.parametrize(
    ("data", "error", "code"),
    [
        (b"   \n", Invalid, "empty_file"),
        (LIST.encode("utf-16"), Invalid, "unsupported_encoding"),
        (b"x" * (MAX_BYTES + 1), PayloadTooLarge, "file_too_large"),
    ],
)
def test_a_file_that_cannot_be_a_class_list_is_refused_whole(
    data: bytes, error: type[Exception], code: str
) -> None:
    with pytest.raises(error) as refused:
        parse(data, encoding=None, default_kind="student")
    assert getattr(refused.value, "code", None) == code
