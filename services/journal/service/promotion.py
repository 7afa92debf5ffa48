"""Closing the year and promoting every class to the next grade in one operation (R-YR-2).

Nothing of the closed year is deleted or changed: its enrolments end on the year's last day,
its records become read-only (`year_closed`), and the students continue in classes of the
next year, except those kept back (same grade) and those leaving.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from contracts.journal import EnrolmentChanged, YearClosed
from kit.db import new_id
from kit.errors import Invalid
from services.journal import policy
from services.journal.models import Enrolment, SchoolClass, SchoolYear
from services.journal.repository import classes as classes_repo
from services.journal.repository import enrolments as enrolments_repo
from services.journal.repository import school_rows
from services.journal.rules import school_year
from services.journal.service.classes import class_events
from services.journal.service.context import Ctx
from services.journal.service.loading import load


async def close_year(
    ctx: Ctx,
    year_id: str,
    next_year_id: str,
    kept_back: list[str],
    leaving: list[str],
    graduating_grade: int,
) -> dict[str, Any]:
    year = await load(ctx, SchoolYear, year_id, "year")
    policy.may_close_year(ctx.actor)
    following = await load(ctx, SchoolYear, next_year_id, "year", within=year.school_id)
    school_year.check_open(year)
    school_year.check_open(following)
    if following.school_id != year.school_id or following.starts_on <= year.ends_on:
        raise Invalid("the next year starts after this one ends", code="next_year_invalid")
    classes = await classes_repo.classes_of_year(ctx.session, year.id)
    enrolments = {
        c.id: await enrolments_repo.enrolled_on(ctx.session, c.id, year.ends_on) for c in classes
    }
    everyone = {e.student_id for rows in enrolments.values() for e in rows}
    strangers = sorted((set(kept_back) | set(leaving)) - everyone)
    if strangers:
        raise Invalid(
            f"not in a class at the end of {year.name}: {', '.join(strangers)}",
            code="student_not_in_class",
            student_ids=strangers,
        )
    promotion = _Promotion(ctx, year, following)
    for school_class in classes:
        await promotion.move_class(
            school_class,
            enrolments[school_class.id],
            set(kept_back),
            set(leaving),
            graduating_grade,
        )
    year.closed_on = year.ends_on
    await school_rows.save(ctx.session, year)
    await promotion.finish()
    await ctx.publish(
        year.school_id,
        [
            YearClosed(
                year_id=year.id,
                school_id=year.school_id,
                closed_on=year.ends_on,
                next_year_id=following.id,
            )
        ],
    )
    return promotion.summary()


class _Promotion:
    def __init__(self, ctx: Ctx, year: SchoolYear, following: SchoolYear) -> None:
        self.ctx, self.year, self.following = ctx, year, following
        self.last_day = year.ends_on + dt.timedelta(days=1)
        self.rows: list[dict[str, Any]] = []
        self.events: list[Any] = []
        self.moves: list[dict[str, Any]] = []
        self.counts = {"promoted": 0, "kept_back": 0, "left": 0}

    async def target(self, grade: int, letter: str, teacher: str | None) -> SchoolClass:
        name = f"{grade}{letter}"
        found = await classes_repo.class_by_name(self.ctx.session, self.following.id, name)
        if found is not None:
            return found
        school_class = SchoolClass(
            school_id=self.year.school_id,
            year_id=self.following.id,
            name=name,
            grade=grade,
            class_teacher_id=teacher,
        )
        await school_rows.save(self.ctx.session, school_class)
        self.events.extend(class_events(school_class, opened=True))
        return school_class

    async def move_class(
        self,
        school_class: SchoolClass,
        enrolments: list[Enrolment],
        kept_back: set[str],
        leaving: set[str],
        graduating_grade: int,
    ) -> None:
        letter = school_class.name[len(str(school_class.grade)) :]
        graduates = school_class.grade >= graduating_grade
        up = (
            None
            if graduates
            else await self.target(school_class.grade + 1, letter, school_class.class_teacher_id)
        )
        for enrolment in enrolments:
            enrolment.until_on = self.last_day
            student = enrolment.student_id
            if student in leaving or (graduates and student not in kept_back):
                enrolment.left_reason = "graduated" if graduates else "left at year end"
                self._left(student, school_class.id)
            elif student in kept_back:
                again = await self.target(school_class.grade, letter, None)
                self._enter(student, again.id, "enrolled")
                self.counts["kept_back"] += 1
            else:
                assert up is not None
                self._enter(student, up.id, "promoted")
                self.counts["promoted"] += 1
        self.moves.append({"from_class_id": school_class.id, "to_class_id": up.id if up else None})

    def _left(self, student: str, class_id: str) -> None:
        self.events.append(
            EnrolmentChanged(
                student_id=student, class_id=class_id, change="left", date=self.year.ends_on
            )
        )
        self.counts["left"] += 1

    def _enter(self, student: str, class_id: str, change: str) -> None:
        self.rows.append(
            {
                "id": new_id(),
                "school_id": self.year.school_id,
                "class_id": class_id,
                "student_id": student,
                "from_on": self.following.starts_on,
                "until_on": None,
                "left_reason": None,
            }
        )
        self.events.append(
            EnrolmentChanged(
                student_id=student,
                class_id=class_id,
                change=change,  # type: ignore[arg-type]
                date=self.following.starts_on,
            )
        )

    async def finish(self) -> None:
        await school_rows.insert_rows(self.ctx.session, Enrolment, self.rows)
        await self.ctx.publish(self.year.school_id, self.events)

    def summary(self) -> dict[str, Any]:
        return {
            "year_id": self.year.id,
            "next_year_id": self.following.id,
            "closed_on": self.year.ends_on,
            **self.counts,
            "classes": self.moves,
        }
