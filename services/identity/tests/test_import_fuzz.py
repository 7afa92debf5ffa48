"""The CSV class-list import under hypothesis (issue 16): no input is a server error, and no
row that breaks a person's rules is ever imported.

Arbitrary bytes and CSV texts built from the columns a secretary uses — with names, dates,
kinds, e-mails and roles both right and hostile (markup, formula prefixes, control
characters, any Unicode, quotes and delimiters inside fields) — are posted to
`people:import`, previewed and committed. Every answer is 200 or a 4xx problem+json; a
commit that answers 200 created only people whose stored record passes the rules again
unchanged. The parser alone sees many more files: it returns rows or refuses the file with
a 4xx domain error, never anything else.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from kit.errors import DomainError
from services.identity.rules import csv_rows
from services.identity.rules.person_fields import (
    EARLIEST_BIRTH,
    KINDS,
    NAME_LENGTH,
    SEXES,
    STAFF_ROLES,
    PersonDraft,
    problems_of,
)
from services.identity.tests.factories import Harness

any_unicode = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
HOSTILE = ["", " ", "<b>", "=1+1", "+7", "-", "@SUM(A1)", "\t", "\r", "\n", '"', ";", ",", "\x00"]


def word(*good: str) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(good), st.sampled_from(HOSTILE), any_unicode)


CELLS: dict[str, st.SearchStrategy[str]] = {
    "тип": word("ученик", "Родитель", "сотрудник", "student", "parent", "staff", "учитель"),
    "фамилия": word("Иванова", "Петров-Водкин", "O'Neil", "Ли", "иванова", "Ив4нов"),
    "имя": word("Анна", "Анна Мария", "Ёжик", "Zoë", "X" * (NAME_LENGTH + 1)),
    "отчество": word("Петровна", "", "Петрович1"),
    "дата рождения": word(
        "01.09.2015", "2016-02-29", "29.02.2015", "01.01.0001", "31/12/9999", "01.01.1900"
    ),
    "пол": word("м", "Ж", "female", "x"),
    "e-mail": word("a.b@example.org", "not-an-email", "a@b", "x@" + "y" * 300 + ".org"),
    "роли": word("учитель|завуч", "school_admin", "director/teacher", "student", "operator"),
    "№": word("1", "2", "1"),
    "дети": word("1", "1 2", "3|1", "x"),
}
# values a secretary would type, so that many files commit and their people are checked
GOOD: dict[str, st.SearchStrategy[str]] = {
    "тип": st.sampled_from(["ученик", "Ученица", "родитель"]),
    "фамилия": st.sampled_from(["Иванова", "Петров-Водкин", "O'Neil", "Ли", " Смирнов "]),
    "имя": st.sampled_from(["Анна", "Анна Мария", "Ёжик", "Zoë", "Ян"]),
    "отчество": st.sampled_from(["Петровна", "", "Ильич"]),
    "дата рождения": st.sampled_from(["01.09.2015", "2016-02-29", "01/01/1990", ""]),
    "пол": st.sampled_from(["м", "Ж", "female", ""]),
    "e-mail": st.sampled_from(["", "a.b@example.org", "Мама@пример.рф"]),
    "роли": st.sampled_from([""]),
    "№": st.sampled_from(["", "7", "8", "9"]),
    "дети": st.sampled_from([""]),
}
COLUMNS = list(CELLS)


@st.composite
def class_lists(draw: st.DrawFn) -> bytes:
    """A class list as a spreadsheet saves it, or a broken one: quoted or raw fields."""
    extra = draw(st.lists(st.sampled_from(COLUMNS), unique=True))
    header = ["фамилия", "имя", *[c for c in extra if c not in ("фамилия", "имя")]]
    header = draw(st.permutations(header))
    delimiter = draw(st.sampled_from([";", ","]))
    rows = []
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        cells = GOOD if draw(st.booleans()) else CELLS
        rows.append([draw(cells[column]) for column in header])
    if draw(st.booleans()):
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows([header, *rows])
        text = buffer.getvalue()
    else:
        text = "\n".join(delimiter.join(row) for row in [header, *rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "windows-1251"]))
    return text.encode(encoding, errors="replace")


files = st.one_of(st.binary(max_size=300), class_lists())
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def assert_a_valid_record(person: dict[str, Any], today: dt.date) -> None:
    """A stored person passes the rules again, unchanged, and holds no control characters."""
    draft = PersonDraft(
        kind=person["kind"],
        last_name=person["last_name"],
        first_name=person["first_name"],
        middle_name=person["middle_name"],
        birth_date=dt.date.fromisoformat(person["birth_date"]) if person["birth_date"] else None,
        sex=person["sex"],
        email=person["email"],
        roles=tuple(person["roles"]),
    )
    cleaned, problems = problems_of(draft, today)
    assert problems == [], (person, problems)
    assert cleaned == draft, person
    assert draft.kind in KINDS and (draft.sex is None or draft.sex in SEXES)
    for name in (draft.last_name, draft.first_name, draft.middle_name):
        assert name is None or (0 < len(name) <= NAME_LENGTH and not CONTROL.search(name))
        assert name is None or name[0].isupper()
    assert draft.birth_date is None or EARLIEST_BIRTH <= draft.birth_date <= today
    assert draft.roles == ((draft.kind,) if draft.kind != "staff" else draft.roles)
    assert draft.kind != "staff" or (draft.roles and set(draft.roles) <= STAFF_ROLES)


@settings(max_examples=400, deadline=None)
@given(data=files, default_kind=st.sampled_from([None, "student", "parent", "staff"]))
@example(data=b"\xff\xfe\x00\x00", default_kind=None)
@example(data=b'\xd4\xe0\xec\xe8\xeb\xe8\xff;\xc8\xec\xff\n"a', default_kind="student")
@example(data="фамилия;имя\n" + "x;" * 200_000, default_kind=None)
def test_the_parser_reads_rows_or_refuses_the_file_with_a_4xx(
    data: bytes | str, default_kind: str | None
) -> None:
    raw = data.encode() if isinstance(data, str) else data
    try:
        parsed = csv_rows.parse(raw, encoding=None, default_kind=default_kind)
    except DomainError as refused:
        assert 400 <= refused.status < 500
        return
    for row in parsed.rows:
        assert row.line >= 2
        problems_of(row.draft, dt.date(2026, 12, 2))  # the rules take any row the parser reads


_world: dict[int, tuple[str, dict[str, str]]] = {}


async def school_and_admin(identity: Harness) -> tuple[str, dict[str, str]]:
    """One school and its administrator for all of one module's examples."""
    if id(identity) not in _world:
        school = await identity.school()
        admin = await identity.member(school.id, "staff", "school_admin")
        _world[id(identity)] = (school.id, admin.headers)
    return _world[id(identity)]


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=files,
    mode=st.sampled_from(["preview", "commit"]),
    default_kind=st.sampled_from([None, "student"]),
)
@example(
    data="фамилия;имя;тип\n<b>Иванова;=1+1;ученик\n".encode(), mode="commit", default_kind=None
)
@example(
    data="фамилия;имя\nИванова;Анна\n".encode("windows-1251"), mode="commit", default_kind="student"
)
async def test_any_file_is_answered_2xx_or_4xx_and_imports_only_valid_people(
    identity: Harness, data: bytes, mode: str, default_kind: str | None
) -> None:
    school_id, headers = await school_and_admin(identity)
    response = await identity.client.post(
        f"/identity/v1/schools/{school_id}/people:import",
        params={"mode": mode, **({"default_kind": default_kind} if default_kind else {})},
        files={"file": ("класс.csv", data, "text/csv")},
        headers=headers,
    )
    assert response.status_code < 500, response.text
    event(f"{mode}: {response.status_code} {response.json().get('code', '')}")
    if response.status_code >= 400:
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["status"] == response.status_code
        return
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["committed"] == (mode == "commit")
    if mode == "preview":
        bad_rows = {error["row"] for error in report["errors"]}
        assert {r["row"] for r in report["rows"] if r["status"] == "invalid"} == bad_rows
        return
    assert report["errors"] == []  # a commit writes all rows or none
    event(f"commit: {len(report['rows'])} row(s) imported")
    today = identity.now().date()
    for row in report["rows"]:
        assert row["status"] in ("new", "exists") and row["person_id"], row
        person = await identity.client.get(
            f"/identity/v1/people/{row['person_id']}", headers=headers
        )
        assert person.status_code == 200, person.text
        assert_a_valid_record(person.json(), today)
