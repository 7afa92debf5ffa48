"""Opening and closing the year: years, periods, holidays, subjects, work types, classes,
enrolments and movement, groups, assignments (R-YR-1, R-YR-2, R-REC-6)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query

from kit.errors import problem_responses
from kit.params import Id, PlatformDate
from services.journal import policy
from services.journal.api.deps import CtxDep
from services.journal.schemas.setup import (
    AssignmentIn,
    AssignmentList,
    AssignmentOut,
    ClassIn,
    ClassList,
    ClassOut,
    ClassPatch,
    CloseYearIn,
    CloseYearOut,
    EnrolmentIn,
    EnrolmentOut,
    GroupIn,
    GroupOut,
    HolidayIn,
    HolidayOut,
    LeaveIn,
    MoveIn,
    PeriodIn,
    PeriodList,
    PeriodOut,
    SchoolSettingsIn,
    SchoolSettingsOut,
    StudentList,
    StudentOut,
    SubjectIn,
    SubjectList,
    SubjectOut,
    WorkTypeIn,
    WorkTypeList,
    WorkTypeOut,
    YearIn,
    YearList,
    YearOut,
)
from services.journal.service import classes, promotion, year

router = APIRouter(prefix="/journal/v1", tags=["school year"])
WRITE = problem_responses(401, 403, 404, 409, 422)
READ = problem_responses(401, 403, 404, 409, 422)  # 409 school_not_known


@router.post(
    "/schools/{school_id}/years",
    status_code=201,
    response_model=YearOut,
    responses=WRITE,
    summary="Open a school year (R-YR-1)",
)
async def open_year(school_id: Id, body: YearIn, ctx: CtxDep) -> YearOut:
    policy.school(ctx.actor, school_id)
    row = await year.open_school_year(ctx, school_id, body.name, body.starts_on, body.ends_on)
    return YearOut.model_validate(row)


@router.get(
    "/schools/{school_id}/years",
    response_model=YearList,
    responses=READ,
    summary="The school's years",
)
async def list_years(school_id: Id, ctx: CtxDep) -> YearList:
    policy.school(ctx.actor, school_id)
    rows = await year.years_of_school(ctx, school_id)
    return YearList(years=[YearOut.model_validate(r) for r in rows])


@router.post(
    "/years/{year_id}/periods",
    status_code=201,
    response_model=PeriodOut,
    responses=WRITE,
    summary="Define a quarter, trimester, half or the year",
)
async def define_period(year_id: Id, body: PeriodIn, ctx: CtxDep) -> PeriodOut:
    row = await year.define_period(
        ctx, year_id, body.kind, body.number, body.starts_on, body.ends_on
    )
    return PeriodOut.model_validate(row)


@router.get(
    "/years/{year_id}/periods",
    response_model=PeriodList,
    responses=READ,
    summary="The year's periods",
)
async def list_periods(year_id: Id, ctx: CtxDep) -> PeriodList:
    rows = await year.periods_of_year(ctx, year_id)
    return PeriodList(periods=[PeriodOut.model_validate(r) for r in rows])


@router.post(
    "/years/{year_id}/holidays",
    status_code=201,
    response_model=HolidayOut,
    responses=WRITE,
    summary="Holidays: no lessons are generated on them",
)
async def add_holiday(year_id: Id, body: HolidayIn, ctx: CtxDep) -> HolidayOut:
    row = await year.add_holiday(ctx, year_id, body.name, body.starts_on, body.ends_on)
    return HolidayOut.model_validate(row)


@router.post(
    "/schools/{school_id}/subjects",
    status_code=201,
    response_model=SubjectOut,
    responses=WRITE,
    summary="Define a subject of the curriculum",
)
async def define_subject(school_id: Id, body: SubjectIn, ctx: CtxDep) -> SubjectOut:
    policy.school(ctx.actor, school_id)
    return SubjectOut.model_validate(await year.define_subject(ctx, school_id, body.name))


@router.get(
    "/schools/{school_id}/subjects",
    response_model=SubjectList,
    responses=READ,
    summary="The school's subjects",
)
async def list_subjects(school_id: Id, ctx: CtxDep) -> SubjectList:
    policy.school(ctx.actor, school_id)
    rows = await year.subjects_of_school(ctx, school_id)
    return SubjectList(subjects=[SubjectOut.model_validate(r) for r in rows])


@router.get(
    "/schools/{school_id}/work-types",
    response_model=WorkTypeList,
    responses=READ,
    summary="Work types and their weights (R-LES-2)",
)
async def list_work_types(school_id: Id, ctx: CtxDep) -> WorkTypeList:
    policy.school(ctx.actor, school_id)
    table = await year.work_type_table(ctx, school_id)
    return WorkTypeList(
        work_types=[WorkTypeOut(code=c, name=n, weight=w) for c, (n, w) in sorted(table.items())]
    )


@router.post(
    "/schools/{school_id}/work-types",
    status_code=201,
    response_model=WorkTypeOut,
    responses=WRITE,
    summary="Add or re-weigh a work type of the school",
)
async def define_work_type(school_id: Id, body: WorkTypeIn, ctx: CtxDep) -> WorkTypeOut:
    policy.school(ctx.actor, school_id)
    row = await year.define_work_type(ctx, school_id, body.code, body.name, body.weight)
    return WorkTypeOut.model_validate(row)


@router.put(
    "/schools/{school_id}/settings",
    response_model=SchoolSettingsOut,
    responses=WRITE,
    summary="The school's homework limit (R-HW-1) and the day's cut-off for marks (R-MRK-2)",
)
async def configure(school_id: Id, body: SchoolSettingsIn, ctx: CtxDep) -> SchoolSettingsOut:
    policy.school(ctx.actor, school_id)
    row = await year.configure_school(ctx, school_id, body.homework_limit_minutes, body.mark_cutoff)
    return SchoolSettingsOut.model_validate(row)


@router.post(
    "/years/{year_id}/classes",
    status_code=201,
    response_model=ClassOut,
    responses=WRITE,
    summary="Open a class with its class teacher",
)
async def open_class(year_id: Id, body: ClassIn, ctx: CtxDep) -> ClassOut:
    row = await classes.open_class(ctx, year_id, body.name, body.grade, body.class_teacher_id)
    return ClassOut.model_validate(row)


@router.get(
    "/years/{year_id}/classes",
    response_model=ClassList,
    responses=READ,
    summary="The year's classes",
)
async def list_classes(year_id: Id, ctx: CtxDep) -> ClassList:
    rows = await classes.classes_of_year(ctx, year_id)
    return ClassList(classes=[ClassOut.model_validate(r) for r in rows])


@router.get("/classes/{class_id}", response_model=ClassOut, responses=READ, summary="A class")
async def get_class(class_id: Id, ctx: CtxDep) -> ClassOut:
    return ClassOut.model_validate(await classes.get_class(ctx, class_id))


@router.patch(
    "/classes/{class_id}",
    response_model=ClassOut,
    responses=WRITE,
    summary="Change the class teacher or the name (journal.class.updated)",
)
async def update_class(class_id: Id, body: ClassPatch, ctx: CtxDep) -> ClassOut:
    row = await classes.update_class(ctx, class_id, body.class_teacher_id, body.name)
    return ClassOut.model_validate(row)


@router.post(
    "/classes/{class_id}/students",
    status_code=201,
    response_model=EnrolmentOut,
    responses=WRITE,
    summary="Enrol a student from a date (default: the year's start)",
)
async def enrol(class_id: Id, body: EnrolmentIn, ctx: CtxDep) -> EnrolmentOut:
    return EnrolmentOut.model_validate(
        await classes.enrol(ctx, class_id, body.student_id, body.from_)
    )


@router.get(
    "/classes/{class_id}/students",
    response_model=StudentList,
    responses=READ,
    summary="Students in the class on a date (default: today)",
)
async def list_students(
    class_id: Id, ctx: CtxDep, on: Annotated[PlatformDate | None, Query()] = None
) -> StudentList:
    school_class, day, rows = await classes.students_on(ctx, class_id, on)
    students = [StudentOut.model_validate(r) for r in rows]
    return StudentList(class_id=school_class.id, on=day, students=students)


@router.delete(
    "/classes/{class_id}/students/{student_id}",
    response_model=EnrolmentOut,
    responses=WRITE,
    summary="A student leaves the class (with a reason and date)",
)
async def leave(
    class_id: Id, student_id: Id, ctx: CtxDep, body: Annotated[LeaveIn, Body()]
) -> EnrolmentOut:
    row = await classes.leave(ctx, class_id, student_id, body.reason, body.date)
    return EnrolmentOut.model_validate(row)


@router.post(
    "/classes/{class_id}/students/{student_id}/move",
    status_code=201,
    response_model=EnrolmentOut,
    responses=WRITE,
    summary="Move a student to another class of the year from a date",
)
async def move(class_id: Id, student_id: Id, body: MoveIn, ctx: CtxDep) -> EnrolmentOut:
    row = await classes.move(ctx, class_id, student_id, body.to_class_id, body.date)
    return EnrolmentOut.model_validate(row)


@router.post(
    "/classes/{class_id}/groups",
    status_code=201,
    response_model=GroupOut,
    responses=WRITE,
    summary="A subgroup of the class for one subject (R-REC-6)",
)
async def create_group(class_id: Id, body: GroupIn, ctx: CtxDep) -> GroupOut:
    group, members = await classes.create_group(
        ctx, class_id, body.subject_id, body.name, body.student_ids
    )
    return GroupOut(
        id=group.id,
        class_id=group.class_id,
        subject_id=group.subject_id,
        name=group.name,
        student_ids=members,
    )


@router.post(
    "/classes/{class_id}/assignments",
    status_code=201,
    response_model=AssignmentOut,
    responses=WRITE,
    summary="Who teaches a subject to the class or a group of it",
)
async def assign(class_id: Id, body: AssignmentIn, ctx: CtxDep) -> AssignmentOut:
    row = await classes.assign(ctx, class_id, body.subject_id, body.teacher_id, body.group_id)
    return AssignmentOut.model_validate(row)


@router.get(
    "/classes/{class_id}/assignments",
    response_model=AssignmentList,
    responses=READ,
    summary="The class's teaching assignments",
)
async def list_assignments(class_id: Id, ctx: CtxDep) -> AssignmentList:
    rows = await classes.assignments_of(ctx, class_id)
    return AssignmentList(assignments=[AssignmentOut.model_validate(r) for r in rows])


@router.post(
    "/years/{year_id}/close",
    response_model=CloseYearOut,
    responses=WRITE,
    summary="Close the year and promote every class (R-YR-2)",
)
async def close_year(year_id: Id, body: CloseYearIn, ctx: CtxDep) -> CloseYearOut:
    summary = await promotion.close_year(
        ctx, year_id, body.next_year_id, body.kept_back, body.leaving, body.graduating_grade
    )
    return CloseYearOut.model_validate(summary)
