"""The archive's "today" is the school's today, in the zone identity announced for it (and
changed by `identity.school.updated`): a year is over, or a package due, by the date at the
school, never by UTC's or the server's. A school whose registration has not reached the
archive has no date here: a request needing it is 409 `school_not_known`, the schedule skips
it until the registration arrives; no zone is guessed."""

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
        await archive.announce_school(journal.school_registered(timezone))
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
    """At 05:00 UTC on 1 June it is still 31 May on Pago Pago."""
    pago_pago = await school_in(archive, PAGO_PAGO)
    archive.clock.set(dt.datetime(2027, 6, 1, 5, 0, tzinfo=dt.UTC))

    refused = await year_end_run(archive, tokens, pago_pago)
    assert refused.status_code == 409 and refused.json()["code"] == "year_not_closed"

    archive.clock.set(dt.datetime(2027, 6, 1, 12, 0, tzinfo=dt.UTC))  # 1 June everywhere
    assert (await year_end_run(archive, tokens, pago_pago)).status_code == 201


async def test_the_year_is_over_by_the_date_of_the_schools_updated_zone_R_ARC_3(
    archive: ArchiveUnderTest, tokens: TestTokens
) -> None:
    """At 12:00 UTC on 31 May a Moscow school's year is running; once identity moves the
    school to Kiritimati (already 1 June there), it is over. An older update, arriving late,
    changes nothing."""
    school = await school_in(archive, "Europe/Moscow")
    archive.clock.set(dt.datetime(2027, 5, 31, 12, 0, tzinfo=dt.UTC))
    running = await year_end_run(archive, tokens, school)
    assert running.status_code == 409 and running.json()["code"] == "year_not_closed"

    await archive.announce_school(school.school_updated(KIRITIMATI, sequence=7))
    await archive.announce_school(school.school_updated("Europe/Moscow", sequence=3))

    assert (await year_end_run(archive, tokens, school)).status_code == 201


async def test_a_school_not_registered_here_is_409_school_not_known(
    archive: ArchiveUnderTest, tokens: TestTokens
) -> None:
    """No zone is guessed for a year-end package: the request is refused with Retry-After,
    and succeeds once identity's registration arrives."""
    unheard = await school_in(archive, None)
    archive.clock.set(dt.datetime(2027, 6, 1, 12, 0, tzinfo=dt.UTC))  # 1 June everywhere

    refused = await year_end_run(archive, tokens, unheard)

    assert refused.status_code == 409 and refused.json()["code"] == "school_not_known"
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert int(refused.headers["retry-after"]) > 0
    assert unheard.school_id in refused.json()["detail"]
    await archive.announce_school(unheard.school_registered(PAGO_PAGO))
    assert (await year_end_run(archive, tokens, unheard)).status_code == 201


async def test_the_schedule_makes_a_year_end_package_by_the_schools_date_R_ARC_3(
    start_archive: Any, tokens: TestTokens
) -> None:
    """Three days' grace after 31 May: at 12:00 UTC on 3 June it is 4 June on Kiritimati
    (due), 3 June in Moscow (not yet); a school the archive has not heard of is skipped."""
    archive = await start_archive(archive_interval_seconds=WEEK, archive_tick_seconds=3600)
    kiritimati = await school_in(archive, KIRITIMATI)
    moscow = await school_in(archive, "Europe/Moscow")
    unheard = await school_in(archive, None)  # skipped until its registration arrives
    archive.clock.set(dt.datetime(2027, 6, 3, 12, 0, tzinfo=dt.UTC))

    outcome = await archive.app.state.schedule.tick()

    assert len(outcome.stored) == 1 and outcome.failed == []
    operator = tokens.headers(roles=["operator"], school_id=None)
    for journal, kinds in ((kiritimati, ["year_end"]), (moscow, []), (unheard, [])):
        listed = await archive.client.get(
            "/archive/v1/packages", params={"school_id": journal.school_id}, headers=operator
        )
        assert [p["kind"] for p in listed.json()["packages"]] == kinds
