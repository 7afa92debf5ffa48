"""Marks and period marks reach the student's parents (R-REC-1, R-REC-2).

R-REC-1: what a teacher enters appears for the family automatically, nobody copies it. A
new mark, a corrected or cancelled one (R-MRK-5) and a period mark, set or corrected by the
deputy (R-MRK-6), each become a notice to every parent of the student: in their feed, and
by e-mail when they subscribed.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.journal import (
    MarkCancelled,
    MarkCorrected,
    MarkRecorded,
    PeriodMarkCorrected,
    PeriodMarkSet,
)
from kit.events import Envelope
from kit.usecase import UseCase
from services.notify.models import Delivery, MarkCopy
from services.notify.repository import people
from services.notify.service import copies, notices
from services.notify.service.notices import MarkFacts, Notice
from services.notify.service.telling import Source, tell


async def mark_recorded(uc: UseCase, event: MarkRecorded, envelope: Envelope) -> list[Delivery]:
    session = uc.session
    school_id = envelope.schoolid or ""
    await copies.remember_mark(uc, event, school_id)
    facts = await _facts(
        session, school_id, event.student_id, event.subject_id, event.date, event.work_type
    )
    notice = notices.mark_recorded(event.value, facts, event.comment)
    return await _tell_guardians(uc, school_id, event.student_id, notice, envelope)


async def mark_corrected(uc: UseCase, event: MarkCorrected, envelope: Envelope) -> list[Delivery]:
    session = uc.session
    school_id = envelope.schoolid or ""
    mark = await people.mark(session, school_id, event.mark_id)
    if mark is None:
        return []  # a mark recorded before notify knew of it: nobody to tell
    await people.set_mark_value(session, school_id, event.mark_id, event.new_value)
    facts = await _mark_facts(session, mark)
    notice = notices.mark_corrected(event.old_value, event.new_value, event.reason, facts)
    return await _tell_guardians(uc, school_id, mark.student_id, notice, envelope)


async def mark_cancelled(uc: UseCase, event: MarkCancelled, envelope: Envelope) -> list[Delivery]:
    session = uc.session
    school_id = envelope.schoolid or ""
    mark = await people.mark(session, school_id, event.mark_id)
    if mark is None:
        return []
    facts = await _mark_facts(session, mark)
    notice = notices.mark_cancelled(mark.value, event.reason, facts)
    return await _tell_guardians(uc, school_id, mark.student_id, notice, envelope)


async def period_mark(
    uc: UseCase, event: PeriodMarkSet | PeriodMarkCorrected, envelope: Envelope
) -> list[Delivery]:
    session = uc.session
    school_id = envelope.schoolid or ""
    facts = await _facts(session, school_id, event.student_id, event.subject_id, None)
    period = await people.period(session, school_id, event.period_id)
    notice = notices.period_mark(
        event.value,
        event.old_value,
        notices.period_name(period.kind, period.number) if period else None,
        facts,
        corrected=isinstance(event, PeriodMarkCorrected),
    )
    return await _tell_guardians(uc, school_id, event.student_id, notice, envelope)


async def _tell_guardians(
    uc: UseCase, school_id: str, student_id: str, notice: Notice, envelope: Envelope
) -> list[Delivery]:
    parents = await people.guardians_of(uc.session, school_id, student_id)
    return await tell(uc, school_id, parents, notice, Source(envelope.id, envelope.type))


async def _mark_facts(session: AsyncSession, mark: MarkCopy) -> MarkFacts:
    return await _facts(
        session, mark.school_id, mark.student_id, mark.subject_id, mark.date, mark.work_type
    )


async def _facts(
    session: AsyncSession,
    school_id: str,
    student_id: str,
    subject_id: str,
    day: dt.date | None,
    work_type: str | None = None,
) -> MarkFacts:
    student = (await people.people_by_id(session, school_id, [student_id])).get(student_id)
    subject = await people.subject(session, school_id, subject_id)
    return MarkFacts(
        student=notices.full_name(student.last_name, student.first_name) if student else None,
        subject=subject.name if subject else None,
        date=day,
        work_type=work_type,
    )
