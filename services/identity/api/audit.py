"""The access log (R-SEC-1, R-SEC-5) and monthly user activity (R-RPT-3)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from kit.app import UseCaseDep
from kit.errors import problem_responses
from kit.params import Id, Limit, Month, PlatformMoment
from services.identity.schemas.audit import (
    AccessLogEntryOut,
    AccessLogPage,
    ActivityReport,
    RoleActivityOut,
)
from services.identity.service import audit
from services.identity.service.audit import LogAction

router = APIRouter(prefix="/identity/v1/schools/{school_id}", tags=["access log"])


@router.get(
    "/access-log",
    response_model=AccessLogPage,
    summary="Logins, failed logins, credential issues, role changes, reads of personal data",
    responses=problem_responses(401, 403, 404, 422),
)
async def access_log(
    school_id: Id,
    uc: UseCaseDep,
    action: Annotated[list[LogAction] | None, Query(max_length=20)] = None,
    actor_account_id: Annotated[str | None, Query(max_length=36)] = None,
    person_id: Annotated[str | None, Query(max_length=36, description="whom it was about")] = None,
    since: Annotated[PlatformMoment | None, Query(alias="from")] = None,
    until: Annotated[PlatformMoment | None, Query(alias="to")] = None,
    before: Annotated[
        str | None, Query(max_length=36, description="a previous next_before")
    ] = None,
    limit: Limit = 100,
) -> AccessLogPage:
    where = audit.LogFilter(
        school_id=school_id,
        actions=[a.value for a in action or []],
        actor_account_id=actor_account_id,
        subject_person_id=person_id,
        since=since,
        until=until,
        before_id=before,
    )
    rows = await audit.read_log(uc, where, limit)
    return AccessLogPage(
        entries=[
            AccessLogEntryOut(
                id=r.id,
                at=r.at,
                action=r.action,
                actor_account_id=r.actor_account_id,
                actor_roles=r.actor_roles.split(),
                subject_person_id=r.subject_person_id,
                subject_account_id=r.subject_account_id,
                login=r.login,
                address=r.address,
                detail=r.detail,
            )
            for r in rows
        ],
        next_before=rows[-1].id if len(rows) == limit else None,
    )


@router.get(
    "/activity",
    response_model=ActivityReport,
    summary="Monthly user activity per role (R-RPT-3)",
    responses=problem_responses(401, 403, 404, 422),
)
async def activity(
    school_id: Id,
    uc: UseCaseDep,
    month: Month,
) -> ActivityReport:
    figures = await audit.monthly_activity(uc, school_id, month)
    return ActivityReport(
        school_id=school_id,
        month=month,
        roles=[
            RoleActivityOut(
                role=f.role,
                accounts=f.accounts,
                active_accounts=f.active_accounts,
                active_pct=f.active_pct,
                logins=f.logins,
                refreshes=f.refreshes,
                failed_logins=f.failed_logins,
            )
            for f in figures
        ],
    )
