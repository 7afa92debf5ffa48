"""Reading a class list as a school's secretary saves it: CSV from a spreadsheet.

UTF-8 (with or without BOM) or Windows-1251, `;` or `,` between fields, a first row naming
the columns in Russian or English (see docs/identity.md). Whole-file problems (empty,
unreadable, no recognisable header, broken quoting) raise; each bad row is reported with
its line number, every field that is wrong, and why.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from kit.errors import Invalid, PayloadTooLarge
from services.identity.rules.person_fields import PersonDraft, Problem

MAX_BYTES = 2_000_000
MAX_ROWS = 5000

COLUMNS = {
    "kind": ("kind", "тип", "категория"),
    "last_name": ("last_name", "фамилия"),
    "first_name": ("first_name", "имя"),
    "middle_name": ("middle_name", "отчество"),
    "birth_date": ("birth_date", "дата рождения", "дата_рождения", "др"),
    "sex": ("sex", "пол"),
    "email": ("email", "e-mail", "эл. почта", "электронная почта", "почта"),
    "roles": ("roles", "роли", "должность"),
    "ref": ("ref", "номер", "№", "n"),
    "children": ("children", "дети", "ребёнок", "ребенок"),
}
_BY_TITLE = {title: name for name, titles in COLUMNS.items() for title in titles}

# fmt: off
KIND_WORDS = {
    "student": "student", "ученик": "student", "ученица": "student", "учащийся": "student",
    "обучающийся": "student", "parent": "parent", "родитель": "parent",
    "законный представитель": "parent", "staff": "staff", "сотрудник": "staff",
}
# fmt: on
# fmt: off
SEX_WORDS = {
    "м": "male", "муж": "male", "мужской": "male", "m": "male", "male": "male",
    "ж": "female", "жен": "female", "женский": "female", "f": "female", "female": "female",
}
# fmt: on
# fmt: off
ROLE_WORDS = {
    "администратор": "school_admin", "администратор эж": "school_admin",
    "директор": "director", "заместитель директора": "deputy", "завуч": "deputy",
    "учитель": "teacher", "секретарь": "secretary", "диспетчер расписания": "scheduler",
}
# fmt: on


@dataclass
class CsvRow:
    line: int
    draft: PersonDraft
    ref: str | None
    children: list[str]
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class CsvFile:
    encoding: str
    delimiter: str
    ignored_columns: list[str]
    rows: list[CsvRow]


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    if len(data) > MAX_BYTES:
        raise PayloadTooLarge(f"a file of at most {MAX_BYTES} bytes", code="file_too_large")
    if not data.strip():
        raise Invalid("the file is empty", code="empty_file")
    if b"\x00" in data:
        raise Invalid(
            "the file is not text in UTF-8 or Windows-1251 (UTF-16?): save it as CSV UTF-8",
            code="unsupported_encoding",
        )
    tries = [encoding] if encoding else ["utf-8", "windows-1251"]
    for name in tries:
        try:
            return data.decode("utf-8-sig" if name == "utf-8" else name), name
        except (UnicodeDecodeError, LookupError):
            continue
    raise Invalid(f"the file cannot be read as {' or '.join(tries)}", code="unsupported_encoding")


def parse(data: bytes, *, encoding: str | None, default_kind: str | None) -> CsvFile:
    text, used = decode(data, encoding)
    lines = text.splitlines()
    header_line = next((line for line in lines if line.strip()), "")
    delimiter = ";" if header_line.count(";") >= header_line.count(",") else ","
    try:
        table = [r for r in csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)]
    except csv.Error as exc:
        raise Invalid(f"the file is not valid CSV: {exc}", code="malformed_csv") from exc
    numbered = [(n, r) for n, r in enumerate(table, start=1) if any(c.strip() for c in r)]
    if not numbered:
        raise Invalid("the file is empty", code="empty_file")
    header = numbered[0][1]
    columns, ignored = _columns(header, default_kind)
    body = numbered[1:]
    if len(body) > MAX_ROWS:
        raise PayloadTooLarge(f"at most {MAX_ROWS} rows in one file", code="too_many_rows")
    rows = [_row(n, cells, columns, default_kind) for n, cells in body]
    return CsvFile(used, delimiter, ignored, rows)


def _columns(header: list[str], default_kind: str | None) -> tuple[list[str | None], list[str]]:
    names = [_BY_TITLE.get(" ".join(cell.split()).casefold()) for cell in header]
    if "last_name" not in names or "first_name" not in names:
        raise Invalid(
            "the first row must name the columns (at least фамилия and имя / last_name and "
            "first_name); if it does, the file may be in another encoding than UTF-8 or "
            "Windows-1251",
            code="unrecognized_header",
        )
    if "kind" not in names and default_kind is None:
        raise Invalid(
            "no column тип/kind: add it, or say default_kind=student|parent|staff",
            code="missing_column",
        )
    ignored = [cell for cell, name in zip(header, names, strict=True) if name is None]
    return names, ignored


def _row(
    line: int, cells: list[str], columns: list[str | None], default_kind: str | None
) -> CsvRow:
    problems: list[Problem] = []
    if len(cells) != len(columns):
        problems.append(
            Problem(
                "", "wrong_field_count", f"{len(cells)} fields where the header has {len(columns)}"
            )
        )
    values = {name: cell.strip() for name, cell in zip(columns, cells, strict=False) if name}
    kind = _word(values.get("kind"), KIND_WORDS, "kind", problems) or default_kind or ""
    draft = PersonDraft(
        kind=kind,
        last_name=values.get("last_name", ""),
        first_name=values.get("first_name", ""),
        middle_name=values.get("middle_name") or None,
        birth_date=_date(values.get("birth_date"), problems),
        sex=_word(values.get("sex"), SEX_WORDS, "sex", problems),
        email=values.get("email") or None,
        roles=_roles(values.get("roles")),
    )
    children = [c for c in values.get("children", "").replace("|", " ").split() if c]
    return CsvRow(line, draft, values.get("ref") or None, children, problems)


def _word(
    value: str | None, words: dict[str, str], name: str, problems: list[Problem]
) -> str | None:
    if not value:
        return None
    found = words.get(" ".join(value.split()).casefold())
    if found is None:
        problems.append(
            Problem(name, f"invalid_{name}", f"{value!r} is not one of {sorted(set(words))}")
        )
    return found


def _date(value: str | None, problems: list[Problem]) -> dt.date | None:
    if not value:
        return None
    for pattern in ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    problems.append(Problem("birth_date", "invalid_date", f"{value!r} is not a date (ДД.ММ.ГГГГ)"))
    return None


def _roles(value: str | None) -> tuple[str, ...]:
    """Role codes or their Russian names, separated by `|` or `/`; unknown ones stay to be
    reported by the person's checks."""
    if not value:
        return ()
    roles = []
    for part in value.replace("/", "|").split("|"):
        word = " ".join(part.split()).casefold()
        if word:
            roles.append(ROLE_WORDS.get(word, word))
    return tuple(roles)
