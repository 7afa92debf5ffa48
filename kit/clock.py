"""The current instant, injectable: rules with windows (7 days, 2 days…) are tested with a
clock set where the test needs it, never by sleeping."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from zoneinfo import ZoneInfo

from kit.errors import Conflict

_travel: ContextVar[dt.datetime | None] = ContextVar("ej_clock_travel", default=None)


class Clock:
    def now(self) -> dt.datetime:
        return _travel.get() or dt.datetime.now(dt.UTC)

    def today(self, timezone: str) -> dt.date:
        """The calendar date now at a school in `timezone` (its own IANA zone)."""
        return school_today(self.now(), timezone)


def school_today(at: dt.datetime, timezone: str) -> dt.date:
    """The calendar date at instant `at` at a school in `timezone`: every "today" of every
    service is this, with the school's own zone (from `identity.school.registered`)."""
    return at.astimezone(ZoneInfo(timezone)).date()


SCHOOL_NOT_KNOWN_RETRY_AFTER = 5
"""Seconds a client waits before asking again about a school whose registration is on its
way (identity's event is usually applied within a second)."""


def school_not_known(school_id: str, service: str) -> Conflict:
    """409 `school_not_known` (with `Retry-After`): identity's registration of the school has
    not reached `service` (e.g. "the journal") yet. A zone is never guessed instead."""
    return Conflict(
        f"identity's registration of school {school_id} has not reached {service} yet; "
        "retry shortly",
        code="school_not_known",
        retry_after=SCHOOL_NOT_KNOWN_RETRY_AFTER,
        school_id=school_id,
    )


def known_zone(zone: str | None, *, school_id: str, service: str) -> str:
    """The school's IANA zone as identity registered it and `service` keeps it; None (not
    heard of yet) is refused with `school_not_known`. Passes in the background skip such a
    school instead, until its registration arrives."""
    if zone is None:
        raise school_not_known(school_id, service)
    return zone


class FixedClock(Clock):
    """A clock standing still at a given instant until moved (tests)."""

    def __init__(self, at: dt.datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self.at = at

    def now(self) -> dt.datetime:
        return self.at

    def advance(self, delta: dt.timedelta) -> None:
        self.at = self.at + delta

    def set(self, at: dt.datetime) -> None:
        self.at = at


@contextmanager
def travelling_to(at: dt.datetime) -> Iterator[None]:
    """Within this block (this task and what it awaits), `Clock().now()` answers `at`.

    Scoped to the caller's context: requests served to anyone else at the same time see the
    real time. The embedded demo uses it to enter past lessons as on their own day.
    """
    if at.tzinfo is None:
        raise ValueError("travelling_to needs an aware datetime")
    token = _travel.set(at)
    try:
        yield
    finally:
        _travel.reset(token)
