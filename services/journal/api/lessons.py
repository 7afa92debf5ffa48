"""Lessons, marks and attendance: what a teacher types every lesson."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Body
from fastapi.responses import Response

from kit.errors import problem_responses
from kit.idempotency import IdempotencyKey, idempotent
from kit.params import Id
from services.journal.api.deps import CtxDep
from services.journal.models import idempotency
from services.journal.schemas.records import (
    AttendanceIn,
    AttendanceList,
    AttendanceOut,
    AttendanceReasonIn,
    LessonCancelled,
    LessonIn,
    LessonMoveIn,
    LessonOut,
    LessonPatch,
    MarkHistory,
    MarkOut,
    MarkPatch,
    MarksIn,
    MarksOut,
    ReasonIn,
    SubstitutionIn,
)
from services.journal.service import attendance, lessons, marks, views
from services.journal.service.context import Ctx

router = APIRouter(prefix="/journal/v1", tags=["lessons"])
WRITE = problem_responses(401, 403, 404, 409, 422)
READ = problem_responses(401, 403, 404, 422)


async def _once(
    ctx: Ctx, key: str | None, request: Any, run: Callable[[], Awaitable[Any]]
) -> Response:
    """Idempotency-Key: a retried POST answers the first answer; a concurrent twin is 409."""
    return await idempotent(ctx.session, idempotency, key, ctx.actor.account_id, request, run)


@router.post(
    "/lessons",
    status_code=201,
    response_model=LessonOut,
    responses=WRITE,
    summary="Create a lesson (admin, scheduler, or the class's teacher of the subject)",
)
async def create_lesson(
    body: LessonIn, ctx: CtxDep, idempotency_key: IdempotencyKey = None
) -> Response:
    async def run() -> dict[str, Any]:
        lesson = await lessons.create_lesson(ctx, **body.model_dump())
        return LessonOut.model_validate(lesson).model_dump(mode="json")

    return await _once(ctx, idempotency_key, body, run)


@router.get("/lessons/{lesson_id}", response_model=LessonOut, responses=READ, summary="A lesson")
async def get_lesson(lesson_id: Id, ctx: CtxDep) -> LessonOut:
    return LessonOut.model_validate(await views.lesson(ctx, lesson_id))


@router.patch(
    "/lessons/{lesson_id}",
    response_model=LessonOut,
    responses=WRITE,
    summary="Topic and homework (R-LES-1, R-LES-3; late homework is flagged, R-HW-1)",
)
async def update_lesson(lesson_id: Id, body: LessonPatch, ctx: CtxDep) -> LessonOut:
    fields = body.model_dump(exclude_unset=True)
    return LessonOut.model_validate(await lessons.update_lesson(ctx, lesson_id, fields))


@router.post(
    "/lessons/{lesson_id}/substitution",
    response_model=LessonOut,
    responses=WRITE,
    summary="Record who replaces the lesson's teacher (R-REC-7)",
)
async def substitute(lesson_id: Id, body: SubstitutionIn, ctx: CtxDep) -> LessonOut:
    return LessonOut.model_validate(await lessons.substitute(ctx, lesson_id, body.substitute_id))


@router.post(
    "/lessons/{lesson_id}/move",
    response_model=LessonOut,
    responses=WRITE,
    summary="A one-off timetable change: move a lesson still ahead, with nothing written on it, "
    "to another day, slot or room (the scheduler)",
)
async def move_lesson(lesson_id: Id, body: LessonMoveIn, ctx: CtxDep) -> LessonOut:
    moved = await lessons.move_lesson(ctx, lesson_id, body.date, body.number, body.room_id)
    return LessonOut.model_validate(moved)


@router.post(
    "/lessons/{lesson_id}/cancel",
    response_model=LessonCancelled,
    responses=WRITE,
    summary="A one-off timetable change: a lesson still ahead, with nothing written on it, "
    "will not take place (the scheduler); its history stays",
)
async def cancel_lesson(lesson_id: Id, body: ReasonIn, ctx: CtxDep) -> LessonCancelled:
    lesson = await lessons.cancel_lesson(ctx, lesson_id, body.reason)
    return LessonCancelled(id=lesson.id, date=lesson.date, number=lesson.number, reason=body.reason)


@router.post(
    "/lessons/{lesson_id}/marks",
    status_code=201,
    response_model=MarksOut,
    responses=WRITE,
    summary="Record a lesson's marks in one request (R-MRK-1…3)",
)
async def record_marks(
    lesson_id: Id, body: MarksIn, ctx: CtxDep, idempotency_key: IdempotencyKey = None
) -> Response:
    entries = [marks.MarkEntry(**m.model_dump()) for m in body.marks]

    async def run() -> MarksOut:  # encoded once, by the idempotency edge
        return MarksOut.model_validate({"marks": await marks.record_marks(ctx, lesson_id, entries)})

    request = {"lesson_id": lesson_id, **body.model_dump(mode="json")}
    return await _once(ctx, idempotency_key, request, run)


@router.patch(
    "/marks/{mark_id}",
    response_model=MarkOut,
    responses=WRITE,
    summary="Correct a mark inside its window, with a reason (R-MRK-5)",
)
async def correct_mark(mark_id: Id, body: MarkPatch, ctx: CtxDep) -> MarkOut:
    return MarkOut.model_validate(await marks.correct_mark(ctx, mark_id, body.value, body.reason))


@router.delete(
    "/marks/{mark_id}",
    response_model=MarkOut,
    responses=WRITE,
    summary="Cancel a mark entered in error, with a reason",
)
async def cancel_mark(mark_id: Id, ctx: CtxDep, body: Annotated[ReasonIn, Body()]) -> MarkOut:
    return MarkOut.model_validate(await marks.cancel_mark(ctx, mark_id, body.reason))


@router.get(
    "/marks/{mark_id}/history",
    response_model=MarkHistory,
    responses=READ,
    summary="A mark and every change to it",
)
async def mark_history(mark_id: Id, ctx: CtxDep) -> MarkHistory:
    return MarkHistory.model_validate(await views.mark_history(ctx, mark_id))


@router.put(
    "/lessons/{lesson_id}/attendance",
    response_model=AttendanceList,
    responses=WRITE,
    summary="Mark attendance (R-LES-4); the students listed are set, others untouched",
)
async def set_attendance(lesson_id: Id, body: AttendanceIn, ctx: CtxDep) -> AttendanceList:
    rows = await attendance.set_attendance(
        ctx, lesson_id, [(e.student_id, e.status) for e in body.entries]
    )
    return AttendanceList(entries=[AttendanceOut.model_validate(r) for r in rows])


@router.patch(
    "/attendance/{attendance_id}",
    response_model=AttendanceOut,
    responses=WRITE,
    summary="The class teacher sets the reason of an absence (R-LES-5)",
)
async def set_reason(attendance_id: Id, body: AttendanceReasonIn, ctx: CtxDep) -> AttendanceOut:
    return AttendanceOut.model_validate(
        await attendance.set_reason(ctx, attendance_id, body.reason)
    )
