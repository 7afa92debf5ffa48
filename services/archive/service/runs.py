"""Runs (R-ARC-1, R-ARC-2, R-ARC-3): what a run packages, and how it is recorded once the
bytes are on both stores, or failed on one.

A run is two use cases with the stores between them (`worker.ArchiveWork` drives them, each in
its own unit of work), so no transaction stays open while bytes travel.
"""

from __future__ import annotations

from dataclasses import dataclass

import anyio

from contracts.archive import PackageStored
from kit.db import new_id
from kit.errors import Conflict, NotFound, Unavailable
from kit.usecase import UseCase
from services.archive.models import Package, PackageCopy, PackageView
from services.archive.repository import ledger as ledger_rows
from services.archive.repository import packages as package_rows
from services.archive.repository import years as year_rows
from services.archive.rules.fixity import CopyState
from services.archive.rules.packaging import (
    BuiltPackage,
    LedgerRecord,
    PackageKind,
    PackageStatus,
    YearInfo,
    build_package,
    files_json,
    package_key,
)
from services.archive.rules.schedule import YearDates, year_over
from services.archive.service import schools


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
    trigger: str  # request, schedule or command
    requested_by: str | None

    @classmethod
    def new(cls, plan: RunPlan, trigger: str, requested_by: str | None) -> RunFacts:
        """A new package's id and its key on both stores."""
        package_id = new_id()
        year = plan.year
        key = package_key(year.school_id, year.year_id, plan.kind, package_id)
        return cls(package_id, key, trigger, requested_by)


async def plan(uc: UseCase, school_id: str, year_id: str, kind: PackageKind) -> RunPlan:
    """R-ARC-3: weekly = the year so far; year_end = the whole year once the journal closed it
    or its last day has passed at the school (the school's own date)."""
    year = await year_rows.year(uc.session, school_id, year_id)
    if year is None:
        raise NotFound("the archive has not heard of this school year", code="year_not_found")
    dates = YearDates(year.starts_on, year.ends_on, year.closed_on, year.closed_at)
    if kind is PackageKind.year_end and not year_over(dates, await schools.today(uc, school_id)):
        raise Conflict(
            f"the year {year.name} is not closed and ends on {year.ends_on.isoformat()}: its "
            "year-end package can be made once the journal closes it or the next day on",
            code="year_not_closed",
        )
    await ledger_rows.resolve_pending_years(uc.session, school_id)
    records = await ledger_rows.year_ledger(uc.session, school_id, year_id)
    info = YearInfo(
        year.id, year.school_id, year.name, year.starts_on, year.ends_on, year.closed_on
    )
    return RunPlan(info, kind, records)


async def build(plan: RunPlan) -> BuiltPackage:
    """The package's bytes and SHA-256 (R-ARC-1), made off the event loop: a year's ledger
    is large, and no unit of work is open meanwhile."""
    return await anyio.to_thread.run_sync(build_package, plan.year, plan.kind.value, plan.records)


def _package(
    uc: UseCase, facts: RunFacts, plan: RunPlan, built: BuiltPackage, status: PackageStatus
) -> Package:
    return Package(
        id=facts.package_id,
        school_id=plan.year.school_id,
        year_id=plan.year.year_id,
        kind=plan.kind.value,
        key=facts.key,
        sha256=built.sha256,
        size=built.size,
        entries=built.entries,
        files=files_json(built),
        trigger=facts.trigger,
        requested_by=facts.requested_by,
        created_at=uc.now,
        stored_at=uc.now if status is PackageStatus.stored else None,
        audited_at=None,
        failure=None,
        status=status.value,
    )


async def record_stored(
    uc: UseCase,
    facts: RunFacts,
    plan: RunPlan,
    built: BuiltPackage,
    locations: dict[str, str],
) -> PackageView:
    """R-ARC-1, R-ARC-2: called only once every copy was read back with the right SHA-256."""
    package = _package(uc, facts, plan, built, PackageStatus.stored)
    copies = [
        PackageCopy(
            package_id=package.id,
            store=store,
            school_id=package.school_id,
            location=location,
            state=CopyState.ok.value,
            sha256=built.sha256,
            checked_at=uc.now,
            verified_at=uc.now,
        )
        for store, location in sorted(locations.items())
    ]
    package_rows.add_package(uc.session, package, copies)
    await uc.publish(
        package.school_id,
        [
            PackageStored(
                package_id=package.id,
                school_id=package.school_id,
                year_id=package.year_id,
                kind=package.kind,
                sha256=built.sha256,
                size=built.size,
                stores=sorted(locations),
            )
        ],
    )
    return PackageView(package, copies)


def record_failed(
    uc: UseCase,
    facts: RunFacts,
    plan: RunPlan,
    built: BuiltPackage,
    failures: dict[str, str],
) -> Package:
    """A run that failed on a store is kept for operators, never as an archived package."""
    package = _package(uc, facts, plan, built, PackageStatus.failed)
    package.failure = "; ".join(f"store {s}: {r}" for s, r in sorted(failures.items()))
    package_rows.add_package(uc.session, package, [])
    return package


def store_failed(failures: dict[str, str]) -> StoreFailed:
    names = sorted(failures)
    return StoreFailed(
        "the package was not archived: "
        + "; ".join(f"store {s} failed ({failures[s]})" for s in names),
        stores=names,
    )
