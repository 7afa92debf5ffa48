"""What the weekly schedule finds due (R-ARC-3, R-ARC-4): packages of each year, judged by
the date at its own school, and the audit of every copy."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kit.usecase import UseCase
from services.archive.repository import audits as audit_rows
from services.archive.repository import packages as package_rows
from services.archive.repository import years as year_rows
from services.archive.rules import schedule
from services.archive.rules.packaging import PackageKind
from services.archive.service import schools


@dataclass(frozen=True)
class DueRun:
    school_id: str
    year_id: str
    kind: PackageKind


async def due_runs(
    uc: UseCase, *, interval: dt.timedelta, year_end_grace: dt.timedelta
) -> list[DueRun]:
    """Every year's package that is due now, each year judged by its school's today; a
    school whose registration has not reached the archive is skipped until it does."""
    last = await package_rows.last_stored_runs(uc.session)
    years = await year_rows.years(uc.session, None)
    todays = await schools.todays(uc, {y.school_id for y in years})
    due: list[DueRun] = []
    for year in years:
        if year.school_id not in todays:
            continue
        kind = schedule.due_package(
            schedule.YearDates(year.starts_on, year.ends_on, year.closed_on, year.closed_at),
            today=todays[year.school_id],
            now=uc.now,
            last_weekly=last.get((year.id, PackageKind.weekly.value)),
            last_year_end=last.get((year.id, PackageKind.year_end.value)),
            interval=interval,
            year_end_grace=year_end_grace,
        )
        if kind is not None:
            due.append(DueRun(year.school_id, year.id, kind))
    return due


async def audit_due(uc: UseCase, *, interval: dt.timedelta) -> bool:
    """R-ARC-1, R-ARC-3: the schedule's last audit started at least an interval ago."""
    previous = await audit_rows.last_audit_started(uc.session, "schedule")
    return schedule.audit_due(previous, now=uc.now, interval=interval)
