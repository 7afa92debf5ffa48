"""The school's working mode (R-YR-1): bells, rooms, the weekly timetable, lessons generated
from it for a date range with holidays skipped, and the calendar-thematic plan (R-LES-1)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from kit.db import new_id
from kit.errors import Conflict, Invalid
from services.journal import policy
from services.journal.models import (
    Bell,
    Lesson,
    PlanItem,
    Room,
    SchoolClass,
    SchoolYear,
    Subject,
    TimetableEntry,
)
from services.journal.repository import assignments as assignments_repo
from services.journal.repository import holidays as holidays_repo
from services.journal.repository import lessons as lessons_repo
from services.journal.repository import plans, rooms, school_rows
from services.journal.repository import timetable as timetable_repo
from services.journal.rules import school_year
from services.journal.service import history
from services.journal.service.context import Ctx
from services.journal.service.lessons import check_group_and_room, lesson_event, lesson_state
from services.journal.service.loading import load
from services.journal.service.school_settings import school_today
from services.journal.service.teaching import teaching


async def set_bells(ctx: Ctx, school_id: str, bells: list[dict[str, Any]]) -> list[dict[str, Any]]:
    policy.may_schedule(ctx.actor)
    numbers = [b["number"] for b in bells]
    if len(set(numbers)) != len(numbers):
        raise Invalid("a lesson number appears twice", code="duplicate_bell")
    for b in bells:
        if b["ends_at"] <= b["starts_at"]:
            raise Invalid(f"lesson {b['number']} ends before it starts", code="dates_reversed")
    rows = [{"school_id": school_id, **b} for b in sorted(bells, key=lambda b: b["number"])]
    await school_rows.replace_rows(ctx.session, Bell, rows, school_id=school_id)
    return rows


async def add_room(ctx: Ctx, school_id: str, name: str) -> Room:
    policy.may_schedule(ctx.actor)
    if await rooms.room_by_name(ctx.session, school_id, name) is not None:
        raise Conflict(f"the room «{name}» already exists", code="room_exists")
    room = Room(school_id=school_id, name=name)
    await school_rows.save(ctx.session, room)
    return room


async def set_timetable(
    ctx: Ctx, class_id: str, entries: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The class's weekly timetable, replaced as a whole."""
    school_class = await load(ctx, SchoolClass, class_id, "class")
    policy.may_schedule(ctx.actor)
    school_year.check_open(await load(ctx, SchoolYear, school_class.year_id, "year"))
    slots = [(e["weekday"], e["number"], e.get("group_id")) for e in entries]
    if len(set(slots)) != len(slots):
        raise Invalid("two entries share a weekday, lesson number and group", code="slot_twice")
    assignments = await assignments_repo.assignments(
        ctx.session, school_class.school_id, class_id=school_class.id
    )
    for entry in entries:
        await load(ctx, Subject, entry["subject_id"], "subject", within=school_class.school_id)
        await check_group_and_room(
            ctx, school_class, entry["subject_id"], entry.get("group_id"), entry.get("room_id")
        )
        covered = policy.Teaching(
            frozenset(
                (a.subject_id, a.group_id)
                for a in assignments
                if a.teacher_id == entry["teacher_id"]
            )
        )
        if not covered.covers(entry["subject_id"], entry.get("group_id")):
            raise Invalid(
                f"the teacher of {entry['weekday']}/{entry['number']} is not assigned to that "
                "subject in this class",
                code="teacher_not_assigned",
            )
    rows = [
        {
            "id": new_id(),
            "school_id": school_class.school_id,
            "class_id": school_class.id,
            "group_id": None,
            "room_id": None,
            **e,
        }
        for e in entries
    ]
    await school_rows.replace_rows(ctx.session, TimetableEntry, rows, class_id=school_class.id)
    return rows


def _holiday_days(holidays: list[Any]) -> set[dt.date]:
    days: set[dt.date] = set()
    for h in holidays:
        day = h.starts_on
        while day <= h.ends_on:
            days.add(day)
            day += dt.timedelta(days=1)
    return days


