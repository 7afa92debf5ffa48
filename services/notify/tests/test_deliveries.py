"""The diary feed: what the teacher enters reaches the parents by itself (R-REC-1, R-REC-2)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from contracts.identity import GuardianLinked
from contracts.journal import (
    MarkCancelled,
    MarkCorrected,
    MarkRecorded,
    PeriodDefined,
    PeriodMarkCorrected,
    PeriodMarkSet,
)
from kit.db import new_id
from kit.testing.events import build, envelope
from kit.testing.services import eventually
from kit.testing.tokens import TestTokens
from services.notify.tests.factories import Family, publish


async def feed(notify: Any, tokens: TestTokens, family: Family) -> list[dict[str, Any]]:
    response = await notify.get(
        "/notify/v1/deliveries",
        params={"channel": "feed"},
        headers=tokens.headers(
            roles=["parent"], school_id=family.school, person_id=family.parent_id
        ),
    )
    assert response.status_code == 200, response.text
    return response.json()["deliveries"]  # type: ignore[no-any-return]


async def test_parent_receives_a_delivery_for_a_new_mark_of_their_child_R_REC_2(
    notify: Any, tokens: TestTokens
) -> None:
    school, parent, student, other_parent = new_id(), new_id(), new_id(), new_id()
    bus = notify.app_runtime.bus
    linked_event = build(GuardianLinked, parent_id=parent, student_id=student)
    await bus.publish([envelope(linked_event, school_id=school)])

    async def linked() -> Any:
        new_mark = build(MarkRecorded, student_id=student, value=5, work_type="answer")
        await bus.publish([envelope(new_mark, school_id=school)])
        response = await notify.get(
            "/notify/v1/deliveries",
            headers=tokens.headers(roles=["parent"], school_id=school, person_id=parent),
        )
        assert response.status_code == 200, response.text
        return response.json()["deliveries"]

    deliveries = await eventually(linked)
    assert deliveries[0]["recipient_id"] == parent
    assert "5" in deliveries[0]["text"]

    other = await notify.get(
        "/notify/v1/deliveries",
        headers=tokens.headers(roles=["parent"], school_id=school, person_id=other_parent),
    )
    assert other.json()["deliveries"] == []


async def test_feed_names_the_child_the_subject_and_the_day_in_russian_R_REC_1_R_MRK_9(
    notify: Any, tokens: TestTokens
) -> None:
    family = await Family().introduce(notify)
    await publish(notify, family.mark(4, comment="Хорошо решил задачу"), school_id=family.school)

    [entry] = await feed(notify, tokens, family)
    assert entry["status"] == "delivered"
    assert entry["source_event_type"] == "journal.mark.recorded.v1"
    assert entry["subject"] == "Новая отметка: Иванов Пётр, Математика"
    assert entry["text"] == (
        "Иванов Пётр: отметка «4» по предмету «Математика» за 27.11.2026 "
        "(контрольная работа). Комментарий учителя: Хорошо решил задачу"
    )


async def test_corrected_and_cancelled_marks_reach_the_parents_R_REC_1(
    notify: Any, tokens: TestTokens
) -> None:
    family = await Family().introduce(notify)
    recorded = family.mark(3)
    await publish(notify, recorded, school_id=family.school)
    await publish(
        notify,
        build(
            MarkCorrected, mark_id=recorded.mark_id, old_value=3, new_value=4, reason="ошибка ввода"
        ),
        school_id=family.school,
    )
    await publish(
        notify,
        build(MarkCancelled, mark_id=recorded.mark_id, reason="выставлена не тому"),
        school_id=family.school,
    )

    cancelled, corrected, _ = await feed(notify, tokens, family)
    assert corrected["text"] == (
        "Иванов Пётр: отметка по предмету «Математика» за 27.11.2026 исправлена: "
        "«3» → «4». Причина: ошибка ввода"
    )
    assert cancelled["text"] == (
        "Иванов Пётр: отметка «4» по предмету «Математика» за 27.11.2026 отменена. "
        "Причина: выставлена не тому"
    )


async def test_period_marks_set_and_corrected_reach_the_parents_R_REC_1(
    notify: Any, tokens: TestTokens
) -> None:
    family = await Family().introduce(notify)
    period = build(
        PeriodDefined,
        kind="quarter",
        number=2,
        starts_on=dt.date(2026, 11, 5),
        ends_on=dt.date(2026, 12, 28),
    )
    set_mark = build(
        PeriodMarkSet,
        student_id=family.student_id,
        subject_id=family.subject.subject_id,
        period_id=period.period_id,
        value="4",
    )
    corrected_mark = build(
        PeriodMarkCorrected, **set_mark.model_dump() | {"value": "osv", "old_value": "4"}
    )
    await publish(notify, period, school_id=family.school)
    await publish(notify, set_mark, school_id=family.school)
    await publish(notify, corrected_mark, school_id=family.school)

    corrected, set_ = await feed(notify, tokens, family)
    assert set_["text"] == (
        "Иванов Пётр: итоговая отметка за 2 четверть по предмету «Математика» выставлена: «4»."
    )
    assert corrected["text"].startswith(
        "Иванов Пётр: итоговая отметка за 2 четверть по предмету «Математика» изменена: "
        "«4» → «ОСВ»."
    )


async def test_a_mark_of_another_schools_student_reaches_no_parent_here(
    notify: Any, tokens: TestTokens
) -> None:
    family = await Family().introduce(notify)
    await publish(notify, family.mark(2), school_id=new_id())
    assert await feed(notify, tokens, family) == []


async def test_parent_cannot_read_someone_elses_deliveries(notify: Any, tokens: TestTokens) -> None:
    school = new_id()
    response = await notify.get(
        "/notify/v1/deliveries",
        params={"recipient_id": new_id()},
        headers=tokens.headers(roles=["parent"], school_id=school, person_id=new_id()),
    )
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_deliveries_need_a_token(notify: Any) -> None:
    response = await notify.get("/notify/v1/deliveries")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


async def test_deliveries_refuse_a_bad_channel_with_problem_json(
    notify: Any, tokens: TestTokens
) -> None:
    response = await notify.get(
        "/notify/v1/deliveries",
        params={"channel": "pigeon"},
        headers=tokens.headers(roles=["parent"], school_id=new_id(), person_id=new_id()),
    )
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
