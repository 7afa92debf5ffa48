"""Notify's skeleton: a parent is told of a new mark of their child (R-REC-2)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from contracts.identity import GuardianLinked
from contracts.journal import MarkRecorded
from kit.db import new_id
from kit.events import Envelope
from kit.testing.services import eventually
from kit.testing.tokens import TestTokens


async def test_parent_receives_a_delivery_for_a_new_mark_of_their_child_R_REC_2(
    notify: Any, tokens: TestTokens
) -> None:
    school, parent, student, other_parent = new_id(), new_id(), new_id(), new_id()
    bus = notify.app_runtime.bus
    await bus.publish(
        [
            Envelope.wrap(GuardianLinked(parent_id=parent, student_id=student), school_id=school),
        ]
    )

    async def linked() -> bool:
        await bus.publish(
            [
                Envelope.wrap(
                    MarkRecorded(
                        mark_id=new_id(),
                        lesson_id=new_id(),
                        student_id=student,
                        class_id=new_id(),
                        subject_id=new_id(),
                        period_id=None,
                        value=5,
                        work_type="answer",
                        weight=1,
                        date=dt.date(2026, 11, 27),
                        teacher_id=new_id(),
                    ),
                    school_id=school,
                )
            ]
        )
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
