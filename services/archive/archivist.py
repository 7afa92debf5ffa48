"""The archivist: moves packages between the ledger and the two stores.

Runs, audits and reads are the archive's long operations. Each database step is its own
unit of work, so no transaction stays open while bytes travel to and from the stores, and an
audit's progress survives a crash package by package. The HTTP API, the weekly schedule and
the command line all call this one class.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import anyio

from kit.clock import Clock
from kit.db import Database, new_id
from kit.errors import Conflict, Unavailable
from kit.logging import get_logger
from kit.metrics import JOB_SECONDS
from kit.outbox import Outbox
from services.archive import repository, service
from services.archive.fixity import (
    CopyCheck,
    CopyNotVerified,
    check_copy,
    discard,
    write_verified,
)
from services.archive.models import (
    CopyState,
    FixityAudit,
    Package,
    PackageCopy,
    PackageKind,
    PackageStatus,
)
from services.archive.packaging import build_package
from services.archive.service import AuditCounts, PackageView, RunFacts
from services.archive.stores import Stores

log = get_logger(__name__)

Progress = Callable[[int, int], None]
"""Called with (packages done, packages in all) while an audit runs."""


class Archivist:
    def __init__(
        self, db: Database, outbox: Outbox, stores: Stores, clock: Callable[[], Clock]
    ) -> None:
        self.db, self.outbox, self.stores, self._clock = db, outbox, stores, clock

    @property
    def clock(self) -> Clock:
        return self._clock()

    def location(self, store: str, key: str) -> str:
        return f"{self.stores.named(store).describe()}/{key}"

    # -- runs --------------------------------------------------------------------------------
    async def run(
        self,
        school_id: str,
        year_id: str,
        kind: PackageKind,
        *,
        trigger: str,
        requested_by: str | None = None,
    ) -> PackageView:
        """Build the year's package, write it to both stores, verify both, then record it.

        R-ARC-1, R-ARC-2: if either store fails to take or give back the exact bytes, the
        package is recorded as a failed run (never as stored) and StoreFailed names the store.
        """
        started = time.perf_counter()
        async with self.db.unit_of_work() as session:
            plan = await service.plan_run(session, school_id, year_id, kind, self.clock.today())
        built = await anyio.to_thread.run_sync(
            build_package, plan.year, plan.kind.value, plan.records
        )
        package_id = new_id()
        key = service.package_key(school_id, year_id, kind, package_id)
        failures = await self._write_everywhere(key, built.content, built.sha256)
        facts = RunFacts(package_id, key, self.clock.now(), trigger, requested_by)
        view: PackageView | None = None
        async with self.db.unit_of_work() as session:
            if failures:
                service.record_failed(session, facts, plan, built, failures)
            else:
                locations = {s.name: self.location(s.name, key) for s in self.stores}
                view = await service.record_stored(
                    session, self.outbox, facts, plan, built, locations
                )
        JOB_SECONDS.labels("archive", "run").observe(time.perf_counter() - started)
        if view is None:
            log.error("archive_run_failed", package_id=package_id, failures=failures)
            raise service.store_failed(failures)
        log.info("archive_package_stored", package_id=package_id, size=built.size)
        return view

    async def _write_everywhere(self, key: str, content: bytes, sha256: str) -> dict[str, str]:
        """Write and verify on both stores at once; on any failure discard what was written."""
        results = await asyncio.gather(
            *(write_verified(store, key, content, sha256) for store in self.stores),
            return_exceptions=True,
        )
        failures: dict[str, str] = {}
        for store, result in zip(self.stores, results, strict=True):
            if isinstance(result, CopyNotVerified):
                failures[store.name] = result.reason
            elif isinstance(result, BaseException):
                failures[store.name] = f"{type(result).__name__}: {result}"
        if failures:
            for store in self.stores:
                if store.name not in failures:
                    await discard(store, key)
        return failures

    # -- reading -----------------------------------------------------------------------------
    async def content(self, package: Package, copies: list[PackageCopy]) -> tuple[bytes, str]:
        """The package bytes from the first copy that re-hashes right, and that copy's store.

        Copies last known good are tried first; a bad one is skipped (the audit repairs it).
        """
        if package.status == PackageStatus.failed.value or not copies:
            raise Conflict("this run failed: nothing was archived", code="package_not_stored")
        ordered = sorted(copies, key=lambda c: (c.state != CopyState.ok.value, c.store))
        checks = []
        for copy in ordered:
            check = await check_copy(self.stores.named(copy.store), package.key, package.sha256)
            if check.intact and check.content is not None:
                return check.content, copy.store
            log.warning("archive_copy_skipped", package_id=package.id, check=check.state)
            checks.append(check)
        if any(c.state is CopyState.unreachable for c in checks):
            raise Unavailable(
                "no intact copy could be read now: a store does not answer",
                code="store_unavailable",
            )
        raise Conflict("no intact copy of this package is left", code="package_lost")

    # -- audits ------------------------------------------------------------------------------
    async def audit(
        self,
        school_id: str | None,
        *,
        trigger: str,
        requested_by: str | None = None,
        progress: Progress | None = None,
    ) -> tuple[FixityAudit, AuditCounts]:
        """R-ARC-1: re-hash every copy of every archived package; repair from a good copy."""
        started, clock_started = time.perf_counter(), self.clock.now()
        async with self.db.read_only() as session:
            package_ids = await repository.package_ids_to_audit(session, school_id)
        counts = AuditCounts()
        for done, package_id in enumerate(package_ids, start=1):
            counts.add(await self._audit_package(package_id))
            if progress is not None:
                progress(done, len(package_ids))
        async with self.db.unit_of_work() as session:
            audit = service.record_audit(
                session,
                counts,
                school_id=school_id,
                trigger=trigger,
                requested_by=requested_by,
                started_at=clock_started,
                finished_at=self.clock.now(),
            )
        JOB_SECONDS.labels("archive", "audit").observe(time.perf_counter() - started)
        log.info("archive_audit_done", audit_id=audit.id, checked=counts.checked, lost=counts.lost)
        return audit, counts

    async def _audit_package(self, package_id: str) -> service.Verdict:
        async with self.db.read_only() as session:
            package = await repository.package(session, package_id)
            copies = (await repository.copies_of(session, [package_id])).get(package_id, [])
            assert package is not None
            key, sha256, stores = package.key, package.sha256, [c.store for c in copies]
        checks = list(
            await asyncio.gather(
                *(check_copy(self.stores.named(store), key, sha256) for store in stores)
            )
        )
        repaired = await self._repair(package_id, key, sha256, checks)
        async with self.db.unit_of_work() as session:
            package = await repository.package(session, package_id)
            copies = (await repository.copies_of(session, [package_id])).get(package_id, [])
            assert package is not None
            return await service.record_package_audit(
                session, self.outbox, package, copies, checks, repaired, self.clock.now()
            )

    async def _repair(
        self, package_id: str, key: str, sha256: str, checks: list[CopyCheck]
    ) -> set[str]:
        """Rewrite each corrupt or missing copy from an intact one, and verify it."""
        good = next((c.content for c in checks if c.intact and c.content is not None), None)
        if good is None:
            return set()
        repaired: set[str] = set()
        for check in checks:
            if check.state not in (CopyState.corrupt, CopyState.missing):
                continue
            try:
                await write_verified(self.stores.named(check.store), key, good, sha256)
                repaired.add(check.store)
            except CopyNotVerified as exc:
                log.error("archive_repair_failed", package_id=package_id, store=exc.store)
        return repaired