async def generate_lessons(ctx: Ctx, class_id: str, start: dt.date, end: dt.date) -> dict[str, Any]:
    """Lessons of the timetable for each school day of the range; holidays and lessons that
    already exist are skipped, so generating twice creates nothing new."""
    school_class = await load(ctx, SchoolClass, class_id, "class")
    policy.may_schedule(ctx.actor)
    year = await load(ctx, SchoolYear, school_class.year_id, "year")
    school_year.check_open(year)
    if end < start:
        raise Invalid("to is before from", code="dates_reversed")
    start, end = max(start, year.starts_on), min(end, year.ends_on)
    entries = await timetable_repo.timetable(ctx.session, school_class.id)
    holidays = _holiday_days(await holidays_repo.holidays(ctx.session, year.id))
    taken = await lessons_repo.taken_slots(ctx.session, school_class.id, start, end)
    topics = _TopicCursor(ctx, school_class.id)
    rows: list[dict[str, Any]] = []
    skipped: list[dt.date] = []
    day = start
    while day <= end:
        todays = [e for e in entries if e.weekday == day.isoweekday()]
        if todays and day in holidays:
            skipped.append(day)
        elif todays:
            for entry in todays:
                if (day, entry.number, entry.group_id) in taken:
                    continue
                rows.append(
                    {
                        "id": new_id(),
                        "school_id": school_class.school_id,
                        "class_id": school_class.id,
                        "subject_id": entry.subject_id,
                        "group_id": entry.group_id,
                        "teacher_id": entry.teacher_id,
                        "substitute_id": None,
                        "room_id": entry.room_id,
                        "date": day,
                        "number": entry.number,
                        "topic": await topics.next(entry.subject_id, entry.group_id, day),
                        "homework": None,
                        "homework_set_at": None,
                        "homework_late": False,
                    }
                )
        day += dt.timedelta(days=1)
    await school_rows.insert_rows(ctx.session, Lesson, rows)
    lessons = [Lesson(**r) for r in rows]
    await ctx.publish(school_class.school_id, [lesson_event(lesson) for lesson in lessons])
    await history.record(
        ctx,
        school_class.school_id,
        [history.Change("lesson", x.id, "created", None, lesson_state(x)) for x in lessons],
    )
    return {
        "created": len(rows),
        "skipped_holidays": skipped,
        "lesson_ids": [r["id"] for r in rows],
    }


class _TopicCursor:
    """R-LES-1: each generated lesson takes the next topic of its plan, in date order."""

    def __init__(self, ctx: Ctx, class_id: str) -> None:
        self.ctx, self.class_id = ctx, class_id
        self.plans: dict[str, list[str]] = {}
        self.counts: dict[tuple[str, str | None], int] = defaultdict(int)
        self.started: set[tuple[str, str | None]] = set()

    async def next(self, subject_id: str, group_id: str | None, day: dt.date) -> str | None:
        key = (subject_id, group_id)
        if subject_id not in self.plans:
            items = await plans.plan(self.ctx.session, self.class_id, subject_id)
            self.plans[subject_id] = [i.topic for i in items]
        if not self.plans[subject_id]:
            return None
        if key not in self.started:
            self.started.add(key)
            before = await lessons_repo.lessons_of_subject(
                self.ctx.session, self.class_id, subject_id, group_id
            )
            self.counts[key] = len([x for x in before if x.date < day])
        position = self.counts[key]
        self.counts[key] += 1
        plan = self.plans[subject_id]
        return plan[position] if position < len(plan) else None


async def import_plan(
    ctx: Ctx, class_id: str, subject_id: str, items: list[dict[str, Any]]
) -> dict[str, Any]:
    """КТП: the plan of a class and subject, replaced as a whole by the admin or its teacher."""
    school_class = await load(ctx, SchoolClass, class_id, "class")
    await load(ctx, Subject, subject_id, "subject", within=school_class.school_id)
    if not ctx.actor.has_any(*policy.SETUP):
        policy.may_set_period_marks(ctx.actor, await teaching(ctx, school_class), subject_id)
    rows = [
        {
            "id": new_id(),
            "school_id": school_class.school_id,
            "class_id": school_class.id,
            "subject_id": subject_id,
            "position": n,
            "topic": item["topic"],
            "kind": item.get("kind"),
        }
        for n, item in enumerate(items, start=1)
    ]
    await school_rows.replace_rows(
        ctx.session, PlanItem, rows, class_id=school_class.id, subject_id=subject_id
    )
    return await plan_progress(ctx, class_id, subject_id)


async def plan_progress(ctx: Ctx, class_id: str, subject_id: str) -> dict[str, Any]:
    """How far the lessons have got through the plan (R-RPT-2: КТП vs lessons given)."""
    school_class = await load(ctx, SchoolClass, class_id, "class")
    policy.readable_subjects(ctx.actor, await teaching(ctx, school_class))
    items = await plans.plan(ctx.session, school_class.id, subject_id)
    lessons = await lessons_repo.lessons_of_subject(ctx.session, school_class.id, subject_id)
    today = await school_today(ctx, school_class.school_id)
    given = [x for x in lessons if x.date <= today]
    out_items = []
    for n, item in enumerate(items):
        lesson = given[n] if n < len(given) else None
        out_items.append(
            {
                "position": item.position,
                "topic": item.topic,
                "kind": item.kind,
                "lesson_id": lesson.id if lesson else None,
                "date": lesson.date if lesson else None,
            }
        )
    planned = len(items)
    return {
        "class_id": school_class.id,
        "subject_id": subject_id,
        "planned": planned,
        "given": len(given),
        "progress_pct": round(min(len(given), planned) * 100 / planned, 1) if planned else None,
        "items": out_items,
    }


async def timetable_of(ctx: Ctx, class_id: str) -> tuple[SchoolClass, list[TimetableEntry]]:
    """The class's weekly timetable, as it was last replaced."""
    school_class = await load(ctx, SchoolClass, class_id, "class")
    return school_class, await timetable_repo.timetable(ctx.session, school_class.id)
