"""Classes, their class teachers, enrolments and student movement, subgroups (R-REC-6) and
teaching assignments (R-YR-1, R-YR-2)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from contracts.journal import ClassOpened, ClassUpdated, EnrolmentChanged
from kit.errors import Conflict, Invalid, NotFound
from services.journal import policy
from services.journal.models import (
    Enrolment,
    SchoolClass,
    SchoolYear,
    StudyGroup,
    Subject,
    TeachingAssignment,
)
from services.journal.repository import assignments as assignments_repo
from services.journal.repository import classes as classes_repo
from services.journal.repository import enrolments, groups, people, school_rows
from services.journal.rules import school_year
from services.journal.service.context import Ctx
from services.journal.service.loading import load
from services.journal.service.people import full_name, known_people
from services.journal.service.school_settings import school_today

LOOKALIKES = str.maketrans("ABCEHKMOPTXYaceopxy", "АВСЕНКМОРТХУасеорху")
"""Latin letters that look like Cyrillic ones: «5A» typed with a Latin A is the class «5А»."""
CLASS_NAME = re.compile(r"^(\d{1,2})\s*-?\s*([А-ЯЁа-яё]{0,3})$")


def normalise_class_name(name: str, grade: int) -> str:
    """«5A» (Latin A) becomes «5А»; a letter with no Cyrillic twin is refused clearly."""
    clean = "".join(name.split()).translate(LOOKALIKES)
    match = CLASS_NAME.match(clean)
    if match is None:
        if re.search(r"[A-Za-z]", clean):
            raise Invalid(
                f"the class name «{name}» has Latin letters with no Cyrillic look-alike; "
                "class names are written in Cyrillic (R-MRK-9)",
                code="latin_letters_in_class_name",
            )
        raise Invalid(
            f"«{name}» is not a class name: a grade and a letter, like «5А»",
            code="invalid_class_name",
        )
    if int(match.group(1)) != grade:
        raise Invalid(
            f"the class name «{name}» does not start with its grade {grade}",
            code="grade_mismatch",
        )
    return f"{int(match.group(1))}{match.group(2).upper()}"


def class_events(school_class: SchoolClass, opened: bool) -> list[ClassOpened | ClassUpdated]:
    model = ClassOpened if opened else ClassUpdated
    return [
        model(
            class_id=school_class.id,
            year_id=school_class.year_id,
            name=school_class.name,
            grade=school_class.grade,
            class_teacher_id=school_class.class_teacher_id,
        )
    ]


async def open_class(
    ctx: Ctx, year_id: str, name: str, grade: int, class_teacher_id: str | None
) -> SchoolClass:
    year = await load(ctx, SchoolYear, year_id, "year")
    policy.may_setup(ctx.actor)
    school_year.check_open(year)
    clean = normalise_class_name(name, grade)
    if class_teacher_id:
        await known_people(ctx, year.school_id, [class_teacher_id], "staff")
    if await classes_repo.class_by_name(ctx.session, year.id, clean) is not None:
        raise Conflict(f"the class {clean} already exists in {year.name}", code="class_exists")
    school_class = SchoolClass(
        school_id=year.school_id,
        year_id=year.id,
        name=clean,
        grade=grade,
        class_teacher_id=class_teacher_id,
    )
    await school_rows.save(ctx.session, school_class)
    await ctx.publish(year.school_id, class_events(school_class, opened=True))
    return school_class


async def update_class(
    ctx: Ctx, class_id: str, class_teacher_id: str | None, name: str | None
) -> SchoolClass:
    school_class = await load(ctx, SchoolClass, class_id, "class")
    policy.may_setup(ctx.actor)
    year = await load(ctx, SchoolYear, school_class.year_id, "year")
    school_year.check_open(year)
    if class_teacher_id is not None:
        await known_people(ctx, school_class.school_id, [class_teacher_id], "staff")
        school_class.class_teacher_id = class_teacher_id
    if name is not None:
        clean = normalise_class_name(name, school_class.grade)
        other = await classes_repo.class_by_name(ctx.session, year.id, clean)
        if other is not None and other.id != school_class.id:
            raise Conflict(f"the class {clean} already exists", code="class_exists")
        school_class.name = clean
    await school_rows.save(ctx.session, school_class)
    await ctx.publish(school_class.school_id, class_events(school_class, opened=False))
    return school_class


async def enrol(ctx: Ctx, class_id: str, student_id: str, from_on: dt.date | None) -> Enrolment:
    """R-YR-2: an arrival is recorded as it happens, from its date."""
    school_class = await load(ctx, SchoolClass, class_id, "class")
    policy.may_enrol(ctx.actor)
    year = await load(ctx, SchoolYear, school_class.year_id, "year")
    school_year.check_open(year)
    day = from_on or year.starts_on
    school_year.check_inside(year, day)
    await known_people(ctx, school_class.school_id, [student_id], "student")
    current = await enrolments.open_enrolments_in_year(
        ctx.session, school_class.school_id, year.id, [student_id]
    )
    if current:
        raise Conflict(
            "the student is already in a class this year: move them instead",
            code="already_enrolled",
        )
    enrolment = Enrolment(
        school_id=school_class.school_id,
        class_id=school_class.id,
        student_id=student_id,
        from_on=day,
    )
    await school_rows.save(ctx.session, enrolment)
    await ctx.publish(
        school_class.school_id,
        [
            EnrolmentChanged(
                student_id=student_id, class_id=school_class.id, change="enrolled", date=day
            )
        ],
    )
    return enrolment


async def leave(
    ctx: Ctx, class_id: str, student_id: str, reason: str, day: dt.date | None
) -> Enrolment:
    """R-YR-2: a departure, with its date and reason; the student's records stay."""
    school_class = await load(ctx, SchoolClass, class_id, "class")
    policy.may_enrol(ctx.actor)
    year = await load(ctx, SchoolYear, school_class.year_id, "year")
    school_year.check_open(year)
    enrolment = await enrolments.open_enrolment(ctx.session, school_class.id, student_id)
    if enrolment is None:
        raise NotFound("the student is not in this class", code="not_enrolled")
    until = day or await school_today(ctx, school_class.school_id)
    school_year.check_inside(year, until)
    if until < enrolment.from_on:
        raise Invalid("the student cannot leave before they arrived", code="dates_reversed")
    enrolment.until_on, enrolment.left_reason = until, reason
    await school_rows.save(ctx.session, enrolment)
    await ctx.publish(
        school_class.school_id,
        [
            EnrolmentChanged(
                student_id=student_id, class_id=school_class.id, change="left", date=until
            )
        ],
    )
    return enrolment


