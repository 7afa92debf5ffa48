"""One owner per fact, across the journal and the reports service (ARCHITECTURE "Events").

The journal decides whether a mark was entered late (R-MRK-2: after the school's cut-off on
the lesson's day, in the school's own time zone); reports stores what the journal published
and never judges it again, so the deputy's monitoring (R-RPT-2) counts exactly the journal's
late marks. A rebuild from the journal's real export ends with the same read model.

Both services run in the test's process against the real infrastructure; the journal's events
reach reports from the journal's outbox rows, as its relay would publish them (the outbox
row's id as the sequence).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from contracts.identity import SchoolRegistered
from kit.clock import FixedClock
from kit.events import Envelope
from kit.testing.events import build, envelope
from kit.testing.infra import S3Endpoint
from kit.testing.services import in_process, rabbit_shared, served
from kit.testing.tokens import TestTokens
from services.journal.app import MIGRATIONS as JOURNAL_MIGRATIONS
from services.journal.app import build as build_journal
from services.journal.models import Mark as JournalMark
from services.journal.models import outbox as journal_outbox
from services.journal.settings import JournalSettings
from services.journal.tests.factories import QUARTERS, World
from services.reports.app import MIGRATIONS as REPORTS_MIGRATIONS
from services.reports.app import build as build_reports
from services.reports.cli import rebuild_school
from services.reports.models import Mark as ReportsMark
from services.reports.repository.facts import SCHOOL_FACTS
from services.reports.tests.conftest import Reports, empty_store, reports_settings

ROOT = Path(__file__).resolve().parents[2]
Q1_STARTS, Q1_ENDS = QUARTERS[0]
LAST_OFFSET = (Q1_ENDS - Q1_STARTS).days - 7  # a lesson's 7 days of entry end in the quarter
NUMBERS = 7
AFTER_Q1 = dt.datetime.combine(Q1_ENDS + dt.timedelta(days=3), dt.time(12), dt.UTC)
ZONES = [
    "Europe/Moscow",
    "Europe/Kaliningrad",
    "Asia/Yekaterinburg",
    "Asia/Vladivostok",
    "Asia/Kamchatka",
    "Pacific/Honolulu",
    "America/New_York",
    "Asia/Kathmandu",
]


@dataclass
class Platform:
    journal: Any  # the journal's HTTP client, with `.app`
    reports: Reports
    tokens: TestTokens
    schools: dict[str, World] = field(default_factory=dict)
    slots: dict[str, set[tuple[int, int]]] = field(default_factory=dict)

    async def school_in(self, timezone: str) -> World:
        """The school in `timezone`, made once: each example adds its lessons and marks to
        it, and the school's counts add up."""
        if timezone not in self.schools:
            self.schools[timezone] = await self.school(timezone)
            self.slots[timezone] = set()
        return self.schools[timezone]

    def free_slot(self, timezone: str, offset: int, number: int) -> tuple[int, int]:
        """(day offset, lesson number) not taken by an earlier example in that school."""
        taken = self.slots[timezone]
        while (offset, number) in taken:
            number = number % NUMBERS + 1
            if number == 1:
                offset = (offset + 1) % LAST_OFFSET
        taken.add((offset, number))
        return offset, number

    async def school(self, timezone: str) -> World:
        """A journal school (people, a year, class 5А, two subjects) in `timezone`, announced
        by identity's `identity.school.registered` to both services."""
        self.journal.app.state.runtime.clock.set(dt.datetime.combine(Q1_STARTS, dt.time(6), dt.UTC))
        world = await World.create(self.journal, self.tokens)
        registered = envelope(
            build(SchoolRegistered, school_id=world.school_id, name="Школа", timezone=timezone),
            school_id=world.school_id,
        )
        outcomes = await world.runtime.consumer.handle_batch([registered])
        assert all(o is None for o in outcomes), outcomes
        await self.reports.feed([registered])
        return world

    async def deliver(self, world: World) -> None:
        """Every event the journal has published for the school, to reports."""
        t = journal_outbox
        async with world.runtime.db.read_only() as session:
            rows = await session.execute(
                select(t.c.id, t.c.envelope)
                .where(t.c.school_id == world.school_id)
                .order_by(t.c.id)
            )
            envelopes = [
                Envelope.model_validate_json(r.envelope).model_copy(update={"sequence": r.id})
                for r in rows
            ]
        await self.reports.feed(envelopes)

    async def journal_late(self, world: World) -> dict[str, tuple[int, int]]:
        """{teacher_id: (marks, late)} as the journal recorded them."""
        async with world.runtime.db.read_only() as session:
            rows = await session.execute(
                select(JournalMark.teacher_id, JournalMark.entered_late).where(
                    JournalMark.school_id == world.school_id, JournalMark.status == "active"
                )
            )
            pairs = list(rows.tuples())
        marks, late = Counter(t for t, _ in pairs), Counter(t for t, is_late in pairs if is_late)
        return {t: (n, late[t]) for t, n in marks.items()}

    async def monitoring(self, world: World) -> dict[str, Any]:
        self.reports.runtime.clock = FixedClock(AFTER_Q1)
        response = await self.reports.client.get(
            f"/reports/v1/schools/{world.school_id}/monitoring",
            params={"period_id": world.ids["q1"]},
            headers=self.reports.headers(["deputy"], world.school_id),
        )
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]

    async def reports_late(self, world: World) -> dict[str, tuple[int, int]]:
        """{teacher_id: (marks, late)} as the deputy's monitoring shows them."""
        found = await self.monitoring(world)
        return {t["teacher_id"]: (t["marks"], t["marks_late"]) for t in found["teachers"]}

    async def facts(self, school_id: str) -> dict[str, list[tuple[str, ...]]]:
        """The reports service's fact rows of the school (sequence columns left out: a
        rebuild's items carry none)."""
        seen: dict[str, list[tuple[str, ...]]] = {}
        async with self.reports.runtime.db.read_only() as session:
            for model in SCHOOL_FACTS:
                table = model.__table__
                columns = [c for c in table.c if not c.name.endswith("seq")]
                rows = await session.execute(select(*columns).where(table.c.school_id == school_id))
                seen[table.name] = sorted(tuple(map(str, r)) for r in rows)
        return seen

    async def rebuild(self, world: World, page_size: int) -> dict[str, int]:
        """The reports service's rebuild, reading the journal's real export over HTTP."""
        operator = self.tokens.headers(roles=["operator"], school_id=None)
        transport = httpx.ASGITransport(app=self.journal.app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://journal", headers=operator
        ) as client:
            return await rebuild_school(
                self.reports.runtime, client, world.school_id, limit=page_size
            )


