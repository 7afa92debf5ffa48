"""The school's working mode: bells, rooms, timetable, lesson generation, thematic plans."""

from __future__ import annotations

from fastapi import APIRouter

from kit.errors import problem_responses
from kit.params import Id
from services.journal import policy
from services.journal.api.deps import CtxDep
from services.journal.schemas.schedule import (
    BellIn,
    BellsIn,
    BellsOut,
    GenerateIn,
    GenerateOut,
    PlanIn,
    PlanOut,
    RoomIn,
    RoomOut,
    TimetableEntryOut,
    TimetableIn,
    TimetableOut,
)
from services.journal.service import schedule

router = APIRouter(prefix="/journal/v1", tags=["timetable"])
WRITE = problem_responses(401, 403, 404, 409, 422)
READ = problem_responses(401, 403, 404, 409, 422)  # 409 school_not_known


@router.put(
    "/schools/{school_id}/bells",
    response_model=BellsOut,
    responses=WRITE,
    summary="The bell schedule (расписание звонков)",
)
async def set_bells(school_id: Id, body: BellsIn, ctx: CtxDep) -> BellsOut:
    policy.school(ctx.actor, school_id)
    rows = await schedule.set_bells(ctx, school_id, [b.model_dump() for b in body.bells])
    return BellsOut(
        bells=[
            BellIn.model_validate({k: r[k] for k in ("number", "starts_at", "ends_at")})
            for r in rows
        ]
    )


@router.post(
    "/schools/{school_id}/rooms",
    status_code=201,
    response_model=RoomOut,
    responses=WRITE,
    summary="A room",
)
async def add_room(school_id: Id, body: RoomIn, ctx: CtxDep) -> RoomOut:
    policy.school(ctx.actor, school_id)
    return RoomOut.model_validate(await schedule.add_room(ctx, school_id, body.name))


@router.put(
    "/classes/{class_id}/timetable",
    response_model=TimetableOut,
    responses=WRITE,
    summary="Replace the class's weekly timetable",
)
async def set_timetable(class_id: Id, body: TimetableIn, ctx: CtxDep) -> TimetableOut:
    rows = await schedule.set_timetable(ctx, class_id, [e.model_dump() for e in body.entries])
    return TimetableOut(
        class_id=class_id, entries=[TimetableEntryOut.model_validate(r) for r in rows]
    )


@router.get(
    "/classes/{class_id}/timetable",
    response_model=TimetableOut,
    responses=READ,
    summary="The class's weekly timetable",
)
async def get_timetable(class_id: Id, ctx: CtxDep) -> TimetableOut:
    school_class, rows = await schedule.timetable_of(ctx, class_id)
    return TimetableOut(
        class_id=school_class.id, entries=[TimetableEntryOut.model_validate(r) for r in rows]
    )


@router.post(
    "/classes/{class_id}/timetable/generate",
    status_code=201,
    response_model=GenerateOut,
    responses=WRITE,
    summary="Create the timetable's lessons for a date range, skipping holidays",
)
async def generate(class_id: Id, body: GenerateIn, ctx: CtxDep) -> GenerateOut:
    result = await schedule.generate_lessons(ctx, class_id, body.from_, body.to)
    return GenerateOut.model_validate(result)


@router.put(
    "/classes/{class_id}/plans/{subject_id}",
    response_model=PlanOut,
    responses=WRITE,
    summary="Import the calendar-thematic plan (КТП) of a class and subject",
)
async def import_plan(class_id: Id, subject_id: Id, body: PlanIn, ctx: CtxDep) -> PlanOut:
    result = await schedule.import_plan(
        ctx, class_id, subject_id, [i.model_dump() for i in body.items]
    )
    return PlanOut.model_validate(result)


@router.get(
    "/classes/{class_id}/plans/{subject_id}",
    response_model=PlanOut,
    responses=READ,
    summary="The plan and how far the lessons have got through it",
)
async def plan_progress(class_id: Id, subject_id: Id, ctx: CtxDep) -> PlanOut:
    return PlanOut.model_validate(await schedule.plan_progress(ctx, class_id, subject_id))
