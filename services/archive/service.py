"""The archive's rules: what a run packages, when a package counts as stored, what an audit
concludes, when the schedule is due (R-ARC-1, R-ARC-2, R-ARC-3). Takes a session, never
commits; the bytes themselves travel in `archivist.py`."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.archive import FixityFailed, FixityRepaired, PackageStored
from kit.errors import Conflict, NotFound, Unavailable
from kit.events import Event
from kit.outbox import Outbox
from services.archive import repository
from services.archive.fixity import CopyCheck
from services.archive.models import (
    CopyState,
    FixityAudit,
    Package,
    PackageCopy,
    PackageKind,
    PackageStatus,
    SchoolYear,
)
from services.archive.packaging import BuiltPackage, LedgerRecord, YearInfo


class StoreFailed(Unavailable):
    """A store failed during a run: nothing was recorded as stored (R-ARC-2)."""

    code = "store_failed"


@dataclass(frozen=True)
class RunPlan:
    year: YearInfo
    kind: PackageKind
    records: list[LedgerRecord]


@dataclass(frozen=True)
class RunFacts:
    """Where a run's package went and who or what asked for it."""

    package_id: str
    key: str
    at: dt.datetime
    trigger: str  # request, schedule or command
    requested_by: str | None


@dataclass(frozen=True)
class PackageView:
    package: Package
    copies: list[PackageCopy]


class Verdict(StrEnum):
    ok = "ok"  # every copy re-hashed to the recorded SHA-256
    repaired = "repaired"  # a bad or missing copy was rewritten from a good one and verified
    lost = "lost"  # no intact copy is left
    unverified = "unverified"  # a store did not answer (or a repair failed): try again later


@dataclass
class AuditCounts:
    checked: int = 0
    ok: int = 0
    repaired: int = 0
    lost: int = 0
    unverified: int = 0
    problems: list[str] = field(default_factory=list)

    def add(self, verdict: Verdict) -> None:
        self.checked += 1
        setattr(self, verdict.value, getattr(self, verdict.value) + 1)


def package_key(school_id: str, year_id: str, kind: PackageKind, package_id: str) -> str:
    return f"{school_id}/{year_id}/{kind.value}/{package_id}.zip"


def files_of(built: BuiltPackage) -> str:
    return json.dumps([{"name": f.name, "size": f.size, "sha256": f.sha256} for f in built.files])


# -- runs ------------------------------------------------------------------------------------
def year_over(year: SchoolYear, today: dt.date) -> bool:
    """The journal closed the year (R-YR-2), or its last day has passed."""
    return year.closed_on is not None or today > year.ends_on


async def plan_run(
    session: AsyncSession, school_id: str, year_id: str, kind: PackageKind, today: dt.date
) -> RunPlan:
    """R-ARC-3: weekly = the year so far; year_end = the whole year once it is closed or over."""
    year = await repository.year(session, school_id, year_id)
    if year is None:
        raise NotFound("the archive has not heard of this school year", code="year_not_found")
    if kind is PackageKind.year_end and not year_over(year, today):
        raise Conflict(
            f"the year {year.name} is not closed and ends on {year.ends_on.isoformat()}: its "
            "year-end package can be made once the journal closes it or the next day on",
            code="year_not_closed",
        )
    await repository.resolve_pending_years(session, school_id)
    records = await repository.year_ledger(session, school_id, year_id)
    info = YearInfo(
        year.id, year.school_id, year.name, year.starts_on, year.ends_on, year.closed_on
    )
    return RunPlan(info, kind, records)


def _package(facts: RunFacts, plan: RunPlan, built: BuiltPackage, status: PackageStatus) -> Package:
    return Package(
        id=facts.package_id,
        school_id=plan.year.school_id,
        year_id=plan.year.year_id,
        kind=plan.kind.value,
        key=facts.key,
        sha256=built.sha256,
        size=built.size,
        entries=built.entries,
        files=files_of(built),
        trigger=facts.trigger,
        requested_by=facts.requested_by,
        created_at=facts.at,
        stored_at=facts.at if status is PackageStatus.stored else None,
        audited_at=None,
        failure=None,
        status=status.value,
    )


async def record_stored(
    session: AsyncSession,
    outbox: Outbox,
    facts: RunFacts,
    plan: RunPlan,
    built: BuiltPackage,
    locations: dict[str, str],
) -> PackageView:
    """R-ARC-1, R-ARC-2: called only once every copy was read back with the right SHA-256."""
    package = _package(facts, plan, built, PackageStatus.stored)
    copies = [
        PackageCopy(
            package_id=package.id,
            store=store,
            school_id=package.school_id,
            location=location,
            state=CopyState.ok.value,
            sha256=built.sha256,
            checked_at=facts.at,
            verified_at=facts.at,
        )
        for store, location in sorted(locations.items())
    ]
    repository.add_package(session, package, copies)
    await outbox.add(
        session,
        PackageStored(
            package_id=package.id,
            school_id=package.school_id,
            year_id=package.year_id,
            kind=package.kind,
            sha256=built.sha256,
            size=built.size,
            stores=sorted(locations),
        ),
        school_id=package.school_id,
    )
    return PackageView(package, copies)


