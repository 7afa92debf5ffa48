"""Period marks: set by the subject teacher (R-MRK-7), corrected by the deputy (R-MRK-6)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from kit.errors import problem_responses
from kit.params import Id
from services.journal.api.deps import CtxDep
from services.journal.schemas.records import (
    PeriodMarkCorrectedOut,
    PeriodMarkCorrectionIn,
    PeriodMarkHistory,
    PeriodMarkOut,
    PeriodMarksIn,
    PeriodMarksOut,
    Suggestion,
    SuggestionList,
)
from services.journal.service import period_marks, views

router = APIRouter(prefix="/journal/v1", tags=["period marks"])
WRITE = problem_responses(401, 403, 404, 409, 422)
READ = problem_responses(401, 403, 404, 422)


@router.put(
    "/period-marks",
    response_model=PeriodMarksOut,
    responses=WRITE,
    summary="Set period marks in the period's last week up to 2 days after (R-MRK-7)",
)
async def set_period_marks(body: PeriodMarksIn, ctx: CtxDep) -> PeriodMarksOut:
    rows = await period_marks.set_period_marks(
        ctx,
        body.period_id,
        body.class_id,
        body.subject_id,
        [(m.student_id, m.value) for m in body.marks],
    )
    return PeriodMarksOut(marks=[PeriodMarkOut.model_validate(r) for r in rows])


@router.post(
    "/period-marks/{period_mark_id}/corrections",
    response_model=PeriodMarkCorrectedOut,
    status_code=201,
    responses=WRITE,
    summary="The deputy corrects a period mark on an explanatory note (R-MRK-6)",
)
async def correct_period_mark(
    period_mark_id: Id, body: PeriodMarkCorrectionIn, ctx: CtxDep
) -> PeriodMarkCorrectedOut:
    row = await period_marks.correct_period_mark(
        ctx, period_mark_id, body.value, body.note.model_dump(mode="json")
    )
    return PeriodMarkCorrectedOut.model_validate(row)


@router.get(
    "/period-marks/{period_mark_id}/history",
    response_model=PeriodMarkHistory,
    responses=READ,
    summary="A period mark's changes with their explanatory notes",
)
async def period_mark_history(period_mark_id: Id, ctx: CtxDep) -> PeriodMarkHistory:
    return PeriodMarkHistory.model_validate(await views.period_mark_history(ctx, period_mark_id))


@router.get(
    "/period-marks/suggestions",
    response_model=SuggestionList,
    responses=READ,
    summary="Suggested period marks from the weighted average (never set automatically)",
)
async def suggestions(
    ctx: CtxDep,
    period_id: Annotated[str, Query(max_length=36)],
    class_id: Annotated[str, Query(max_length=36)],
    subject_id: Annotated[str, Query(max_length=36)],
) -> SuggestionList:
    rows = await period_marks.suggestions(ctx, period_id, class_id, subject_id)
    return SuggestionList(suggestions=[Suggestion.model_validate(r) for r in rows])
