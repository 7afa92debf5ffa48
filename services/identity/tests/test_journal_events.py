"""The journal tells identity who leads which class, by events (R-SEC-2)."""

from __future__ import annotations

import datetime as dt

from contracts.journal import ClassOpened, EnrolmentChanged
from kit.testing.events import build, envelope
from kit.testing.services import eventually
from services.identity.tests.factories import Harness


async def test_a_class_teacher_named_by_the_journal_issues_their_students_credentials_R_SEC_2(
    identity: Harness,
) -> None:
    school = await identity.school()
    teacher = await identity.member(school.id, "staff", "teacher")
    student = await identity.person(school.id, "student")
    opened = build(ClassOpened, name="7Б", grade=7, class_teacher_id=teacher.person_id)
    enrolled = build(
        EnrolmentChanged, student_id=student.id, class_id=opened.class_id, change="enrolled"
    )
    bus = identity.runtime.bus
    await bus.publish(
        [envelope(opened, school_id=school.id), envelope(enrolled, school_id=school.id)]
    )
    url = f"/identity/v1/people/{student.id}/credentials"

    async def issued() -> bool:
        response = await identity.client.post(url, headers=teacher.headers)
        assert response.status_code == 201, response.text
        return True

    assert await eventually(issued)

    left = build(
        EnrolmentChanged,
        student_id=student.id,
        class_id=opened.class_id,
        change="left",
        date=dt.date(2026, 12, 1),
    )
    await bus.publish([envelope(left, school_id=school.id, sequence=10**12)])

    async def refused() -> bool:
        response = await identity.client.post(url, headers=teacher.headers)
        assert response.status_code == 403, response.text
        return True

    assert await eventually(refused)


async def test_an_older_enrolment_change_does_not_undo_a_newer_one(identity: Harness) -> None:
    school = await identity.school()
    teacher = await identity.member(school.id, "staff", "teacher")
    student = await identity.person(school.id, "student")
    class_id = await identity.lead_class(school.id, teacher.person, [])
    from services.identity.service import classes

    changes = [("enrolled", 5), ("left", 7), ("enrolled", 6)]  # the third arrives late
    async with identity.db.unit_of_work() as session:
        for change, sequence in changes:
            event = build(
                EnrolmentChanged,
                student_id=student.id,
                class_id=class_id,
                change=change,
                date=dt.date(2026, 9, sequence),
            )
            wrapped = envelope(event, school_id=school.id, sequence=sequence)
            await classes.enrolment_changed(identity.use_case(session, school.id), event, wrapped)
    response = await identity.client.post(
        f"/identity/v1/people/{student.id}/credentials", headers=teacher.headers
    )
    assert response.status_code == 403
