"""The summary sheet over HTTP: JSON exactly as the contract shapes it, or PDF / XLSX."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from kit.app import UseCaseDep
from kit.errors import problem_responses
from kit.params import Id
from services.reports.api.deps import LimitsDep
from services.reports.rules.summary_sheet import SubjectCounts
from services.reports.schemas.sheets import (
    CellOut,
    Counts,
    PeriodOut,
    StudentOut,
    SubjectOut,
    SummarySheetOut,
    TotalsOut,
)
from services.reports.service import limits, printing, sheets
from services.reports.service.sheets import SummarySheet

router = APIRouter(prefix="/reports/v1", tags=["summary sheets"])

FILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "the sheet (JSON, PDF or XLSX by `format`)",
        "content": {
            printing.MEDIA_TYPES["pdf"]: {"schema": {"type": "string", "format": "binary"}},
            printing.MEDIA_TYPES["xlsx"]: {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


@router.get(
    "/classes/{class_id}/summary-sheet",
    response_model=SummarySheetOut,
    summary="Сводная ведомость of a class for a period (R-RPT-1), in real time; PDF and "
    "XLSX are limited per account and per school (429 `too_many_renders`)",
    responses={**FILE_RESPONSES, **problem_responses(401, 403, 404, 409, 422, 429)},
)
async def summary_sheet(
    class_id: Id,
    uc: UseCaseDep,
    allowed: LimitsDep,
    period_id: Annotated[str, Query(max_length=36)],
    format: Annotated[str, Query(max_length=10, description="json, pdf or xlsx")] = "json",
) -> SummarySheetOut | Response:
    fmt = printing.sheet_format(format)
    if fmt != "json":
        await limits.rendering(uc, allowed)
    sheet = await sheets.readable_class_sheet(uc, class_id, period_id)
    if fmt == "json":
        return sheet_out(sheet)
    head = await printing.letterhead(uc, sheet)
    body = await printing.render_in_thread(sheet, head, fmt)
    filename = f"summary-sheet-{sheet.class_id}-{sheet.period_id}.{fmt}"
    return Response(
        body,
        media_type=printing.MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def sheet_out(sheet: SummarySheet) -> SummarySheetOut:
    tally = sheet.totals.tally
    return SummarySheetOut(
        class_id=sheet.class_id,
        period_id=sheet.period_id,
        generated_at=sheet.generated_at,
        class_name=sheet.class_name,
        school_id=sheet.school_id,
        period=PeriodOut.model_validate(sheet.period),
        subjects=[
            SubjectOut(
                id=c.id,
                name=c.name,
                performance_pct=c.performance_pct,
                quality_pct=c.quality_pct,
                sou_pct=c.sou_pct,
                average=c.average,
                counts=counts_out(c.counts),
            )
            for c in sheet.subjects
        ],
        students=[
            StudentOut(
                id=s.id,
                name=s.name,
                enrolled_at_end=s.enrolled_at_end,
                cells={
                    sid: CellOut(
                        average=cell.average,
                        weighted_average=cell.weighted_average,
                        count=cell.count,
                        period_mark=cell.period_mark,
                    )
                    for sid, cell in s.cells.items()
                },
            )
            for s in sheet.students
        ],
        totals=TotalsOut(
            performance_pct=sheet.totals.performance_pct,
            quality_pct=sheet.totals.quality_pct,
            students=sheet.totals.students,
            students_with_period_marks=tally.with_marks,
            students_performing=tally.passing,
            students_good=tally.good,
        ),
    )


def counts_out(counts: SubjectCounts) -> Counts:
    c = counts.counts
    return Counts(
        n=counts.n,
        n5=c["5"],
        n4=c["4"],
        n3=c["3"],
        n2=c["2"],
        n1=c["1"],
        na=c["na"],
        osv=c["osv"],
        without_mark=counts.without_mark,
    )
