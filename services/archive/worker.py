"""The archive's long work and its weekly schedule (R-ARC-3): an edge of the service.

A run or an audit moves bytes between the ledger and the two stores. `ArchiveWork` drives
it step by step: each database step is a use case in its own short unit of work
(`Runtime.use_case`), and the bytes travel between the steps, so no transaction stays open
while a store answers, and an audit's progress survives a crash package by package. The HTTP API, the
schedule and the command line all start their runs and audits here.

The schedule: every tick it asks the database what is due (so restarts and several replicas
change nothing): each running year whose latest stored weekly package is older than the
interval, each finished year without a year-end package, and an audit of every copy once per
interval. A Redis lock lets one replica at a time do a tick.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from redis.asyncio import Redis

from kit.db import new_id
from kit.errors import DomainError
from kit.logging import get_logger
from kit.metrics import JOB_SECONDS
from kit.runtime import Runtime
from kit.usecase import Actor
from services.archive.adapters import fixity
from services.archive.adapters.stores import Stores
from services.archive.models import FixityAudit, PackageView
from services.archive.rules.fixity import AuditCounts, Verdict
from services.archive.rules.packaging import PackageKind
from services.archive.service import audits, runs, schedule
from services.archive.service.limits import ArchiveLimits
from services.archive.service.schedule import DueRun

log = get_logger(__name__)

LOCK_KEY = "ej:archive:schedule"

Progress = Callable[[int, int], None]
"""Called with (packages done, packages in all) while an audit runs."""


def requested_by(actor: Actor) -> str | None:
    """The account that asked (None when the platform acted by itself)."""
    return None if actor.is_system else actor.account_id


@dataclass(frozen=True)
class ArchiveWork:
    """Runs and audits, each step a use case in its own unit of work."""

    runtime: Runtime
    stores: Stores
    limits: ArchiveLimits

    def location(self, store: str, key: str) -> str:
        return f"{self.stores.named(store).describe()}/{key}"

    async def run(
        self, school_id: str, year_id: str, kind: PackageKind, *, trigger: str, actor: Actor
    ) -> PackageView:
        """Build the year's package, write it to both stores, verify both, then record it.

        R-ARC-1, R-ARC-2: if either store fails to take or give back the exact bytes, the
        package is recorded as a failed run (never as stored) and StoreFailed names the store.
        One run per school at a time, and runs asked for over HTTP (`trigger="request"`)
        counted per school (`service/limits.py`): 429 with Retry-After past either.
        """
        async with self.limits.one_run.hold(self.limits.redis, school_id):
            if trigger == "request":
                await self.limits.requested(school_id)
            return await self._run(school_id, year_id, kind, trigger=trigger, actor=actor)

    async def _run(
        self, school_id: str, year_id: str, kind: PackageKind, *, trigger: str, actor: Actor
    ) -> PackageView:
        started = time.perf_counter()
        async with self.runtime.use_case(actor) as uc:
            plan = await runs.plan(uc, school_id, year_id, kind)
        built = await runs.build(plan)
        facts = runs.RunFacts.new(plan, trigger, requested_by(actor))
        key = facts.key
        failures = await fixity.write_everywhere(self.stores, key, built.content, built.sha256)
        view: PackageView | None = None
        async with self.runtime.use_case(actor) as uc:
            if failures:
                runs.record_failed(uc, facts, plan, built, failures)
            else:
                locations = {s.name: self.location(s.name, key) for s in self.stores}
                view = await runs.record_stored(uc, facts, plan, built, locations)
        JOB_SECONDS.labels("archive", "run").observe(time.perf_counter() - started)
        if view is None:
            log.error("archive_run_failed", package_id=facts.package_id, failures=failures)
            raise runs.store_failed(failures)
        log.info("archive_package_stored", package_id=facts.package_id, size=built.size)
        return view

    async def audit(
        self,
        school_id: str | None,
        *,
        trigger: str,
        actor: Actor,
        progress: Progress | None = None,
    ) -> tuple[FixityAudit, AuditCounts]:
        """R-ARC-1: re-hash every copy of every archived package; repair from a good copy."""
        started = time.perf_counter()
        async with self.runtime.use_case(actor, read_only=True) as uc:
            started_at = uc.now
            package_ids = await audits.packages_to_audit(uc, school_id)
        counts = AuditCounts()
        for done, package_id in enumerate(package_ids, start=1):
            counts.add(await self._audit_package(actor, package_id))
            if progress is not None:
                progress(done, len(package_ids))
        async with self.runtime.use_case(actor) as uc:
            record = audits.record_audit(
                uc,
                counts,
                school_id=school_id,
                trigger=trigger,
                requested_by=requested_by(actor),
                started_at=started_at,
            )
        JOB_SECONDS.labels("archive", "audit").observe(time.perf_counter() - started)
        log.info("archive_audit_done", audit_id=record.id, checked=counts.checked, lost=counts.lost)
        return record, counts

    async def _audit_package(self, actor: Actor, package_id: str) -> Verdict:
        async with self.runtime.use_case(actor, read_only=True) as uc:
            target = await audits.target(uc, package_id)
        checks = await fixity.check_copies(self.stores, target.key, target.sha256, target.stores)
        repaired = await fixity.repair(self.stores, target.key, target.sha256, checks)
        async with self.runtime.use_case(actor) as uc:
            return await audits.record_package_audit(uc, package_id, checks, repaired)


@dataclass
class TickOutcome:
    stored: list[str] = field(default_factory=list)
    failed: list[DueRun] = field(default_factory=list)
    audit_id: str | None = None


class ArchiveSchedule:
    def __init__(
        self,
        work: ArchiveWork,
        redis: Redis,
        *,
        interval: dt.timedelta,
        tick_seconds: float,
        year_end_grace: dt.timedelta,
        lock_key: str = LOCK_KEY,
    ) -> None:
        self.work, self.redis = work, redis
        self.interval, self.tick_seconds = interval, tick_seconds
        self.year_end_grace, self.lock_key = year_end_grace, lock_key
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Tick now, not at the next tick (a year was closed: R-ARC-4, archive it at once)."""
        self._wake.set()

    async def run_forever(self) -> None:
        """Tick after each sleep (not at start-up: a restart must not archive by itself)."""
        while True:
            woken = await self._sleep()
            try:
                if woken or await self._take_turn():
                    await self.tick()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a database or Redis blip: the next tick tries again
                log.error("archive_schedule_failed", error=repr(exc))

    async def _sleep(self) -> bool:
        """Wait for the next tick; True when woken early."""
        try:
            await asyncio.wait_for(self._wake.wait(), timeout=self.tick_seconds)
        except TimeoutError:
            return False
        self._wake.clear()
        return True

    async def _take_turn(self) -> bool:
        """One replica per tick window: the lock expires by itself at the next tick."""
        ttl = max(1, int(self.tick_seconds * 0.9))
        return bool(await self.redis.set(self.lock_key, new_id(), nx=True, ex=ttl))

    async def tick(self) -> TickOutcome:
        """Make every package that is due, then audit if an audit is due."""
        city = Actor.system(None)
        async with self.work.runtime.use_case(city, read_only=True) as uc:
            due = await schedule.due_runs(
                uc, interval=self.interval, year_end_grace=self.year_end_grace
            )
            audit_due = await schedule.audit_due(uc, interval=self.interval)
        outcome = TickOutcome()
        for run in due:
            try:
                view = await self.work.run(
                    run.school_id,
                    run.year_id,
                    run.kind,
                    trigger="schedule",
                    actor=Actor.system(run.school_id),
                )
                outcome.stored.append(view.package.id)
            except DomainError as exc:
                log.error("archive_scheduled_run_failed", year_id=run.year_id, error=exc.detail)
                outcome.failed.append(run)
        if audit_due:
            record, _ = await self.work.audit(None, trigger="schedule", actor=city)
            outcome.audit_id = record.id
        return outcome