@pytest.fixture(scope="module")
def tokens() -> TestTokens:
    return TestTokens()


@pytest.fixture(scope="module")
async def platform(
    make_database: Any,
    amqp_url: str,
    redis_url: str,
    run_id: str,
    rabbit_cleanup: list[str],
    tokens: TestTokens,
    s3_endpoints: tuple[S3Endpoint, S3Endpoint],
) -> AsyncIterator[Platform]:
    journal_db = await make_database("journal", JOURNAL_MIGRATIONS)
    reports_db = await make_database("reports", REPORTS_MIGRATIONS)
    journal_shared = rabbit_shared(amqp_url, redis_url, run_id, tokens, rabbit_cleanup)
    reports_shared = rabbit_shared(amqp_url, redis_url, run_id, tokens, rabbit_cleanup)
    journal_app = build_journal(
        JournalSettings(mode="distributed", database_url=journal_db), shared=journal_shared
    )
    journal_app.state.runtime.clock = FixedClock(AFTER_Q1)
    settings = reports_settings(reports_db, s3_endpoints[0], run_id)
    reports_app = build_reports(settings, shared=reports_shared)
    async with (
        in_process([journal_app], journal_shared.bus) as [journal],
        in_process([reports_app], reports_shared.bus) as [reports_client],
    ):
        journal.app = journal_app
        assert reports_shared.bus is not None
        reports = Reports(
            reports_client, reports_app, tokens, settings, reports_shared.bus, redis_url
        )  # type: ignore[arg-type]
        yield Platform(journal, reports, tokens)
        await empty_store(reports.store)


def local(day: dt.date, minutes: int, timezone: str) -> dt.datetime:
    """`minutes` after midnight of `day` at the school, as an instant."""
    midnight = dt.datetime.combine(day, dt.time(0), ZoneInfo(timezone))
    return (midnight + dt.timedelta(minutes=minutes)).astimezone(dt.UTC)


async def record(world: World, teacher: str, lesson: str, students: list[int]) -> None:
    marks = [
        {"student_id": world.students[s], "value": 3 + s % 3, "work_type": "answer"}
        for s in students
    ]
    await world.marks(teacher, lesson, marks)


# -- the property ------------------------------------------------------------------------

LESSON = st.tuples(
    st.integers(0, LAST_OFFSET - 1),  # the lesson's day in the first quarter
    st.integers(1, NUMBERS),  # its number in the day
    st.sampled_from(["teacher1", "teacher2"]),
    st.integers(0, 7),  # the day of entry, after the lesson's (R-MRK-3: up to 7 days)
    st.integers(7 * 60, 24 * 60 - 1),  # the minute of entry at the school
    st.lists(st.integers(0, 4), min_size=1, max_size=3, unique=True),  # students marked
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    timezone=st.sampled_from(ZONES),
    lessons=st.lists(LESSON, min_size=1, max_size=5, unique_by=lambda x: (x[0], x[1])),
    page_size=st.integers(1, 40),
)
async def test_reports_late_counts_equal_the_journals_and_survive_a_rebuild_R_MRK_2_R_RPT_2(
    platform: Platform,
    timezone: str,
    lessons: list[tuple[int, int, str, int, int, list[int]]],
    page_size: int,
) -> None:
    world = await platform.school_in(timezone)
    subject = {"teacher1": "math", "teacher2": "russian"}
    for drawn_offset, drawn_number, teacher, after, minute, students in lessons:
        offset, number = platform.free_slot(timezone, drawn_offset, drawn_number)
        day = Q1_STARTS + dt.timedelta(days=offset)
        lesson = await world.lesson(day, subject[teacher], number, teacher)
        world.at(local(day + dt.timedelta(days=after), minute, timezone))
        await record(world, teacher, lesson, students)
    await platform.deliver(world)

    recorded = await platform.journal_late(world)
    assert await platform.reports_late(world) == recorded

    live, shown = await platform.facts(world.school_id), await platform.monitoring(world)
    counts = await platform.rebuild(world, page_size)
    assert counts["marks"] == sum(n for n, _ in recorded.values())
    assert await platform.facts(world.school_id) == live
    assert {**await platform.monitoring(world), "generated_at": None} == {
        **shown,
        "generated_at": None,
    }


