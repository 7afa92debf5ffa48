"""A person's record (R-YR-3) and who may hold which role (R-REC-5), as functions of values."""

from __future__ import annotations

import datetime as dt

import pytest

from kit.errors import Invalid
from services.identity.rules.person_fields import (
    PersonDraft,
    cleaned_or_raise,
    missing_fields,
    natural_key,
    problems_of,
)

TODAY = dt.date(2026, 9, 1)


def test_names_are_cleaned_of_extra_spaces_and_checked_R_YR_3() -> None:
    cleaned, problems = problems_of(
        PersonDraft("student", "  Иванова ", "Анна  Мария", roles=("student",)), TODAY
    )
    assert problems == []
    assert (cleaned.last_name, cleaned.first_name) == ("Иванова", "Анна Мария")


@pytest.mark.parametrize(
    ("draft", "field", "code"),
    [
        (PersonDraft("student", "иванова", "Анна"), "last_name", "invalid_name"),
        (PersonDraft("student", "Иванова", ""), "first_name", "missing_field"),
        (PersonDraft("student", "Иванова1", "Анна"), "last_name", "invalid_name"),
        (PersonDraft("parent", "Иванов", "Пётр", email="not-an-address"), "email", "invalid_email"),
        (PersonDraft("student", "Иванова", "Анна", birth_date=dt.date(2027, 1, 1)),
         "birth_date", "invalid_birth_date"),
        (PersonDraft("student", "Иванова", "Анна", sex="x"), "sex", "invalid_sex"),
        (PersonDraft("visitor", "Иванова", "Анна"), "kind", "invalid_kind"),
    ],
)  # fmt: skip
def test_each_wrong_value_is_named_with_its_field_R_YR_3(
    draft: PersonDraft, field: str, code: str
) -> None:
    _, problems = problems_of(draft, TODAY)
    assert [(p.field, p.code) for p in problems] == [(field, code)]
    with pytest.raises(Invalid) as refused:
        cleaned_or_raise(draft, TODAY)
    assert refused.value.code == code


def test_a_student_can_never_hold_a_role_that_edits_the_journal_R_REC_5() -> None:
    _, problems = problems_of(PersonDraft("student", "Иванова", "Анна", roles=("teacher",)), TODAY)
    assert [(p.field, p.code) for p in problems] == [("roles", "roles_not_allowed")]
    staff, problems = problems_of(
        PersonDraft("staff", "Петров", "Иван", roles=("teacher", "deputy", "teacher")), TODAY
    )
    assert problems == [] and staff.roles == ("deputy", "teacher")
    _, problems = problems_of(PersonDraft("staff", "Петров", "Иван", roles=()), TODAY)
    assert [p.code for p in problems] == ["invalid_roles"]


def test_a_record_without_what_the_class_teacher_enters_reports_it_R_YR_3() -> None:
    student = PersonDraft("student", "Иванова", "Анна")
    assert missing_fields("student", student) == ["birth_date", "sex"]
    assert missing_fields("parent", PersonDraft("parent", "Иванов", "Пётр")) == ["email"]
    assert missing_fields("staff", PersonDraft("staff", "Петров", "Иван")) == []


def test_the_same_person_typed_twice_has_one_key() -> None:
    one = PersonDraft("student", "Семёнова", "Анна", birth_date=dt.date(2015, 3, 1))
    two = PersonDraft("student", " семенова ", "АННА", birth_date=dt.date(2015, 3, 1))
    other = PersonDraft("student", "Семёнова", "Анна", birth_date=dt.date(2015, 3, 2))
    assert natural_key(one) == natural_key(two) != natural_key(other)
