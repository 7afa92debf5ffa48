"""Lessons: creation, topic (R-LES-1, from the thematic plan), homework (R-LES-3, R-HW-1),
substitution (R-REC-7), and the timetable's one-off changes (a lesson moved or cancelled)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from contracts.journal import LessonCancelled, LessonRecorded
from kit.errors import Conflict, Invalid
from services.journal import policy
from services.journal.models import Lesson, Room, SchoolClass, SchoolYear, StudyGroup, Subject
from services.journal.repository import bells as bells_repo
from services.journal.repository import lessons as lessons_repo
from services.journal.repository import plans, school_rows
from services.journal.rules import (
    bells,
    entry_window,
    homework_deadline,
    school_year,
    timetable_change,
)
from services.journal.service import history
from services.journal.service.context import Ctx
from services.journal.service.loading import lesson_with_class, load
from services.journal.service.people import known_people
from services.journal.service.school_settings import school_settings, school_today
from services.journal.service.teaching import check_assigned, teaching


def lesson_event(lesson: Lesson) -> LessonRecorded:
    return LessonRecorded(
        lesson_id=lesson.id,
        class_id=lesson.class_id,
        group_id=lesson.group_id,
        subject_id=lesson.subject_id,
        teacher_id=lesson.teacher_id,
        date=lesson.date,
        number=lesson.number,
        topic=lesson.topic,
        homework=lesson.homework,
        substitute_id=lesson.substitute_id,
        homework_late=lesson.homework_late,
    )


def lesson_state(lesson: Lesson) -> dict[str, Any]:
    """What the history keeps of a lesson: enough to put a cancelled one back (R-SEC-4)."""
    return {
        "topic": lesson.topic,
        "homework": lesson.homework,
        "teacher_id": lesson.teacher_id,
        "substitute_id": lesson.substitute_id,
        "class_id": lesson.class_id,
        "subject_id": lesson.subject_id,
        "group_id": lesson.group_id,
        "room_id": lesson.room_id,
        "date": lesson.date.isoformat(),
        "number": lesson.number,
    }


async def create_lesson(
    ctx: Ctx,
    *,
    class_id: str,
    subject_id: str,
    group_id: str | None,
    teacher_id: str,
    date: dt.date,
    number: int,
    topic: str | None,
    room_id: str | None = None,
    check: bool = True,
) -> Lesson:
    school_class = await load(ctx, SchoolClass, class_id, "class")
    await load(ctx, Subject, subject_id, "subject", within=school_class.school_id)
    year = await load(ctx, SchoolYear, school_class.year_id, "year")
    school_year.check_open(year)
    school_year.check_inside(year, date)
    if check:
        policy.may_create_lesson(ctx.actor, await teaching(ctx, school_class), subject_id, group_id)
    await check_group_and_room(ctx, school_class, subject_id, group_id, room_id)
    await known_people(ctx, school_class.school_id, [teacher_id], "staff")
    await check_assigned(ctx, school_class, subject_id, group_id, teacher_id)
    await free_slot(ctx, school_class, date, number, group_id)
    if topic is None:
        topic = await plans.next_plan_topic(
            ctx.session, school_class.id, subject_id, group_id, date
        )
    lesson = Lesson(
        school_id=school_class.school_id,
        class_id=school_class.id,
        subject_id=subject_id,
        group_id=group_id,
        teacher_id=teacher_id,
        room_id=room_id,
        date=date,
        number=number,
        topic=topic,
        homework_late=False,
    )
    await school_rows.save(ctx.session, lesson)
    await ctx.publish(school_class.school_id, [lesson_event(lesson)])
    await history.record(
        ctx,
        school_class.school_id,
        [history.Change("lesson", lesson.id, "created", None, lesson_state(lesson))],
    )
    return lesson


async def free_slot(
    ctx: Ctx,
    school_class: SchoolClass,
    date: dt.date,
    number: int,
    group_id: str | None,
    besides: str | None = None,
) -> None:
    """No other lesson of the class (or of the same group) at that day and number."""
    if await lessons_repo.slot_taken(ctx.session, school_class.id, date, number, group_id, besides):
        raise Conflict(
            f"{school_class.name} already has lesson {number} on {date.isoformat()}",
            code="lesson_exists",
        )


async def check_group_and_room(
    ctx: Ctx, school_class: SchoolClass, subject_id: str, group_id: str | None, room_id: str | None
) -> None:
    """The group is one of this class's, for this subject; the room is the school's."""
    if room_id is not None:
        await load(ctx, Room, room_id, "room", within=school_class.school_id)
    if group_id is None:
        return
    group = await load(ctx, StudyGroup, group_id, "group", within=school_class.school_id)
    if group.class_id != school_class.id or group.subject_id != subject_id:
        raise Invalid("the group is not of this class and subject", code="group_mismatch")


async def update_lesson(ctx: Ctx, lesson_id: str, fields: dict[str, str | None]) -> Lesson:
    """R-LES-1, R-LES-3: topic and homework, by the lesson's teacher or substitute.

    Topic and homework may be written ahead (planning), never after the R-MRK-3 window.
    R-HW-1: homework written after the school's limit past the class's last lesson of the
    day is accepted and flagged late for the deputy's monitoring.
    """
    lesson, school_class, year = await lesson_with_class(ctx, lesson_id)
    school_year.check_open(year)
    policy.may_write_lesson(ctx.actor, lesson.teacher_id, lesson.substitute_id)
    entry_window.check_lesson_record(lesson.date, await school_today(ctx, school_class.school_id))
    before = lesson_state(lesson)
    if "topic" in fields:
        lesson.topic = fields["topic"]
    if "homework" in fields and fields["homework"] != lesson.homework:
        lesson.homework = fields["homework"]
        lesson.homework_set_at = ctx.now
        lesson.homework_late = await homework_is_late(ctx, lesson)
    await school_rows.save(ctx.session, lesson)
    await ctx.publish(school_class.school_id, [lesson_event(lesson)])
    await history.record(
        ctx,
        school_class.school_id,
        [history.Change("lesson", lesson.id, "updated", before, lesson_state(lesson))],
    )
    return lesson


async def homework_is_late(ctx: Ctx, lesson: Lesson) -> bool:
    """R-HW-1 (`rules.homework_deadline`): later than the limit after the end of the class's
    last lesson that day."""
    school = await school_settings(ctx, lesson.school_id)
    last = await lessons_repo.last_lesson_number(ctx.session, lesson.class_id, lesson.date)
    number = last or lesson.number
    bell = await bells_repo.bell(ctx.session, lesson.school_id, number)
    ends = bells.lesson_end(number, bell.ends_at if bell else None)
    return homework_deadline.homework_is_late(
        ctx.now, lesson.date, ends, school.homework_limit_minutes, school.timezone
    )


async def substitute(ctx: Ctx, lesson_id: str, substitute_id: str) -> Lesson:
    """R-REC-7: who replaced whom on which lesson; the substitute then keeps its records."""
    lesson, school_class, year = await lesson_with_class(ctx, lesson_id)
    policy.may_substitute(ctx.actor)
    school_year.check_open(year)
    await known_people(ctx, school_class.school_id, [substitute_id], "staff")
    if substitute_id == lesson.teacher_id:
        raise Invalid("a teacher does not substitute for themselves", code="same_teacher")
    before = lesson_state(lesson)
    lesson.substitute_id = substitute_id
    await school_rows.save(ctx.session, lesson)
    await ctx.publish(school_class.school_id, [lesson_event(lesson)])
    await history.record(
        ctx,
        school_class.school_id,
        [history.Change("lesson", lesson.id, "substituted", before, lesson_state(lesson))],
    )
    return lesson


async def _changeable(ctx: Ctx, lesson_id: str) -> tuple[Lesson, SchoolClass, SchoolYear]:
    """A one-off change is the scheduler's, for a lesson still ahead with nothing written on
    it: once a lesson has marks or attendance it took place and stays where it was."""
    lesson, school_class, year = await lesson_with_class(ctx, lesson_id)
    policy.may_schedule(ctx.actor)
    school_year.check_open(year)
    timetable_change.check_lesson_ahead(
        lesson.date, await school_today(ctx, school_class.school_id)
    )
    if await lessons_repo.lesson_has_records(ctx.session, lesson.id):
        raise Conflict("the lesson already has marks or attendance", code="lesson_has_records")
    return lesson, school_class, year


async def move_lesson(
    ctx: Ctx, lesson_id: str, date: dt.date, number: int, room_id: str | None
) -> Lesson:
    """A one-off change of the timetable: the lesson moves to another day, slot or room."""
    lesson, school_class, year = await _changeable(ctx, lesson_id)
    school_year.check_inside(year, date)
    timetable_change.check_date_ahead(date, await school_today(ctx, school_class.school_id))
    await check_group_and_room(ctx, school_class, lesson.subject_id, lesson.group_id, room_id)
    await free_slot(ctx, school_class, date, number, lesson.group_id, besides=lesson.id)
    before = lesson_state(lesson)
    lesson.date, lesson.number, lesson.room_id = date, number, room_id
    await school_rows.save(ctx.session, lesson)
    await ctx.publish(school_class.school_id, [lesson_event(lesson)])
    await history.record(
        ctx,
        school_class.school_id,
        [history.Change("lesson", lesson.id, "moved", before, lesson_state(lesson))],
    )
    return lesson


async def cancel_lesson(ctx: Ctx, lesson_id: str, reason: str) -> Lesson:
    """A one-off change of the timetable: the lesson will not take place. Its history stays.
    Returns the lesson as it was (removed from the unit of work)."""
    lesson, school_class, _ = await _changeable(ctx, lesson_id)
    before = lesson_state(lesson)
    event = LessonCancelled(
        lesson_id=lesson.id,
        class_id=school_class.id,
        group_id=lesson.group_id,
        subject_id=lesson.subject_id,
        teacher_id=lesson.teacher_id,
        date=lesson.date,
        number=lesson.number,
        reason=reason,
    )
    await school_rows.remove(ctx.session, lesson)
    await ctx.publish(school_class.school_id, [event])
    await history.record(
        ctx,
        school_class.school_id,
        [history.Change("lesson", lesson_id, "cancelled", before, None, reason=reason)],
    )
    return lesson
