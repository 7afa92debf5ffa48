"""What a report worker makes for each work item of a job, and where it puts it.

- a class: its summary sheet in each of the job's formats (PDF, XLSX);
- a school: its performance table (per class, grade, subject and the school, R-RPT-3),
  and its counts for the city's table;
- the finish: for a city job, the city's table (per school and the city) from the schools'.
An item is made in two steps: `document` reads what it needs from the read model (a use
case, in the worker's unit of work), then `store_files` renders it in each format and writes
the files, with no transaction open while the store answers. Files are written under the
job's prefix with fixed keys, so an item done twice (a worker died after writing) overwrites
its own files and nothing else.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import anyio

from kit.storage import ObjectStore
from kit.usecase import UseCase
from services.reports.adapters.render.labels import period_label
from services.reports.adapters.render.tables import performance_pdf, performance_xlsx
from services.reports.models import ReportJob, ReportTask
from services.reports.repository import jobs, reads
from services.reports.rules.summary_sheet import StudentTotals, SubjectCounts
from services.reports.service import printing
from services.reports.service.performance import (
    PerformanceRow,
    city_rows,
    group_rows,
    merge,
)
from services.reports.service.sheets import class_sheet, school_sheets

Sections = list[tuple[str, list[PerformanceRow]]]


@dataclass(frozen=True)
class Made:
    files: list[dict[str, str]]
    result: str | None = None


@dataclass(frozen=True)
class Document:
    """One file of an item, to be written in each of the job's formats."""

    key: str
    """its object key, without the format's extension"""
    name: str
    """its name in the job's ZIP, without the format's extension"""
    render: Callable[[str], bytes]
    """the document in one format (CPU work: called in a thread)"""
    result: str | None = None
    """what the item tells the job's finish (a school's counts for the city's table)"""


def safe(name: str) -> str:
    """A name usable as a folder or file name inside the ZIP."""
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", name).strip() or "_"


async def document(uc: UseCase, task: ReportTask, job: ReportJob) -> Document | None:
    """What the item makes, read from the read model; None when there is nothing to make."""
    if task.kind == "class":
        return await class_document(uc, task)
    if task.kind == "school":
        return await school_document(uc, task)
    return await city_document(uc, job)


async def store_files(store: ObjectStore, found: Document | None, job_format: str) -> Made:
    """The document rendered in each of the job's formats and written to the store."""
    if found is None:
        return Made([])
    files = []
    for fmt in printing.job_formats(job_format):
        body = await anyio.to_thread.run_sync(found.render, fmt)
        key = f"{found.key}.{fmt}"
        await store.put(key, body, printing.MEDIA_TYPES[fmt])
        files.append({"key": key, "name": f"{found.name}.{fmt}"})
    return Made(files, found.result)


async def class_document(uc: UseCase, task: ReportTask) -> Document | None:
    assert task.class_id and task.period_id and task.school_id
    school_class = await reads.school_class(uc.session, task.class_id)
    period = await reads.period(uc.session, task.period_id)
    if school_class is None or period is None:
        return None
    sheet = await class_sheet(uc, school_class, period)
    head = await printing.letterhead(uc, sheet)
    folder = safe(head.school_name or task.school_id)
    return Document(
        key=f"jobs/{task.job_id}/classes/{task.school_id}/{task.class_id}",
        name=f"{folder}/{safe(school_class.name or school_class.class_id)} — сводная ведомость",
        render=partial(printing.render, sheet, head),
    )


async def school_document(uc: UseCase, task: ReportTask) -> Document:
    assert task.school_id and task.period_id
    period = await reads.period(uc.session, task.period_id)
    assert period is not None
    sheets = await school_sheets(uc, task.school_id, period, with_marks=False)
    school = await reads.school(uc.session, task.school_id)
    year = await reads.year(uc.session, period.year_id)
    name = school.name if school else task.school_id
    classes = group_rows(sheets, "class")
    whole = merge(classes, task.school_id, name)
    sections = [
        ("Классы", classes),
        ("Параллели", group_rows(sheets, "grade")),
        ("Предметы", group_rows(sheets, "subject")),
        ("Школа", [whole]),
    ]
    title = f"Успеваемость и качество знаний: {name}"
    subtitle = period_label(period, year.name if year else None)
    return Document(
        key=f"jobs/{task.job_id}/schools/{task.school_id}/performance",
        name=f"{safe(name)}/Успеваемость и качество",
        render=partial(performance_file, title, subtitle, sections),
        result=json.dumps(_counts_of(whole), ensure_ascii=False),
    )


async def city_document(uc: UseCase, job: ReportJob) -> Document | None:
    if job.kind != "city":
        return None
    schools = await jobs.tasks_of(uc.session, job.job_id, "school")
    period = await reads.period(uc.session, job.period_id)
    per_school = {}
    for task in schools:
        if task.result and task.school_id:
            counted = json.loads(task.result)
            per_school[task.school_id] = (counted["name"], _row_of(task.school_id, counted))
    subtitle = period_label(period, None) if period else ""
    title = "Успеваемость и качество знаний по городу"
    return Document(
        key=f"jobs/{job.job_id}/city/performance",
        name="Город/Успеваемость и качество",
        render=partial(performance_file, title, subtitle, [("Школы", city_rows(per_school))]),
    )


def performance_file(title: str, subtitle: str, sections: Sections, fmt: str) -> bytes:
    if fmt == "xlsx":
        return performance_xlsx(title, sections)
    return performance_pdf(title, subtitle, sections)


def _counts_of(row: PerformanceRow) -> dict[str, object]:
    s = row.students
    return {
        "name": row.name,
        "counts": row.counts.counts,
        "without_mark": row.counts.without_mark,
        "students": [s.with_marks, s.passing, s.good],
        "enrolled": row.enrolled,
    }


def _row_of(key: str, counted: dict[str, object]) -> PerformanceRow:
    students = counted["students"]
    assert isinstance(students, list)
    return PerformanceRow(
        key,
        str(counted["name"]),
        SubjectCounts(dict(counted["counts"]), int(counted["without_mark"])),  # type: ignore[call-overload]
        StudentTotals(*students),
        int(counted["enrolled"]),  # type: ignore[call-overload]
    )
