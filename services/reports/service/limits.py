"""Reports' limits on expensive work (`kit.ratelimit`), from the service's settings.

Sheets printed on demand (PDF, XLSX) are counted per account and per school (the city's
operators share the key `city`); a report job is one running job per account and kind at a
time, and new jobs are counted per account. The same job asked for again while it runs is
that job and counts nothing. Each refusal is 429 with `Retry-After`.
"""

from __future__ import annotations

from dataclasses import dataclass

from redis.asyncio import Redis

from kit.errors import RateLimited
from kit.ratelimit import RateLimit, hit_all
from kit.usecase import UseCase
from services.reports.models import ReportJob
from services.reports.settings import ReportsSettings


@dataclass(frozen=True)
class ReportLimits:
    redis: Redis
    renders_per_user: RateLimit
    renders_per_school: RateLimit
    jobs_per_user: RateLimit
    job_running_retry_after: int

    @classmethod
    def of(cls, settings: ReportsSettings, redis: Redis) -> ReportLimits:
        minute = 60
        return cls(
            redis=redis,
            renders_per_user=RateLimit(
                "reports:render:user",
                per=settings.reports_renders_per_user_minute,
                seconds=minute,
                detail="too many printed sheets asked for by this account: try again later",
                code="too_many_renders",
            ),
            renders_per_school=RateLimit(
                "reports:render:school",
                per=settings.reports_renders_per_school_minute,
                seconds=minute,
                detail="too many printed sheets asked for at this school: try again later",
                code="too_many_renders",
            ),
            jobs_per_user=RateLimit(
                "reports:jobs:user",
                per=settings.reports_jobs_per_user_hour,
                seconds=3600,
                detail="too many report jobs asked for by this account: try again later",
                code="too_many_jobs",
            ),
            job_running_retry_after=settings.reports_job_running_retry_after_s,
        )


async def rendering(uc: UseCase, limits: ReportLimits) -> None:
    """Count a sheet printed on demand: the account's, then its school's (429 past either)."""
    actor = uc.actor
    await hit_all(
        limits.redis,
        (limits.renders_per_user, (actor.account_id,)),
        (limits.renders_per_school, (actor.school_id or "city",)),
    )


def job_running(running: ReportJob, limits: ReportLimits) -> RateLimited:
    """The refusal of a second job of a kind while the account's first one runs."""
    return RateLimited(
        f"your {running.kind} job {running.job_id} is {running.status}: one job of a kind runs "
        "at a time; ask again when it is over",
        retry_after=limits.job_running_retry_after,
        code="job_running",
    )


async def new_job(uc: UseCase, limits: ReportLimits) -> None:
    """Count a new job of the account (429 past the limit)."""
    await limits.jobs_per_user.hit(limits.redis, uc.actor.account_id)
