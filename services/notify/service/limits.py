"""Notify's limits on noisy work (`kit.ratelimit`), from the service's settings.

Internal mail is counted per sender (a person of a school) in a minute and in a day, once a
letter is found deliverable (its recipients checked), so a refused letter and a replay of an
Idempotency-Key count nothing. Past either limit: 429 `too_many_messages` with `Retry-After`.
"""

from __future__ import annotations

from dataclasses import dataclass

from redis.asyncio import Redis

from kit.ratelimit import RateLimit, hit_all
from services.notify.settings import NotifySettings


@dataclass(frozen=True)
class NotifyLimits:
    redis: Redis
    messages_per_minute: RateLimit
    messages_per_day: RateLimit

    @classmethod
    def of(cls, settings: NotifySettings, redis: Redis) -> NotifyLimits:
        return cls(
            redis=redis,
            messages_per_minute=RateLimit(
                "notify:messages:minute",
                per=settings.messages_per_sender_minute,
                seconds=60,
                detail="too many messages sent: wait a little before the next",
                code="too_many_messages",
            ),
            messages_per_day=RateLimit(
                "notify:messages:day",
                per=settings.messages_per_sender_day,
                seconds=86400,
                detail="too many messages sent today",
                code="too_many_messages",
            ),
        )

    async def message(self, school_id: str, person_id: str) -> None:
        """Count a letter of this sender (429 past the minute's or the day's limit)."""
        await hit_all(
            self.redis,
            (self.messages_per_minute, (school_id, person_id)),
            (self.messages_per_day, (school_id, person_id)),
        )
