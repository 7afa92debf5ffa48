"""The archive's limits on runs (`kit.ratelimit`), from the service's settings.

One run per school at a time, whatever started it (a request, the schedule, the command
line): a run is synchronous, so there is no running run to hand back, and a second one while
the first moves bytes is refused with 429 `archive_run_running` and `Retry-After` (the most
the first may still hold the school). Runs asked for over HTTP are also counted per school
(429 `too_many_archive_runs`); the schedule's and the command line's are not.
"""

from __future__ import annotations

from dataclasses import dataclass

from redis.asyncio import Redis

from kit.ratelimit import OneAtATime, RateLimit
from services.archive.settings import ArchiveSettings


@dataclass(frozen=True)
class ArchiveLimits:
    redis: Redis
    one_run: OneAtATime
    requested_runs: RateLimit

    @classmethod
    def of(cls, settings: ArchiveSettings, redis: Redis) -> ArchiveLimits:
        return cls(
            redis=redis,
            one_run=OneAtATime(
                "archive:run",
                ttl=settings.archive_run_lock_seconds,
                detail="a run of this school's archive is under way: one at a time; ask "
                "again when it is over",
                code="archive_run_running",
            ),
            requested_runs=RateLimit(
                "archive:runs:school",
                per=settings.archive_runs_per_school_hour,
                seconds=3600,
                detail="too many archive runs asked for at this school: try again later",
                code="too_many_archive_runs",
            ),
        )

    async def requested(self, school_id: str) -> None:
        """Count a run asked for over HTTP (429 past the school's limit)."""
        await self.requested_runs.hit(self.redis, school_id)
