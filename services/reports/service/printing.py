"""Printed forms of a summary sheet (PDF, XLSX), with the names a printed sheet carries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import anyio

from kit.clock import known_zone, school_today
from kit.errors import Invalid
from kit.usecase import UseCase
from services.reports.adapters.render.pdf import sheet_pdf
from services.reports.adapters.render.xlsx import sheet_xlsx
from services.reports.repository import reads
from services.reports.service.sheets import SummarySheet

MEDIA_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
SHEET_FORMATS = ("json", "pdf", "xlsx")
JOB_FORMATS = {"pdf": ("pdf",), "xlsx": ("xlsx",), "pdf+xlsx": ("pdf", "xlsx")}


def sheet_format(value: str) -> str:
    if value not in SHEET_FORMATS:
        raise Invalid(
            f"format {value!r} is not offered: use one of {', '.join(SHEET_FORMATS)}",
            code="format_not_offered",
        )
    return value


def job_formats(value: str) -> tuple[str, ...]:
    if value not in JOB_FORMATS:
        raise Invalid(
            f"format {value!r} is not offered: use one of {', '.join(JOB_FORMATS)}",
            code="format_not_offered",
        )
    return JOB_FORMATS[value]


@dataclass(frozen=True)
class Letterhead:
    """What a printed sheet names besides the sheet itself."""

    school_name: str | None
    year_name: str | None
    class_teacher: str | None
    made_on: dt.date
    """The day the sheet was made, at the school (its own time zone)."""


async def letterhead(uc: UseCase, sheet: SummarySheet) -> Letterhead:
    school = await reads.school(uc.session, sheet.school_id)
    year = await reads.year(uc.session, sheet.period.year_id)
    teacher = None
    if sheet.class_teacher_id:
        teacher = (await reads.names(uc.session, [sheet.class_teacher_id])).get(
            sheet.class_teacher_id
        )
    # a school identity has not announced yet has no zone here: 409 school_not_known, as
    # every report that needs the school's date (no zone is guessed)
    zone = known_zone(
        school.timezone if school else None, school_id=sheet.school_id, service="reports"
    )
    made_on = school_today(sheet.generated_at, zone)
    return Letterhead(
        school.name if school else None, year.name if year else None, teacher, made_on
    )


def render(sheet: SummarySheet, head: Letterhead, fmt: str) -> bytes:
    if fmt == "pdf":
        return sheet_pdf(
            sheet,
            school_name=head.school_name,
            year_name=head.year_name,
            class_teacher=head.class_teacher,
            made_on=head.made_on,
        )
    return sheet_xlsx(
        sheet, school_name=head.school_name, year_name=head.year_name, made_on=head.made_on
    )


async def render_in_thread(sheet: SummarySheet, head: Letterhead, fmt: str) -> bytes:
    """Rendering is CPU work: keep the event loop (and the broker's heartbeats) free."""
    return await anyio.to_thread.run_sync(render, sheet, head, fmt)
