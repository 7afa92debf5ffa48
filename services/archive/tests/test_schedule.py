"""The weekly schedule (R-ARC-3) and the year-end package on the journal's closure (R-ARC-4)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kit.db import utcnow
from kit.testing.services import eventually
from kit.testing.tokens import TestTokens
from services.archive.tests.conftest import ArchiveUnderTest
from services.archive.tests.factories import ClassJournal
from services.archive.worker import ArchiveSchedule

WEEK = 7 * 24 * 3600


async def scheduled_archive(start_archive: Any) -> tuple[ArchiveUnderTest, ArchiveSchedule]:
    archive = await start_archive(archive_interval_seconds=WEEK, archive_tick_seconds=3600)
    return archive, archive.app.state.schedule


async def packages(
    archive: ArchiveUnderTest, tokens: TestTokens, journal: ClassJournal
) -> list[dict[str, Any]]:
    response = await archive.client.get(
        "/archive/v1/packages",
        params={"school_id": journal.school_id},
        headers=tokens.headers(roles=["operator"], school_id=None),
    )
    assert response.status_code == 200
    return response.json()["packages"]  # type: ignore[no-any-return]


async def test_schedule_archives_each_running_year_weekly_and_audits_weekly_R_ARC_3(
    start_archive: Any, tokens: TestTokens
) -> None:
    archive, schedule = await scheduled_archive(start_archive)
    journal = ClassJournal()
    await archive.announce_school(journal.school_registered("Europe/Moscow"))
    await archive.publish_and_wait(journal.envelopes(), journal.school_id)

    first = await schedule.tick()
    again = await schedule.tick()
    archive.clock.advance(dt.timedelta(days=7))
    week_later = await schedule.tick()

    assert len(first.stored) == 1 and first.audit_id is not None
    assert again.stored == [] and again.audit_id is None
    assert len(week_later.stored) == 1 and week_later.audit_id is not None
    made = await packages(archive, tokens, journal)
    assert [(p["kind"], p["status"]) for p in made] == [("weekly", "stored")] * 2


async def test_closing_the_year_makes_its_year_end_package_at_once_R_ARC_4(
    start_archive: Any, tokens: TestTokens
) -> None:
    archive, schedule = await scheduled_archive(start_archive)
    archive.clock.set(utcnow() + dt.timedelta(minutes=1))  # after the closure's instant
    journal = ClassJournal()
    await archive.announce_school(journal.school_registered("Europe/Moscow"))
    await archive.publish_and_wait(journal.envelopes(), journal.school_id)

    await archive.publish([journal.year_closed(on=dt.date(2026, 11, 30))])

    async def year_end() -> list[dict[str, Any]]:
        return [p for p in await packages(archive, tokens, journal) if p["kind"] == "year_end"]

    [package] = await eventually(year_end)  # the schedule was woken, not waited for
    assert package["status"] == "stored" and package["entries"] == 8
    assert (await schedule.tick()).stored == []  # made after the closure: not due again
    assert (await year_end()) == [package]


async def test_a_year_nobody_closed_is_archived_after_its_grace_days_R_ARC_3(
    start_archive: Any, tokens: TestTokens
) -> None:
    archive, schedule = await scheduled_archive(start_archive)
    journal = ClassJournal()
    await archive.announce_school(journal.school_registered("Europe/Moscow"))
    await archive.publish_and_wait(journal.envelopes(), journal.school_id)

    archive.clock.set(dt.datetime(2027, 6, 2, 9, tzinfo=dt.UTC))
    within_grace = await schedule.tick()
    archive.clock.set(dt.datetime(2027, 6, 4, 9, tzinfo=dt.UTC))
    after_grace = await schedule.tick()

    assert within_grace.stored == []
    assert len(after_grace.stored) == 1
    [package] = await packages(archive, tokens, journal)
    assert package["kind"] == "year_end"
