"""Fixity audits (R-ARC-1): which packages an audit re-reads, what it records of each, and the
audit itself.

An audit is a use case per step with the stores between them (`worker.ArchiveWork` drives
them), so its progress survives a crash package by package.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from kit.usecase import UseCase
from services.archive.models import FixityAudit
from services.archive.repository import audits as audit_rows
from services.archive.repository import packages as package_rows
from services.archive.rules.fixity import (
    AuditCounts,
    CopyCheck,
    CopyState,
    Verdict,
    fixity_events,
    judge,
)
from services.archive.rules.packaging import PackageStatus


@dataclass(frozen=True)
class AuditTarget:
    """One package to re-read: where it lives, what it must hash to, on which stores."""

    package_id: str
    key: str
    sha256: str
    stores: list[str]


async def packages_to_audit(uc: UseCase, school_id: str | None) -> list[str]:
    """Every stored or lost package of the school (of every school: None)."""
    return await package_rows.package_ids_to_audit(uc.session, school_id)


async def target(uc: UseCase, package_id: str) -> AuditTarget:
    view = await package_rows.package_with_copies(uc.session, package_id)
    assert view is not None  # packages are never deleted
    package = view.package
    return AuditTarget(package.id, package.key, package.sha256, [c.store for c in view.copies])


async def record_package_audit(
    uc: UseCase, package_id: str, checks: Sequence[CopyCheck], repaired: set[str]
) -> Verdict:
    """R-ARC-1: record what each copy's re-hash found; publish failures and repairs."""
    view = await package_rows.package_with_copies(uc.session, package_id)
    assert view is not None
    package, verdict = view.package, judge(checks, repaired)
    by_store = {c.store: c for c in checks}
    for copy in view.copies:
        check = by_store[copy.store]
        fixed = copy.store in repaired
        copy.state = CopyState.ok.value if fixed else check.state.value
        copy.sha256 = package.sha256 if fixed else (check.sha256 or copy.sha256)
        copy.checked_at = uc.now
        if fixed or check.intact:
            copy.verified_at = uc.now
    package.audited_at = uc.now
    if verdict is Verdict.lost:
        package.status = PackageStatus.lost.value
    elif verdict in (Verdict.ok, Verdict.repaired):
        package.status = PackageStatus.stored.value
    await uc.publish(
        package.school_id, fixity_events(package.id, package.sha256, checks, repaired, verdict)
    )
    return verdict


def record_audit(
    uc: UseCase,
    counts: AuditCounts,
    *,
    school_id: str | None,
    trigger: str,
    requested_by: str | None,
    started_at: dt.datetime,
) -> FixityAudit:
    """The audit on record, finished at the use case's instant (R-ARC-1, R-ARC-6)."""
    audit = FixityAudit(
        school_id=school_id,
        trigger=trigger,
        requested_by=requested_by,
        started_at=started_at,
        finished_at=uc.now,
        checked=counts.checked,
        ok=counts.ok,
        repaired=counts.repaired,
        lost=counts.lost,
        unverified=counts.unverified,
    )
    audit_rows.add_audit(uc.session, audit)
    return audit
