"""What a person's record holds (R-YR-3), checked the same way by hand and by CSV import.

Every value given is checked (a name is letters starting with a capital, an e-mail is an
e-mail, a birth date is possible). R-YR-3 asks the class teacher to enter, for each student,
the date of birth and sex, and for a parent an e-mail: the contract lets a record be created
without them (they often arrive later), so a record lacking them is not refused but reports
its `missing_fields`, and the school's list of incomplete records is what the class teacher
checks each period. Staff have at least one staff role; students and parents carry exactly
their one role: a student can never be given a role that edits the journal (R-REC-5).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, replace
from typing import TypeVar

from email_validator import EmailNotValidError, validate_email

from contracts.identity import Role
from kit.errors import Invalid

KINDS = ("staff", "student", "parent")
SEXES = ("male", "female")
STAFF_ROLES = frozenset(
    {Role.school_admin, Role.director, Role.deputy, Role.teacher, Role.secretary, Role.scheduler}
)
T = TypeVar("T")
NAME_LENGTH = 64
_NAME = re.compile(r"^[^\W\d_]+(?:[-' ][^\W\d_]+)*$")
EARLIEST_BIRTH = dt.date(1900, 1, 1)


@dataclass(frozen=True)
class PersonDraft:
    kind: str
    last_name: str
    first_name: str
    middle_name: str | None = None
    birth_date: dt.date | None = None
    sex: str | None = None
    email: str | None = None
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Problem:
    field: str
    code: str
    message: str

    def error(self) -> Invalid:
        return Invalid(f"{self.field}: {self.message}", code=self.code, field=self.field)


def clean_name(
    value: str | None, field: str, *, required: bool
) -> tuple[str | None, Problem | None]:
    text = " ".join((value or "").split())
    if not text:
        return None, Problem(field, "missing_field", "is required") if required else None
    if len(text) > NAME_LENGTH:
        return None, Problem(field, "invalid_name", f"is longer than {NAME_LENGTH} characters")
    if not _NAME.fullmatch(text) or not text[0].isupper():
        return None, Problem(
            field, "invalid_name", f"{text!r} is not a name (letters, starting with a capital)"
        )
    return text, None


def clean_email(value: str | None) -> tuple[str | None, Problem | None]:
    if not value or not value.strip():
        return None, None
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized, None
    except EmailNotValidError as exc:
        return None, Problem("email", "invalid_email", str(exc))


def clean_roles(kind: str, roles: tuple[str, ...]) -> tuple[tuple[str, ...], Problem | None]:
    if kind != "staff":
        if set(roles) - {kind}:
            return (), Problem(
                "roles", "roles_not_allowed", f"a {kind} has only the role {kind!r} (R-REC-5)"
            )
        return (kind,), None
    unknown = set(roles) - STAFF_ROLES
    if unknown or not roles:
        return (), Problem(
            "roles",
            "invalid_roles",
            f"staff need one or more of {sorted(STAFF_ROLES)}"
            + (f"; not {sorted(unknown)}" if unknown else ""),
        )
    return tuple(sorted(set(roles))), None


def problems_of(draft: PersonDraft, today: dt.date) -> tuple[PersonDraft, list[Problem]]:
    """The cleaned draft and every problem found (empty when it may be saved)."""
    if draft.kind not in KINDS:
        return draft, [Problem("kind", "invalid_kind", f"is one of {list(KINDS)}")]
    found: list[Problem] = []
    cleaned = replace(
        draft,
        last_name=_keep(clean_name(draft.last_name, "last_name", required=True), found) or "",
        first_name=_keep(clean_name(draft.first_name, "first_name", required=True), found) or "",
        middle_name=_keep(clean_name(draft.middle_name, "middle_name", required=False), found),
        email=_keep(clean_email(draft.email), found),
        roles=_keep(clean_roles(draft.kind, tuple(draft.roles)), found),
    )
    found.extend(_possible_values(cleaned, today))
    return cleaned, found


def _keep(result: tuple[T, Problem | None], found: list[Problem]) -> T:
    value, problem = result
    if problem is not None:
        found.append(problem)
    return value


def _possible_values(draft: PersonDraft, today: dt.date) -> list[Problem]:
    found = []
    if draft.birth_date is not None and not EARLIEST_BIRTH <= draft.birth_date <= today:
        found.append(Problem("birth_date", "invalid_birth_date", "is not a possible birth date"))
    if draft.sex is not None and draft.sex not in SEXES:
        found.append(Problem("sex", "invalid_sex", f"is one of {list(SEXES)}"))
    return found


RECORD_FIELDS = {"student": ("birth_date", "sex"), "parent": ("email",), "staff": ()}
"""R-YR-3: what the class teacher enters beyond the names."""


def missing_fields(kind: str, values: object) -> list[str]:
    """The R-YR-3 fields this record still lacks (an object with the person's attributes)."""
    return [f for f in RECORD_FIELDS.get(kind, ()) if getattr(values, f, None) is None]


def cleaned_or_raise(draft: PersonDraft, today: dt.date) -> PersonDraft:
    cleaned, problems = problems_of(draft, today)
    if problems:
        raise problems[0].error()
    return cleaned


def _fold(text: str | None) -> str:
    return " ".join((text or "").split()).casefold().replace("ё", "е")


def natural_key(draft: PersonDraft) -> str:
    """The same person entered twice has the same key (case, spaces and ё/е aside)."""
    parts = [
        draft.kind,
        _fold(draft.last_name),
        _fold(draft.first_name),
        _fold(draft.middle_name),
        draft.birth_date.isoformat() if draft.birth_date else "",
        _fold(draft.email),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
