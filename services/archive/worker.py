"""The weekly schedule (R-ARC-3): a background task of the service.

Every tick it asks the database what is due (so restarts and several replicas change
nothing): each running year whose latest stored weekly package is older than the interval,
each finished year without a year-end package, and an audit of every copy once per
interval. A Redis lock lets one replica at a time do a tick.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass, field

from redis.asyncio import Redis

from kit.db import new_id
from kit.errors import DomainError
from kit.logging import get_logger
from services.archive import service
from services.archive.archivist import Archivist
from services.archive.service import DueRun

log = get_logger(__name__)

LOCK_KEY = "ej:archive:schedule"


@dataclass
class TickOutcome:
    stored: list[str] = field(default_factory=list)
    failed: list[DueRun] = field(default_factory=list)
    audit_id: str | None = None


class ArchiveSchedule:
    def __init__(
        self,
        archivist: Archivist,
        redis: Redis,
        *,
        interval: dt.timedelta,
        tick_seconds: float,
        year_end_grace: dt.timedelta,
        lock_key: str = LOCK_KEY,
    ) -> None:
        self.archivist, self.redis = archivist, redis
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
        clock = self.archivist.clock
        now, today = clock.now(), clock.today()
        async with self.archivist.db.read_only() as session:
            due = await service.due_runs(
                session,
                now=now,
                today=today,
                interval=self.interval,
                year_end_grace=self.year_end_grace,
            )
            audit_due = await service.audit_due(session, now=now, interval=self.interval)
        outcome = TickOutcome()
        for run in due:
            try:
                view = await self.archivist.run(
                    run.school_id, run.year_id, run.kind, trigger="schedule"
                )
                outcome.stored.append(view.package.id)
            except DomainError as exc:
                log.error("archive_scheduled_run_failed", year_id=run.year_id, error=exc.detail)
                outcome.failed.append(run)
        if audit_due:
            record, _ = await self.archivist.audit(None, trigger="schedule")
            outcome.audit_id = record.id
        return outcome
