"""The access log (R-SEC-1, R-SEC-5) and monthly activity figures per role (R-RPT-3).

Written in the same transaction as what it records: a refused login is logged and committed
before the refusal is answered (see `sessions`), a credential issue is logged only if the
credentials were issued.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from kit.errors import Invalid
from kit.usecase import Actor, UseCase
from services.identity.models import AccessLogEntry
from services.identity.policy import Action, Target, authorize
from services.identity.repository import access_log as log_rows
from services.identity.repository import accounts as account_rows
from services.identity.repository import people as people_rows
from services.identity.repository import schools as school_rows
from services.identity.service import schools

LogFilter = log_rows.LogFilter
"""Which entries of the access log to read (the query itself is the repository's)."""


class LogAction(StrEnum):
    login = "login"
    login_failed = "login_failed"
    login_refused = "login_refused"
    logout = "logout"
    password_changed = "password_changed"
    credentials_issued = "credentials_issued"
    credential_slip_printed = "credential_slip_printed"
    roles_changed = "roles_changed"
    personal_data_read = "personal_data_read"
    compromise_reported = "compromise_reported"
    consent_recorded = "consent_recorded"
    consent_withdrawn = "consent_withdrawn"
    people_imported = "people_imported"


def roles_text(roles: Iterable[str]) -> str:
    return " ".join(sorted(set(roles)))


def record(
    uc: UseCase,
    action: LogAction,
    *,
    school_id: str | None,
    actor: Actor | None = None,
    subject_person_id: str | None = None,
    subject_account_id: str | None = None,
    login: str | None = None,
    address: str | None = None,
    detail: str | None = None,
    actor_account_id: str | None = None,
    actor_roles: Iterable[str] = (),
) -> None:
    log_rows.add(
        uc.session,
        [
            AccessLogEntry(
                school_id=school_id,
                at=uc.now,
                action=action.value,
                actor_account_id=actor.account_id if actor else actor_account_id,
                actor_roles=roles_text(actor.roles if actor else actor_roles),
                subject_person_id=subject_person_id,
                subject_account_id=subject_account_id,
                login=login,
                address=address,
                detail=detail,
            )
        ],
    )


def month_of(at: dt.datetime, timezone: str) -> str:
    return at.astimezone(ZoneInfo(timezone)).strftime("%Y-%m")


async def school_timezone(uc: UseCase, school_id: str) -> str:
    school = await school_rows.get(uc.session, school_id)
    return school.timezone if school is not None else "UTC"


async def record_activity(
    uc: UseCase,
    *,
    school_id: str,
    account_id: str,
    roles: Iterable[str],
    login: bool,
) -> None:
    """Count a login or a token refresh of an account in its school's current month."""
    await log_rows.record_activity(
        uc.session,
        school_id=school_id,
        account_id=account_id,
        roles=roles_text(roles),
        month=month_of(uc.now, await school_timezone(uc, school_id)),
        at=uc.now,
        login=login,
    )


@dataclass
class RoleActivity:
    role: str
    accounts: int = 0
    active_accounts: int = 0
    logins: int = 0
    refreshes: int = 0
    failed_logins: int = 0

    @property
    def active_pct(self) -> float | None:
        return round(self.active_accounts * 100 / self.accounts, 1) if self.accounts else None


def month_range(month: str, timezone: str) -> tuple[dt.datetime, dt.datetime]:
    try:
        start = dt.datetime.strptime(month, "%Y-%m").replace(tzinfo=ZoneInfo(timezone))
    except ValueError as exc:
        raise Invalid("month is YYYY-MM", code="invalid_month") from exc
    end = (start + dt.timedelta(days=32)).replace(day=1)
    return start, end


async def read_log(uc: UseCase, where: log_rows.LogFilter, limit: int) -> list[AccessLogEntry]:
    """R-SEC-5: the administrator and the director see who uses the system, and how."""
    school = await schools.school_for(uc, where.school_id)
    authorize(uc.actor, Action.read_access_log, Target(school.id))
    return await log_rows.entries(uc.session, where, limit)


async def monthly_activity(uc: UseCase, school_id: str, month: str) -> list[RoleActivity]:
    """Per role: accounts, those active in the month, logins, refreshes, failed logins."""
    school = await schools.school_for(uc, school_id)
    authorize(uc.actor, Action.read_activity, Target(school.id))
    since, until = month_range(month, await school_timezone(uc, school_id))
    figures: dict[str, RoleActivity] = defaultdict(lambda: RoleActivity(""))

    def of(role: str) -> RoleActivity:
        item = figures[role]
        item.role = role
        return item

    accounts = await account_rows.of_school(uc.session, school_id)
    people = {
        p.id: p
        for p in await people_rows.many(
            uc.session, school_id, [a.person_id for a in accounts if a.person_id]
        )
    }
    for account in accounts:
        person = people.get(account.person_id or "")
        for role in person.roles if person else ():
            of(role).accounts += 1
    for row in await log_rows.activity(uc.session, school_id, month):
        for role in row.roles.split():
            item = of(role)
            item.active_accounts += 1
            item.logins += row.logins
            item.refreshes += row.refreshes
    for roles, count in await log_rows.count_actions(
        uc.session, school_id, LogAction.login_failed, since, until
    ):
        for role in roles.split():
            of(role).failed_logins += count
    return sorted(figures.values(), key=lambda f: f.role)
