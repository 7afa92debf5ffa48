"""The archive's "today" is the school's today, in the zone identity announced for it: a year
is over, or a package due, by the date at the school, never by UTC's or the server's."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kit.testing.tokens import TestTokens
from services.archive.tests.conftest import ArchiveUnderTest
from services.archive.tests.factories import ClassJournal

KIRITIMATI = "Pacific/Kiritimati"  # UTC+14: already tomorrow for most of UTC's day
PAGO_PAGO = "Pacific/Pago_Pago"  # UTC-11: still yesterday for most of UTC's day
WEEK = 7 * 24 * 3600


async def year_end_run(archive: ArchiveUnderTest, tokens: TestTokens, journal: ClassJournal) -> Any:
    return await archive.client.post(
        "/archive/v1/runs",
        json={"school_id": journal.school_id, "year_id": journal.year_id, "kind": "year_end"},
        headers=tokens.headers(roles=["director"], school_id=journal.school_id),
    )


async def school_in(archive: ArchiveUnderTest, timezone: str | None) -> ClassJournal:
    """A school with its year's journal; registered with `timezone` (None: identity's event
    never reached the archive)."""
    journal = ClassJournal()
    if timezone is not None:
        await archive.register_school(journal.school_registered(timezone))
    await archive.publish_and_wait(journal.envelopes(), journal.school_id)
    return journal


async def test_year_end_package_follows_the_schools_date_not_utcs_R_ARC_3(
    archive: ArchiveUnderTest, tokens: TestTokens
) -> None:
    """The year ends on 31 May. At 12:00 UTC that day it is already 1 June on Kiritimati:
    its year is over there; in Moscow it is still 31 May."""
    kiritimati = await school_in(archive, KIRITIMATI)
    moscow = await school_in(archive, "Europe/Moscow")
    archive.clock.set(dt.datetime(2027, 5, 31, 12, 0, tzinfo=dt.UTC))

    over = await year_end_run(archive, tokens, kiritimati)
    running = await year_end_run(archive, tokens, moscow)

    assert over.status_code == 201, over.text
    assert running.status_code == 409 and running.json()["code"] == "year_not_closed"


async def test_utcs_next_day_is_not_the_schools_next_day_R_ARC_3(
    archive: ArchiveUnderTest, tokens: TestTokens
) -> None:
    """At 05:00 UTC on 1 June it is still 31 May on Pago Pago; a school whose zone the
    archive never heard of is judged by the last zone to reach a date, so it waits too."""
    pago_pago = await school_in(archive, PAGO_PAGO)
    unheard = await school_in(archive, None)
    archive.clock.set(dt.datetime(2027, 6, 1, 5, 0, tzinfo=dt.UTC))

    for journal in (pago_pago, unheard):
        refused = await year_end_run(archive, tokens, journal)
        assert refused.status_code == 409 and refused.json()["code"] == "year_not_closed"

    archive.clock.set(dt.datetime(2027, 6, 1, 12, 0, tzinfo=dt.UTC))  # 1 June everywhere
    for journal in (pago_pago, unheard):
        assert (await year_end_run(archive, tokens, journal)).status_code == 201


async def test_the_schedule_makes_a_year_end_package_by_the_schools_date_R_ARC_3(
    start_archive: Any, tokens: TestTokens
) -> None:
    """Three days' grace after 31 May: at 12:00 UTC on 3 June it is 4 June on Kiritimati
    (due), 3 June in Moscow (not yet)."""
    archive = await start_archive(archive_interval_seconds=WEEK, archive_tick_seconds=3600)
    kiritimati = await school_in(archive, KIRITIMATI)
    moscow = await school_in(archive, "Europe/Moscow")
    archive.clock.set(dt.datetime(2027, 6, 3, 12, 0, tzinfo=dt.UTC))

    outcome = await archive.app.state.schedule.tick()

    assert len(outcome.stored) == 1 and outcome.failed == []
    operator = tokens.headers(roles=["operator"], school_id=None)
    for journal, kinds in ((kiritimati, ["year_end"]), (moscow, [])):
        listed = await archive.client.get(
            "/archive/v1/packages", params={"school_id": journal.school_id}, headers=operator
        )
        assert [p["kind"] for p in listed.json()["packages"]] == kinds