# -- the cut-off in a school far from Moscow -----------------------------------------------


@pytest.mark.parametrize(
    ("timezone", "minute", "late"),
    [
        # 17:00 in Vladivostok is 10:00 in Moscow: late at the school, however early in Moscow
        ("Asia/Vladivostok", 17 * 60, True),
        ("Asia/Vladivostok", 15 * 60, False),
        # 15:00 in Honolulu is already the next day in Moscow: in time at the school
        ("Pacific/Honolulu", 15 * 60, False),
        ("Pacific/Honolulu", 16 * 60 + 1, True),
    ],
)
async def test_a_mark_after_the_schools_cut_off_is_late_in_the_journal_and_in_reports_R_MRK_2(
    platform: Platform, timezone: str, minute: int, late: bool
) -> None:
    world = await platform.school(timezone)
    day = Q1_STARTS + dt.timedelta(days=7)
    lesson = await world.lesson(day, "math", 2, "teacher1")
    world.at(local(day, minute, timezone))
    await record(world, "teacher1", lesson, [0])
    await platform.deliver(world)

    teacher = world.ids["teacher1"]
    assert await platform.journal_late(world) == {teacher: (1, int(late))}
    found = await platform.monitoring(world)
    [row] = found["rows"]
    assert (row["marks"], row["marks_late"], row["marks_on_time"]) == (1, int(late), int(not late))
    [shown] = [t for t in found["teachers"] if t["teacher_id"] == teacher]
    assert (shown["marks_late"], shown["late_pct"]) == (int(late), 100.0 if late else 0.0)


# -- the rebuild command against the journal's real export ---------------------------------


async def test_the_rebuild_command_ends_with_the_live_model_from_the_journals_real_export(
    platform: Platform,
) -> None:
    world = await platform.school("Asia/Vladivostok")
    teacher = world.h("teacher1")
    marks = []
    for offset, minute in ((1, 10 * 60), (2, 18 * 60), (3, 23 * 60)):
        day = Q1_STARTS + dt.timedelta(days=offset)
        lesson = await world.lesson(day, "math", 1, "teacher1")
        world.at(local(day, minute, "Asia/Vladivostok"))
        found = await world.marks("teacher1", lesson, [
            {"student_id": s, "value": 4, "work_type": "answer"} for s in world.students[:3]
        ])  # fmt: skip
        marks += [m["id"] for m in found["marks"]]
        entries = [{"student_id": world.students[3], "status": "absent"}]
        response = await world.client.put(
            f"/journal/v1/lessons/{lesson}/attendance", json={"entries": entries}, headers=teacher
        )
        assert response.status_code == 200, response.text
    corrected = await world.client.patch(
        f"/journal/v1/marks/{marks[-1]}", json={"value": 5, "reason": "пересчёт"}, headers=teacher
    )
    cancelled = await world.client.request(
        "DELETE", f"/journal/v1/marks/{marks[-2]}", json={"reason": "ошибка"}, headers=teacher
    )
    assert (corrected.status_code, cancelled.status_code) == (200, 200), cancelled.text
    await platform.deliver(world)
    live, shown = await platform.facts(world.school_id), await platform.monitoring(world)
    # 10:00 at the school is in time; 18:00 and 23:00 are after the cut-off (R-MRK-2)
    assert [(t["marks"], t["marks_late"]) for t in shown["teachers"]] == [(8, 5)]

    async with platform.reports.runtime.db.unit_of_work() as session:  # the model goes wrong
        await session.execute(delete(ReportsMark).where(ReportsMark.school_id == world.school_id))
    assert await platform.facts(world.school_id) != live

    token = platform.tokens.headers(roles=["operator"], school_id=None)["Authorization"]
    async with served(platform.journal.app) as url:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "services.reports", "rebuild", "--school", world.school_id,
            "--token", token.removeprefix("Bearer "), "--journal-url", url, "--page-size", "2",
            cwd=ROOT, env=platform.reports.worker_env(), stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
        output, _ = await proc.communicate()
    assert proc.returncode == 0, output.decode()
    assert "rebuilt" in output.decode()
    assert await platform.facts(world.school_id) == live
    again = await platform.monitoring(world)
    assert {**again, "generated_at": None} == {**shown, "generated_at": None}
