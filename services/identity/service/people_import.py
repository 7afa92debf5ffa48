"""Bulk import of people from a class list (R-YR-1, R-YR-3): preview, then all or nothing.

A preview lists every row: new, already registered (skipped), or bad with every reason.
A commit writes only when no row is bad, in one transaction with its events. A person
already registered (same kind, names, birth date and e-mail) is never created again, and a
guardianship never linked twice, so importing the same file twice creates nothing twice.
Parents are linked to students of the same file through the `ref` and `children` columns.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from contracts.identity import GuardianLinked
from kit.errors import Invalid
from kit.usecase import Actor, UseCase
from services.identity import policy
from services.identity.models import Person
from services.identity.policy import Action, Target, authorize
from services.identity.repository import guardianships as guardian_rows
from services.identity.repository import people as people_rows
from services.identity.rules import csv_rows
from services.identity.rules.csv_rows import CsvRow
from services.identity.rules.person_fields import (
    Problem,
    missing_fields,
    natural_key,
    problems_of,
)
from services.identity.service import audit, people, schools
from services.identity.service.audit import LogAction


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    code: str
    message: str


@dataclass
class ImportedRow:
    row: int
    status: str
    kind: str
    last_name: str
    first_name: str
    middle_name: str | None
    person_id: str | None = None
    missing_fields: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    committed: bool
    encoding: str
    delimiter: str
    ignored_columns: list[str]
    rows: list[ImportedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    new_guardianships: int = 0

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)


async def import_people(
    uc: UseCase,
    school_id: str,
    data: bytes,
    *,
    commit: bool,
    encoding: str | None = None,
    default_kind: str | None = None,
) -> ImportReport:
    school = await schools.school_for(uc, school_id)
    authorize(uc.actor, Action.import_people, Target(school.id))
    parsed = csv_rows.parse(data, encoding=encoding, default_kind=default_kind)
    today = uc.today(school.timezone)
    rows = [_checked(row, uc.actor, today) for row in parsed.rows]
    _check_across_rows(rows)
    keys = {row.line: natural_key(row.draft) for row in rows if not row.problems}
    existing = await people_rows.by_natural_keys(uc.session, school.id, keys.values())
    report = ImportReport(False, parsed.encoding, parsed.delimiter, parsed.ignored_columns)
    report.errors = [
        RowError(row.line, p.field, p.code, p.message) for row in rows for p in row.problems
    ]
    if commit and report.errors:
        raise Invalid(
            f"{len({e.row for e in report.errors})} row(s) have errors: nothing was imported",
            code="import_has_errors",
            errors=[vars(e) for e in report.errors],
        )
    ids = {line: existing[key].id for line, key in keys.items() if key in existing}
    if commit:
        ids.update(await _create(uc, school.id, rows, keys, ids))
    report.rows = [
        _reported(row, ids.get(row.line), row.line in keys, commit, existing, keys) for row in rows
    ]
    pairs = _guardian_pairs(rows, ids)
    report.new_guardianships = await _link(uc, school.id, pairs, commit)
    report.committed = commit
    if commit:
        audit.record(
            uc,
            LogAction.people_imported,
            school_id=school.id,
            actor=uc.actor,
            detail=f"{report.count('new')} new, {report.count('exists')} already registered",
        )
    return report


def _checked(row: CsvRow, actor: Actor, today: object) -> CsvRow:
    cleaned, problems = problems_of(row.draft, today)  # type: ignore[arg-type]
    found = _unique([*row.problems, *problems])
    if cleaned.kind in ("staff", "student", "parent") and not policy.allows(
        actor, policy.create_action(cleaned.kind, cleaned.roles)
    ):
        found.append(Problem("kind", "not_allowed", f"your role may not add {cleaned.kind}"))
    if row.children and cleaned.kind != "parent":
        found.append(Problem("children", "children_only_for_parents", "only a parent has children"))
    return replace(row, draft=cleaned, problems=found)


def _unique(problems: Iterable[Problem]) -> list[Problem]:
    seen: dict[tuple[str, str], Problem] = {}
    for problem in problems:
        seen.setdefault((problem.field, problem.code), problem)
    return list(seen.values())


def _check_across_rows(rows: list[CsvRow]) -> None:
    """The same person twice, a ref used twice, a child that is not a student of the file."""
    first_by_key: dict[str, int] = {}
    by_ref: dict[str, CsvRow] = {}
    for row in rows:
        key = natural_key(row.draft)
        if key in first_by_key:
            row.problems.append(
                Problem("", "duplicate_in_file", f"the same person as row {first_by_key[key]}")
            )
        first_by_key.setdefault(key, row.line)
        if row.ref is not None:
            if row.ref in by_ref:
                row.problems.append(
                    Problem(
                        "ref",
                        "duplicate_ref",
                        f"ref {row.ref!r} is also row {by_ref[row.ref].line}",
                    )
                )
            by_ref.setdefault(row.ref, row)
    for row in rows:
        for ref in row.children:
            child = by_ref.get(ref)
            if child is None:
                row.problems.append(
                    Problem("children", "unknown_child_ref", f"no row has ref {ref!r}")
                )
            elif child.draft.kind != "student":
                row.problems.append(
                    Problem("children", "not_a_student", f"row {child.line} is not a student")
                )


async def _create(
    uc: UseCase,
    school_id: str,
    rows: list[CsvRow],
    keys: dict[int, str],
    known: dict[int, str],
) -> dict[int, str]:
    created: dict[int, Person] = {
        row.line: people.new_person(row.draft, school_id, uc.now, uc.actor.account_id)
        for row in rows
        if row.line in keys and row.line not in known
    }
    people_rows.add_all(uc.session, list(created.values()))
    await people.flush_or_conflict(uc)
    await uc.publish(school_id, [people.registered_event(p) for p in created.values()])
    return {line: person.id for line, person in created.items()}


def _reported(
    row: CsvRow,
    person_id: str | None,
    valid: bool,
    commit: bool,
    existing: dict[str, Person],
    keys: dict[int, str],
) -> ImportedRow:
    if not valid:
        status = "invalid"
    elif keys[row.line] in existing:
        status = "exists"
    else:
        status = "new"
    return ImportedRow(
        row=row.line,
        status=status,
        kind=row.draft.kind,
        last_name=row.draft.last_name,
        first_name=row.draft.first_name,
        middle_name=row.draft.middle_name,
        person_id=person_id if (commit or status == "exists") else None,
        missing_fields=missing_fields(row.draft.kind, row.draft),
    )


def _guardian_pairs(
    rows: list[CsvRow], ids: dict[int, str]
) -> list[tuple[int, int, str | None, str | None]]:
    """(parent line, child line, parent id, child id); ids are None before a commit."""
    line_of = {row.ref: row.line for row in rows if row.ref is not None}
    return [
        (row.line, line_of[ref], ids.get(row.line), ids.get(line_of[ref]))
        for row in rows
        for ref in row.children
        if ref in line_of
    ]


async def _link(
    uc: UseCase,
    school_id: str,
    pairs: list[tuple[int, int, str | None, str | None]],
    commit: bool,
) -> int:
    known = {(p, c) for _, _, p, c in pairs if p is not None and c is not None}
    if not commit:
        already = await guardian_rows.existing(uc.session, school_id, known)
        return len(pairs) - len(already)
    new = await guardian_rows.link(uc.session, school_id, known, uc.now, uc.actor.account_id)
    await uc.publish(school_id, [GuardianLinked(parent_id=p, student_id=s) for p, s in sorted(new)])
    return len(new)
