"""What a report worker makes for each work item of a job, and where it puts it.

- a class: its summary sheet in each of the job's formats (PDF, XLSX);
- a school: its performance table (per class, grade, subject and the school, R-RPT-3),
  and its counts for the city's table;
- the finish: for a city job, the city's table (per school and the city) from the schools'.
Files are written under the job's prefix with fixed keys, so an item done twice (a worker
died after writing) overwrites its own files and nothing else. Reads commit instead of rolling
back (`unit_of_work`, not `read_only`) so the rows read stay usable while the files are made.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

import anyio

from kit.db import Database
from kit.storage import ObjectStore
from services.reports.models import ReportJob, ReportTask
from services.reports.render.labels import period_label
from services.reports.render.tables import performance_pdf, performance_xlsx
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

XLSX = printing.MEDIA_TYPES["xlsx"]
PDF = printing.MEDIA_TYPES["pdf"]


@dataclass(frozen=True)
class Made:
    files: list[dict[str, str]]
    result: str | None = None


def safe(name: str) -> str:
    """A name usable as a folder or file name inside the ZIP."""
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", name).strip() or "_"


async def make(
    db: Database, store: ObjectStore, task: ReportTask, job: ReportJob, now: dt.datetime
) -> Made:
    formats = printing.job_formats(job.format)
    if task.kind == "class":
        return await make_class(db, store, task, formats, now)
    if task.kind == "school":
        return await make_school(db, store, task, formats, now)
    return await make_finish(db, store, job, formats)


async def _school_label(db: Database, school_id: str) -> str:
    async with db.unit_of_work() as session:
        school = await reads.school(session, school_id)
    return safe(school.name if school else school_id)


async def make_class(
    db: Database, store: ObjectStore, task: ReportTask, formats: tuple[str, ...], now: dt.datetime
) -> Made:
    assert task.class_id and task.period_id and task.school_id
    async with db.unit_of_work() as session:
        klass = await reads.school_class(session, task.class_id)
        period = await reads.period(session, task.period_id)
        if klass is None or period is None:
            return Made([])
        sheet = await class_sheet(session, klass, period, now)
        head = await printing.letterhead(session, sheet)
    folder = safe(head.school_name or task.school_id)
    files = []
    for fmt in formats:
        body = await printing.render_in_thread(sheet, head, fmt)
        key = f"jobs/{task.job_id}/classes/{task.school_id}/{task.class_id}.{fmt}"
        await store.put(key, body, printing.MEDIA_TYPES[fmt])
        name = f"{folder}/{safe(klass.name or klass.class_id)} — сводная ведомость.{fmt}"
        files.append({"key": key, "name": name})
    return Made(files)


async def make_school(
    db: Database, store: ObjectStore, task: ReportTask, formats: tuple[str, ...], now: dt.datetime
) -> Made:
    assert task.school_id and task.period_id
    async with db.unit_of_work() as session:
        period = await reads.period(session, task.period_id)
        assert period is not None
        sheets = await school_sheets(session, task.school_id, period, now, with_marks=False)
        school = await reads.school(session, task.school_id)
        year = await reads.year(session, period.year_id)
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
    files = await _put_tables(
        store, f"jobs/{task.job_id}/schools/{task.school_id}", safe(name), title, subtitle,
        sections, formats,
    )  # fmt: skip
    return Made(files, json.dumps(_counts_of(whole), ensure_ascii=False))


async def make_finish(
    db: Database, store: ObjectStore, job: ReportJob, formats: tuple[str, ...]
) -> Made:
    if job.kind != "city":
        return Made([])
    async with db.unit_of_work() as session:
        schools = await jobs.tasks_of(session, job.job_id, "school")
        period = await reads.period(session, job.period_id)
    per_school = {}
    for task in schools:
        if task.result and task.school_id:
            counted = json.loads(task.result)
            per_school[task.school_id] = (counted["name"], _row_of(task.school_id, counted))
    rows = city_rows(per_school)
    subtitle = period_label(period, None) if period else ""
    files = await _put_tables(
        store, f"jobs/{job.job_id}/city", "Город", "Успеваемость и качество знаний по городу",
        subtitle, [("Школы", rows)], formats,
    )  # fmt: skip
    return Made(files)


async def _put_tables(
    store: ObjectStore,
    prefix: str,
    folder: str,
    title: str,
    subtitle: str,
    sections: list[tuple[str, list[PerformanceRow]]],
    formats: tuple[str, ...],
) -> list[dict[str, str]]:
    files = []
    for fmt in formats:
        if fmt == "xlsx":
            body = await anyio.to_thread.run_sync(performance_xlsx, title, sections)
        else:
            body = await anyio.to_thread.run_sync(performance_pdf, title, subtitle, sections)
        key = f"{prefix}/performance.{fmt}"
        await store.put(key, body, printing.MEDIA_TYPES[fmt])
        files.append({"key": key, "name": f"{folder}/Успеваемость и качество.{fmt}"})
    return files


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