def record_failed(
    session: AsyncSession,
    facts: RunFacts,
    plan: RunPlan,
    built: BuiltPackage,
    failures: dict[str, str],
) -> Package:
    """A run that failed on a store is kept for operators, never as an archived package."""
    package = _package(facts, plan, built, PackageStatus.failed)
    package.failure = "; ".join(f"store {s}: {r}" for s, r in sorted(failures.items()))
    repository.add_package(session, package, [])
    return package


def store_failed(failures: dict[str, str]) -> StoreFailed:
    names = sorted(failures)
    return StoreFailed(
        "the package was not archived: "
        + "; ".join(f"store {s} failed ({failures[s]})" for s in names),
        stores=names,
    )


# -- audits ----------------------------------------------------------------------------------
def judge(checks: Sequence[CopyCheck], repaired: set[str]) -> Verdict:
    """What one package's audit concludes from its copies' checks and the repairs made."""
    if all(c.intact for c in checks):
        return Verdict.ok
    if any(c.state is CopyState.unreachable for c in checks):
        return Verdict.unverified
    if not any(c.intact for c in checks):
        return Verdict.lost
    bad = {c.store for c in checks if not c.intact}
    return Verdict.repaired if bad <= repaired else Verdict.unverified


def _events(
    package: Package, checks: Sequence[CopyCheck], repaired: set[str], verdict: Verdict
) -> list[Event]:
    events: list[Event] = []
    for check in checks:
        if check.state in (CopyState.corrupt, CopyState.missing):
            events.append(
                FixityFailed(
                    package_id=package.id,
                    store=check.store,
                    expected_sha256=package.sha256,
                    actual_sha256=check.sha256,
                    lost=verdict is Verdict.lost,
                )
            )
    events.extend(
        FixityRepaired(package_id=package.id, store=store, sha256=package.sha256)
        for store in sorted(repaired)
    )
    return events


async def record_package_audit(
    session: AsyncSession,
    outbox: Outbox,
    package: Package,
    copies: Sequence[PackageCopy],
    checks: Sequence[CopyCheck],
    repaired: set[str],
    now: dt.datetime,
) -> Verdict:
    """R-ARC-1: record what each copy's re-hash found; publish failures and repairs."""
    verdict = judge(checks, repaired)
    by_store = {c.store: c for c in checks}
    for copy in copies:
        check = by_store[copy.store]
        fixed = copy.store in repaired
        copy.state = CopyState.ok.value if fixed else check.state.value
        copy.sha256 = package.sha256 if fixed else (check.sha256 or copy.sha256)
        copy.checked_at = now
        if fixed or check.intact:
            copy.verified_at = now
    package.audited_at = now
    if verdict is Verdict.lost:
        package.status = PackageStatus.lost.value
    elif verdict in (Verdict.ok, Verdict.repaired):
        package.status = PackageStatus.stored.value
    await outbox.add_many(
        session, _events(package, checks, repaired, verdict), school_id=package.school_id
    )
    return verdict


def record_audit(
    session: AsyncSession,
    counts: AuditCounts,
    *,
    school_id: str | None,
    trigger: str,
    requested_by: str | None,
    started_at: dt.datetime,
    finished_at: dt.datetime,
) -> FixityAudit:
    audit = FixityAudit(
        school_id=school_id,
        trigger=trigger,
        requested_by=requested_by,
        started_at=started_at,
        finished_at=finished_at,
        checked=counts.checked,
        ok=counts.ok,
        repaired=counts.repaired,
        lost=counts.lost,
        unverified=counts.unverified,
    )
    repository.add_audit(session, audit)
    return audit


# -- the schedule ----------------------------------------------------------------------------
@dataclass(frozen=True)
class DueRun:
    school_id: str
    year_id: str
    kind: PackageKind


async def due_runs(
    session: AsyncSession,
    *,
    now: dt.datetime,
    today: dt.date,
    interval: dt.timedelta,
    year_end_grace: dt.timedelta,
) -> list[DueRun]:
    """R-ARC-3, R-ARC-4: each running year weekly; each year's year-end package as soon as
    the journal closes it (again if it was made before the closure), or, if nobody closes
    it, once its last day is `year_end_grace` behind."""
    last = await repository.last_stored_runs(session)
    due: list[DueRun] = []
    for year in await repository.years(session, None):
        year_end = last.get((year.id, PackageKind.year_end.value))
        if year.closed_at is not None:
            if year_end is None or year_end < year.closed_at:
                due.append(DueRun(year.school_id, year.id, PackageKind.year_end))
        elif year.starts_on <= today <= year.ends_on:
            weekly = last.get((year.id, PackageKind.weekly.value))
            if weekly is None or weekly <= now - interval:
                due.append(DueRun(year.school_id, year.id, PackageKind.weekly))
        elif today > year.ends_on + year_end_grace and year_end is None:
            due.append(DueRun(year.school_id, year.id, PackageKind.year_end))
    return due


async def audit_due(session: AsyncSession, *, now: dt.datetime, interval: dt.timedelta) -> bool:
    """R-ARC-1, R-ARC-3: every copy is re-hashed at least once per interval."""
    previous = await repository.last_audit_started(session, "schedule")
    return previous is None or previous <= now - interval
