"""Reading: the class journal grid, the diary, the export for rebuilds, the history audit."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic_core import to_json

from contracts.journal import ExportKind, ExportPage
from kit.errors import problem_responses
from kit.logging import get_logger
from kit.params import Id, LimitUpTo, PlatformDate
from services.journal import policy
from services.journal.api.deps import CtxDep, OperatorMayCtxDep
from services.journal.schemas.views import (
    ChainCheck,
    ClassJournal,
    Diary,
    InvalidatedChange,
    InvalidatedList,
    TeacherDay,
)
from services.journal.service import compromise, export, history, teacher_day, views

router = APIRouter(prefix="/journal/v1", tags=["journal and diary"])
READ = problem_responses(401, 403, 404, 409, 422)  # 409 school_not_known
MAX_EXPORT = 5000
log = get_logger("journal.export")


def _as_json(body: dict[str, Any]) -> Response:
    """A body the service built from typed columns, with the response model's keys in its
    order, written as FastAPI would write the model (compact JSON, UTF-8) without validating
    every cell of a quarter once more. The declared `response_model` stays the documented
    shape, and tests read these answers through it."""
    return Response(to_json(body), media_type="application/json")


@router.get(
    "/classes/{class_id}/journal",
    response_model=ClassJournal,
    responses=READ,
    summary="The class journal: lessons as columns, students as rows (R-REC-3, R-REC-4)",
)
async def class_journal(
    class_id: Id,
    ctx: CtxDep,
    subject_id: Annotated[str | None, Query(max_length=36)] = None,
    period_id: Annotated[str | None, Query(max_length=36)] = None,
) -> Any:
    return _as_json(await views.class_journal(ctx, class_id, subject_id, period_id))


@router.get(
    "/students/{student_id}/diary",
    response_model=Diary,
    responses=READ,
    summary="A student's diary (R-REC-1): days, lessons, topics, homework, marks",
)
async def diary(
    student_id: Id,
    ctx: CtxDep,
    from_: Annotated[PlatformDate | None, Query(alias="from")] = None,
    to: Annotated[PlatformDate | None, Query()] = None,
) -> Any:
    return _as_json(await views.diary(ctx, student_id, from_, to))


DAY = (
    "The lessons the teacher gives on the date (default: the school's today), across all "
    "classes: their own, unless handed to a substitute, and those they substitute (R-REC-7); "
    "ordered by lesson number, then class. Each names what its record still lacks, in this "
    "order: `topic` (none or blank, R-LES-1), `homework` (none or blank, R-LES-3), "
    "`attendance` (no student expected at the lesson has an attendance entry: not taken, "
    "R-LES-4), `marks` (no expected student has an active mark, R-MRK-2). Expected students: "
    "those enrolled in the class on the date and, for a subgroup's lesson, in the group; "
    "`without_attendance` and `without_marks` count those of them with no entry and with no "
    "active mark. A class with no students lacks neither attendance nor marks."
)


@router.get(
    "/teachers/me/day",
    response_model=TeacherDay,
    responses=READ,
    summary="My day: a teacher's lessons of a date and what each still lacks "
    "(R-LES-1, R-LES-3, R-LES-4, R-MRK-2)",
    description=DAY + " For the asking teacher (the token's person); other roles 403.",
)
async def my_day(ctx: CtxDep, date: Annotated[PlatformDate | None, Query()] = None) -> Any:
    return await teacher_day.teacher_day(ctx, None, date)


@router.get(
    "/teachers/{teacher_id}/day",
    response_model=TeacherDay,
    responses=READ,
    summary="A teacher's day: their lessons of a date and what each still lacks "
    "(R-LES-1, R-LES-3, R-LES-4, R-MRK-2)",
    description=DAY + " For the teacher themselves and the school's leaders (school admin, "
    "director, deputy: R-REC-4, R-RPT-2); others 403 `not_your_day`; a teacher of another "
    "school 404 `teacher_not_found`.",
)
async def a_teacher_day(
    teacher_id: Id, ctx: CtxDep, date: Annotated[PlatformDate | None, Query()] = None
) -> Any:
    return await teacher_day.teacher_day(ctx, teacher_id, date)


@router.get(
    "/schools/{school_id}/export",
    response_model=ExportPage,
    responses=READ,
    summary="Current state as events, paged, for a read model's rebuild",
)
async def export_page(
    school_id: Id,
    ctx: OperatorMayCtxDep,
    kind: ExportKind,
    cursor: Annotated[str | None, Query(max_length=36)] = None,
    limit: LimitUpTo(MAX_EXPORT) = 1000,
) -> ExportPage:
    policy.school(ctx.actor, school_id)
    policy.may_export(ctx.actor)
    if ctx.actor.is_operator:
        log.info(
            "operator_read_export",
            school_id=school_id,
            kind=kind,
            cursor=cursor,
            account_id=ctx.actor.account_id,
        )
    return await export.export(ctx, school_id, kind, cursor, limit)


@router.get(
    "/schools/{school_id}/history/verify",
    response_model=ChainCheck,
    responses=READ,
    summary="Verify the school's history chain; names the first broken link",
)
async def verify_history(school_id: Id, ctx: OperatorMayCtxDep) -> ChainCheck:
    policy.school(ctx.actor, school_id)
    policy.may_audit(ctx.actor)
    report = await history.verify(ctx, school_id)
    return ChainCheck(
        school_id=school_id,
        ok=report.ok,
        checked=report.checked,
        head_seq=report.head_seq,
        broken_seq=report.broken_seq,
        broken_id=report.broken_id,
        problem=report.problem,
    )


@router.get(
    "/schools/{school_id}/invalidated-changes",
    response_model=InvalidatedList,
    responses=READ,
    summary="Changes invalidated after a credential compromise (R-SEC-4)",
)
async def invalidated_changes(
    school_id: Id, ctx: CtxDep, limit: LimitUpTo(1000) = 200
) -> InvalidatedList:
    policy.school(ctx.actor, school_id)
    policy.may_read_invalidated(ctx.actor)
    rows = await compromise.invalidated_changes(ctx, school_id, limit)
    return InvalidatedList(changes=[InvalidatedChange.model_validate(r) for r in rows])