async def move(
    ctx: Ctx, class_id: str, student_id: str, to_class_id: str, day: dt.date
) -> Enrolment:
    """Перевод within the year: leaves one class and enters the other on the same date."""
    source = await load(ctx, SchoolClass, class_id, "class")
    target = await load(ctx, SchoolClass, to_class_id, "class", within=source.school_id)
    policy.may_enrol(ctx.actor)
    if target.id == source.id:
        raise Invalid("the student is already in this class", code="same_class")
    if target.year_id != source.year_id:
        raise Invalid("a move stays inside the year", code="other_year")
    await leave(ctx, class_id, student_id, f"moved to {target.name}", day)
    return await enrol(ctx, to_class_id, student_id, day)


async def create_group(
    ctx: Ctx, class_id: str, subject_id: str, name: str, student_ids: list[str]
) -> tuple[StudyGroup, list[str]]:
    """R-REC-6: a subgroup for one subject, its members from the class."""
    school_class = await load(ctx, SchoolClass, class_id, "class")
    policy.may_keep_groups(ctx.actor)
    await load(ctx, Subject, subject_id, "subject", within=school_class.school_id)
    year = await load(ctx, SchoolYear, school_class.year_id, "year")
    school_year.check_open(year)
    members = list(dict.fromkeys(student_ids))
    await check_in_class(
        ctx, school_class, members, await school_today(ctx, school_class.school_id), year
    )
    group = StudyGroup(
        school_id=school_class.school_id, class_id=school_class.id, subject_id=subject_id, name=name
    )
    await groups.add_group(ctx.session, group, members)
    return group, members


async def check_in_class(
    ctx: Ctx, school_class: SchoolClass, students: list[str], day: dt.date, year: SchoolYear
) -> None:
    """Every student named is enrolled in the class (on the day, or within the year)."""
    day = min(max(day, year.starts_on), year.ends_on)
    enrolled = await enrolments.enrolled_between(
        ctx.session, school_class.id, year.starts_on, year.ends_on
    )
    known = {e.student_id for e in enrolled}
    missing = sorted(set(students) - known)
    if missing:
        raise Invalid(
            f"not in the class {school_class.name}: {', '.join(missing)}",
            code="student_not_in_class",
            student_ids=missing,
        )


async def assign(
    ctx: Ctx, class_id: str, subject_id: str, teacher_id: str, group_id: str | None
) -> TeachingAssignment:
    """R-YR-1: the teachers of each class; R-REC-3 rests on these rows."""
    school_class = await load(ctx, SchoolClass, class_id, "class")
    policy.may_setup(ctx.actor)
    await load(ctx, Subject, subject_id, "subject", within=school_class.school_id)
    if group_id is not None:
        group = await load(ctx, StudyGroup, group_id, "group", within=school_class.school_id)
        if group.class_id != school_class.id or group.subject_id != subject_id:
            raise Invalid("the group is not of this class and subject", code="group_mismatch")
    await known_people(ctx, school_class.school_id, [teacher_id], "staff")
    assignment = TeachingAssignment(
        school_id=school_class.school_id,
        class_id=school_class.id,
        subject_id=subject_id,
        teacher_id=teacher_id,
        group_id=group_id,
    )
    await school_rows.save(ctx.session, assignment)
    return assignment


async def classes_of_year(ctx: Ctx, year_id: str) -> list[SchoolClass]:
    year = await load(ctx, SchoolYear, year_id, "year")
    return await classes_repo.classes_of_year(ctx.session, year.id)


async def get_class(ctx: Ctx, class_id: str) -> SchoolClass:
    return await load(ctx, SchoolClass, class_id, "class")


async def students_on(
    ctx: Ctx, class_id: str, day: dt.date | None
) -> tuple[SchoolClass, dt.date, list[dict[str, Any]]]:
    """The class's students on a day (default: the school's today), by name."""
    school_class = await load(ctx, SchoolClass, class_id, "class")
    day = day or await school_today(ctx, school_class.school_id)
    rows = await enrolments.enrolled_on(ctx.session, school_class.id, day)
    names = await people.people(ctx.session, school_class.school_id, [r.student_id for r in rows])
    students = [
        {
            "student_id": r.student_id,
            "name": full_name(names.get(r.student_id)),
            "from_on": r.from_on,
            "until_on": r.until_on,
        }
        for r in rows
    ]
    return school_class, day, sorted(students, key=lambda s: s["name"])


async def assignments_of(ctx: Ctx, class_id: str) -> list[TeachingAssignment]:
    school_class = await load(ctx, SchoolClass, class_id, "class")
    return await assignments_repo.assignments(
        ctx.session, school_class.school_id, class_id=school_class.id
    )
