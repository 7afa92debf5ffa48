"""Opening the school year (R-YR-1): the year, its periods and holidays, subjects, work types,
the school's settings."""

from __future__ import annotations

import datetime as dt

from contracts.journal import PeriodDefined, SubjectDefined, YearOpened
from kit.errors import Conflict, Invalid
from services.journal import policy
from services.journal.models import Holiday, Period, School, SchoolYear, Subject, WorkType
from services.journal.repository import periods as periods_repo
from services.journal.repository import school_rows, schools, subjects, years
from services.journal.repository import work_types as work_types_repo
from services.journal.rules import school_year, work_types
from services.journal.service.context import Ctx
from services.journal.service.loading import load
from services.journal.service.school_settings import school_settings


async def open_school_year(
    ctx: Ctx, school_id: str, name: str, starts_on: dt.date, ends_on: dt.date
) -> SchoolYear:
    """R-YR-1: the administrator opens the year."""
    policy.may_setup(ctx.actor)
    school_year.check_in_order(starts_on, ends_on)
    school_year.check_plausible(starts_on, ends_on)
    if await years.year_by_name(ctx.session, school_id, name) is not None:
        raise Conflict(f"the year {name} already exists", code="year_exists")
    year = SchoolYear(school_id=school_id, name=name, starts_on=starts_on, ends_on=ends_on)
    await school_rows.save(ctx.session, year)
    await ctx.publish(
        school_id,
        [
            YearOpened(
                year_id=year.id,
                school_id=school_id,
                name=name,
                starts_on=starts_on,
                ends_on=ends_on,
            )
        ],
    )
    return year


async def define_period(
    ctx: Ctx, year_id: str, kind: str, number: int, starts_on: dt.date, ends_on: dt.date
) -> Period:
    year = await load(ctx, SchoolYear, year_id, "year")
    policy.may_setup(ctx.actor)
    school_year.check_open(year)
    school_year.check_in_order(starts_on, ends_on)
    school_year.check_inside(year, starts_on, ends_on)
    period = Period(
        school_id=year.school_id,
        year_id=year.id,
        kind=kind,
        number=number,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    if not await periods_repo.add(ctx.session, period):
        raise Conflict(f"{kind} {number} is already defined", code="period_exists")
    await ctx.publish(
        year.school_id,
        [
            PeriodDefined(
                period_id=period.id,
                year_id=year.id,
                kind=kind,  # type: ignore[arg-type]
                number=number,
                starts_on=starts_on,
                ends_on=ends_on,
            )
        ],
    )
    return period


async def add_holiday(
    ctx: Ctx, year_id: str, name: str, starts_on: dt.date, ends_on: dt.date
) -> Holiday:
    """Каникулы: lessons are not generated on these days."""
    year = await load(ctx, SchoolYear, year_id, "year")
    policy.may_schedule(ctx.actor)
    school_year.check_in_order(starts_on, ends_on)
    school_year.check_inside(year, starts_on, ends_on)
    holiday = Holiday(
        school_id=year.school_id, year_id=year.id, name=name, starts_on=starts_on, ends_on=ends_on
    )
    await school_rows.save(ctx.session, holiday)
    return holiday


async def define_subject(ctx: Ctx, school_id: str, name: str) -> Subject:
    policy.may_setup(ctx.actor)
    clean = " ".join(name.split())
    if not clean:
        raise Invalid("a subject needs a name", code="name_required")
    if await subjects.subject_by_name(ctx.session, school_id, clean) is not None:
        raise Conflict(f"the subject «{clean}» already exists", code="subject_exists")
    subject = Subject(school_id=school_id, name=clean)
    await school_rows.save(ctx.session, subject)
    await ctx.publish(school_id, [SubjectDefined(subject_id=subject.id, name=clean)])
    return subject


async def work_type_table(ctx: Ctx, school_id: str) -> dict[str, tuple[str, float]]:
    """R-LES-2: the school's work types with their weights, over the platform's defaults."""
    rows = await work_types_repo.work_types(ctx.session, school_id)
    return work_types.with_school_types((r.code, r.name, r.weight) for r in rows)


async def define_work_type(
    ctx: Ctx, school_id: str, code: str, name: str, weight: float
) -> WorkType:
    policy.may_setup(ctx.actor)
    await work_types_repo.upsert_work_type(ctx.session, school_id, code, name, weight)
    return WorkType(school_id=school_id, code=code, name=name, weight=weight)


async def configure_school(
    ctx: Ctx, school_id: str, homework_limit_minutes: int, mark_cutoff: dt.time
) -> School:
    """R-HW-1, R-MRK-2: the homework limit after the class's last lesson and the day's
    cut-off for marks are per-school settings of a school identity registered (409
    `school_not_known` before its registration arrives: its zone is identity's, never
    invented here)."""
    policy.may_setup(ctx.actor)
    school = await school_settings(ctx, school_id)
    await schools.save_settings(ctx.session, school_id, homework_limit_minutes, mark_cutoff)
    return school


async def years_of_school(ctx: Ctx, school_id: str) -> list[SchoolYear]:
    return await years.years_of_school(ctx.session, school_id)


async def periods_of_year(ctx: Ctx, year_id: str) -> list[Period]:
    year = await load(ctx, SchoolYear, year_id, "year")
    return await periods_repo.periods_of(ctx.session, year.id)


async def subjects_of_school(ctx: Ctx, school_id: str) -> list[Subject]:
    return await subjects.subjects(ctx.session, school_id)
