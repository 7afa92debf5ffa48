"""Reports' "today" is the school's, in the zone identity registered and changed by
`identity.school.updated` (the newer sequence wins); before identity's registration of a
school arrives, a report that needs its date is 409 `school_not_known`: no zone is guessed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from contracts.identity import SchoolRegistered, SchoolUpdated
from kit.clock import FixedClock
from kit.testing.events import build, envelope
from services.reports.tests.conftest import Reports
from services.reports.tests.factories import SchoolStory

EVENING = dt.datetime(
    2026, 12, 1, 20, 0, tzinfo=dt.UTC
)  # 23:00 in Moscow, 06:00 on 2 Dec in Vladivostok


@pytest.fixture
def on_the_evening_of_1_december(reports: Reports) -> Iterator[None]:
    before = reports.runtime.clock
    reports.runtime.clock = FixedClock(EVENING)
    yield
    reports.runtime.clock = before


async def monitoring(reports: Reports, story: SchoolStory) -> Any:
    return await reports.client.get(
        f"/reports/v1/schools/{story.school_id}/monitoring",
        params={"period_id": story.quarters[1]},
        headers=reports.headers(["deputy"], story.school_id),
    )


def moved(story: SchoolStory, timezone: str) -> SchoolUpdated:
    return build(SchoolUpdated, school_id=story.school_id, name=story.name, timezone=timezone)


async def test_the_monitorings_date_follows_the_schools_updated_zone_R_RPT_2(
    reports: Reports, on_the_evening_of_1_december: None
) -> None:
    story = SchoolStory()
    await reports.feed(story.take())
    in_moscow = await monitoring(reports, story)

    story.emit(moved(story, "Asia/Vladivostok"))
    late_and_older = envelope(moved(story, "Europe/Moscow"), school_id=story.school_id, sequence=1)
    await reports.feed([*story.take(), late_and_older])
    in_vladivostok = await monitoring(reports, story)

    assert in_moscow.status_code == 200, in_moscow.text
    assert in_moscow.json()["as_of"] == "2026-12-01"
    assert in_vladivostok.json()["as_of"] == "2026-12-02"


async def test_a_school_not_registered_here_yet_is_409_school_not_known(
    reports: Reports, on_the_evening_of_1_december: None
) -> None:
    story = SchoolStory()
    registration, *journal = story.take()
    assert registration.type == SchoolRegistered.ce_type()
    await reports.feed(journal)  # the journal's facts came first

    refused = await monitoring(reports, story)

    assert refused.status_code == 409, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert int(refused.headers["retry-after"]) > 0
    assert refused.json()["code"] == "school_not_known"
    assert story.school_id in refused.json()["detail"]
    await reports.feed([registration])
    assert (await monitoring(reports, story)).json()["as_of"] == "2026-12-01"


async def test_a_printed_sheet_of_a_school_not_registered_here_yet_is_409_school_not_known_R_RPT_1(
    reports: Reports, on_the_evening_of_1_december: None
) -> None:
    """The printed sheet carries the school's date: never the instant's UTC date instead."""
    story = SchoolStory()
    class_id = story.open_class("7А", 7)
    registration, *journal = story.take()
    await reports.feed(journal)
    headers = reports.headers(["director"], story.school_id)

    as_data = await reports.sheet(class_id, story.quarters[1], headers)
    refused = await reports.sheet(class_id, story.quarters[1], headers, format="pdf")

    assert as_data.status_code == 200, as_data.text
    assert refused.status_code == 409, refused.text
    assert refused.json()["code"] == "school_not_known"
    assert int(refused.headers["retry-after"]) > 0
    await reports.feed([registration])
    assert (
        await reports.sheet(class_id, story.quarters[1], headers, format="pdf")
    ).status_code == 200
