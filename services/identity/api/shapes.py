"""Turning the service's results into response bodies."""

from __future__ import annotations

from services.identity.models import Account, Person
from services.identity.rules.person_fields import missing_fields
from services.identity.schemas.people import (
    AccountOut,
    ImportErrorOut,
    ImportReportOut,
    ImportRowOut,
    PersonOut,
    PersonSummary,
)
from services.identity.service.people import PersonView
from services.identity.service.people_import import ImportReport


def person_out(view: PersonView) -> PersonOut:
    out = PersonOut.model_validate(view.person)
    out.account = AccountOut.model_validate(view.account) if view.account else None
    out.guardian_ids, out.child_ids = view.guardian_ids, view.child_ids
    out.missing_fields = missing_fields(view.person.kind, view.person)
    return out


def summary(person: Person, account: Account | None) -> PersonSummary:
    return PersonSummary(
        id=person.id,
        kind=person.kind,
        last_name=person.last_name,
        first_name=person.first_name,
        middle_name=person.middle_name,
        roles=list(person.roles),
        login=account.login if account else None,
        account_status=account.status if account else None,
        password_change_required=account.password_change_required if account else None,
        missing_fields=missing_fields(person.kind, person),
    )


def import_report_out(report: ImportReport, mode: str) -> ImportReportOut:
    return ImportReportOut(
        mode=mode,
        committed=report.committed,
        encoding=report.encoding,
        delimiter=report.delimiter,
        ignored_columns=report.ignored_columns,
        total_rows=len(report.rows),
        new_people=report.count("new"),
        existing_people=report.count("exists"),
        invalid_rows=report.count("invalid"),
        new_guardianships=report.new_guardianships,
        errors=[ImportErrorOut(**vars(e)) for e in report.errors],
        rows=[ImportRowOut(**vars(r)) for r in report.rows],
    )
