"""Period marks (R-MRK-1, R-MRK-6, R-MRK-7): set by the subject teacher in the period's last
week up to 2 days after it; afterwards corrected only by the deputy, on an explanatory note."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from contracts.journal import PeriodMarkCorrected, PeriodMarkSet
from kit.db import new_id
from kit.errors import Invalid
from services.journal import policy
from services.journal.models import Period, PeriodMark, SchoolClass, SchoolYear, Subject
from services.journal.repository import enrolments, groups, school_rows
from services.journal.repository import marks as marks_repo
from services.journal.repository import period_marks as period_marks_repo
from services.journal.rules import period_mark_suggestion, period_mark_window, school_year
from services.journal.service import history
from services.journal.service.context import Ctx
from services.journal.service.loading import load
from services.journal.service.school_settings import school_today
from services.journal.service.teaching import teaching


def period_mark_event(
    model: type[PeriodMarkSet] | type[PeriodMarkCorrected], row: dict[str, Any], old: str | None
) -> PeriodMarkSet | PeriodMarkCorrected:
    return model(
        period_mark_id=row["id"],
        student_id=row["student_id"],
        class_id=row["class_id"],
        subject_id=row["subject_id"],
        period_id=row["period_id"],
        value=row["value"],
        old_value=old,
    )


def as_dict(row: PeriodMark) -> dict[str, Any]:
    return {
        k: getattr(row, k)
        for k in ("id", "school_id", "period_id", "class_id", "subject_id", "student_id", "value")
    }


async def _context(
    ctx: Ctx, period_id: str, class_id: str, subject_id: str
) -> tuple[Period, SchoolClass, SchoolYear]:
    school_class = await load(ctx, SchoolClass, class_id, "class")
    within = school_class.school_id
    period = await load(ctx, Period, period_id, "period", within=within)
    await load(ctx, Subject, subject_id, "subject", within=within)
    if school_class.year_id != period.year_id:
        raise Invalid("the period is not of the class's year", code="period_mismatch")
    year = await load(ctx, SchoolYear, school_class.year_id, "year")
    return period, school_class, year


async def _check_in_groups(ctx: Ctx, group_ids: set[str], students: set[str]) -> None:
    """R-REC-6: a subgroup's teacher marks only their groups' students (as for lesson marks)."""
    outside = sorted(students - await groups.members_of_groups(ctx.session, group_ids))
    if outside:
        raise Invalid(
            f"not in your group of this subject: {', '.join(outside)}",
            code="student_not_in_group",
            student_ids=outside,
        )


async def set_period_marks(
    ctx: Ctx, period_id: str, class_id: str, subject_id: str, marks: list[tuple[str, str]]
) -> list[dict[str, Any]]:
    """R-MRK-7: set or reset, by the subject teacher, inside the window."""
    period, school_class, year = await _context(ctx, period_id, class_id, subject_id)
    school_year.check_open(year)
    taught_groups = policy.may_set_period_marks(
        ctx.actor, await teaching(ctx, school_class), subject_id
    )
    today = await school_today(ctx, school_class.school_id)
    period_mark_window.check_open(period.ends_on, today)
    wanted = dict(marks)
    if taught_groups is not None:
        await _check_in_groups(ctx, taught_groups, set(wanted))
    enrolled = {
        e.student_id
        for e in await enrolments.enrolled_between(
            ctx.session, school_class.id, period.starts_on, period.ends_on
        )
    }
    missing = sorted(set(wanted) - enrolled)
    if missing:
        raise Invalid(
            f"not in the class during the period: {', '.join(missing)}",
            code="student_not_in_class",
            student_ids=missing,
        )
    existing = {
        pm.student_id: pm
        for pm in await period_marks_repo.period_marks(
            ctx.session, [period.id], school_class.id, [subject_id], None
        )
        if pm.student_id in wanted
    }
    new_rows, changed, events, changes = [], [], [], []
    for student_id, value in wanted.items():
        row = existing.get(student_id)
        if row is None:
            values = {
                "id": new_id(),
                "school_id": school_class.school_id,
                "period_id": period.id,
                "class_id": school_class.id,
                "subject_id": subject_id,
                "student_id": student_id,
                "value": value,
            }
            new_rows.append(values)
            events.append(period_mark_event(PeriodMarkSet, values, None))
            changes.append(
                history.Change("period_mark", values["id"], "set", None, {"value": value})
            )
        elif row.value != value:
            old, row.value = row.value, value
            changed.append(row)
            events.append(period_mark_event(PeriodMarkSet, as_dict(row), old))
            changes.append(
                history.Change("period_mark", row.id, "set", {"value": old}, {"value": value})
            )
    await school_rows.insert_rows(ctx.session, PeriodMark, new_rows)
    await school_rows.save(ctx.session, *changed)
    await ctx.publish(school_class.school_id, events)
    await history.record(ctx, school_class.school_id, changes)
    result = {s: as_dict(r) for s, r in existing.items()}
    result.update({r["student_id"]: r for r in new_rows})
    return [result[s] for s in wanted]


async def correct_period_mark(
    ctx: Ctx, period_mark_id: str, value: str, note: dict[str, Any]
) -> dict[str, Any]:
    """R-MRK-6: the deputy corrects, at any time, on the teacher's explanatory note."""
    row = await load(ctx, PeriodMark, period_mark_id, "period_mark")
    policy.may_correct_period_mark(ctx.actor)
    if row.value == value:
        raise Invalid("the period mark already has this value", code="unchanged")
    old = row.value
    row.value = value
    await school_rows.save(ctx.session, row)
    data = as_dict(row)
    await ctx.publish(row.school_id, [period_mark_event(PeriodMarkCorrected, data, old)])
    await history.record(
        ctx,
        row.school_id,
        [
            history.Change(
                "period_mark",
                row.id,
                "corrected",
                {"value": old},
                {"value": value},
                reason=str(note.get("reasons") or ""),
                note=note,
            )
        ],
    )
    return data


async def suggestions(
    ctx: Ctx, period_id: str, class_id: str, subject_id: str
) -> list[dict[str, Any]]:
    """R-MRK-7: per student, the weighted average of the period's marks (shown to two places)
    and the period mark it suggests (`rules.period_mark_suggestion`: the exact weighted mean
    rounded half up, never the two-place figure rounded again)."""
    period, school_class, _ = await _context(ctx, period_id, class_id, subject_id)
    taught = await teaching(ctx, school_class)
    readable = policy.readable_subjects(ctx.actor, taught)
    shown: set[str] | None = None
    if readable is not None:
        taught_groups = policy.may_set_period_marks(ctx.actor, taught, subject_id)
        if taught_groups is not None:
            shown = await groups.members_of_groups(ctx.session, taught_groups)
    marks = await marks_repo.marks_for_average(
        ctx.session, school_class.id, subject_id, period.starts_on, period.ends_on
    )
    per_student: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for mark in marks:
        per_student[mark.student_id].append((mark.value, mark.weight))
    enrolled = await enrolments.enrolled_between(
        ctx.session, school_class.id, period.starts_on, period.ends_on
    )
    out = []
    for student_id in dict.fromkeys(e.student_id for e in enrolled):
        if shown is not None and student_id not in shown:
            continue
        found = period_mark_suggestion.suggest(per_student.get(student_id, []))
        out.append(
            {
                "student_id": student_id,
                "count": found.count,
                "weighted_average": found.weighted_average,
                "suggested": found.suggested,
            }
        )
    return out
