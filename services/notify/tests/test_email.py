"""E-mail to subscribed parents through a real local SMTP server (R-REC-2, R-MRK-9).

The sender is the service's own background task: nothing here calls it directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from contracts.identity import GuardianLinked, SchoolRegistered, SchoolUpdated
from contracts.journal import MarkCorrected
from kit.clock import Clock, FixedClock
from kit.db import new_id
from kit.testing.events import build
from kit.testing.services import eventually
from kit.testing.tokens import TestTokens
from services.notify.models import Delivery
from services.notify.tests.conftest import StartNotify
from services.notify.tests.factories import Family, publish
from services.notify.tests.smtp import Mailbox, free_port, smtp_server

MOSCOW = ZoneInfo("Europe/Moscow")


@pytest.fixture(scope="module")
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    with smtp_server() as server:
        yield server


@pytest.fixture(scope="module")
async def mail_notify(
    start_notify: StartNotify, mailbox: tuple[Mailbox, int]
) -> AsyncIterator[Any]:
    async with start_notify(smtp_host="127.0.0.1", smtp_port=mailbox[1]) as client:
        yield client


async def subscribe(client: Any, tokens: TestTokens, family: Family, digest: str = "none") -> str:
    address = f"parent-{new_id()[-12:]}@example.ru"
    response = await client.put(
        "/notify/v1/subscriptions/me",
        json={"email": True, "email_address": address, "digest": digest},
        headers=tokens.headers(
            roles=["parent"], school_id=family.school, person_id=family.parent_id
        ),
    )
    assert response.status_code == 200, response.text
    return address


async def emails(client: Any, tokens: TestTokens, family: Family) -> list[dict[str, Any]]:
    response = await client.get(
        "/notify/v1/deliveries",
        params={"channel": "email"},
        headers=tokens.headers(
            roles=["parent"], school_id=family.school, person_id=family.parent_id
        ),
    )
    assert response.status_code == 200, response.text
    return response.json()["deliveries"]  # type: ignore[no-any-return]


async def test_a_subscribed_parent_gets_a_russian_email_for_a_new_mark_R_REC_2_R_MRK_9(
    mail_notify: Any, mailbox: tuple[Mailbox, int], tokens: TestTokens
) -> None:
    family = await Family().introduce(mail_notify)
    address = await subscribe(mail_notify, tokens, family)
    await publish(mail_notify, family.mark(5), school_id=family.school)

    [message] = await eventually(lambda: _received(mailbox[0], address, 1))
    assert message["Subject"] == "Новая отметка: Иванов Пётр, Математика"
    assert "=?utf-8?" in message.as_string().lower()  # the subject travelled RFC 2047-encoded
    assert message["Date"] is not None
    assert "Электронный журнал" in message["From"]
    assert message.get_content_charset() == "utf-8"
    body = message.get_content()
    assert "Здравствуйте!" in body
    assert "Иванов Пётр: отметка «5» по предмету «Математика» за 27.11.2026" in body

    [row] = await eventually(lambda: _with_status(mail_notify, tokens, family, "sent"))
    assert row["sent_at"] is not None


async def test_a_correction_is_emailed_too_R_REC_1(
    mail_notify: Any, mailbox: tuple[Mailbox, int], tokens: TestTokens
) -> None:
    family = await Family().introduce(mail_notify)
    address = await subscribe(mail_notify, tokens, family)
    recorded = family.mark(3)
    await publish(mail_notify, recorded, school_id=family.school)
    correction = build(
        MarkCorrected, mark_id=recorded.mark_id, old_value=3, new_value=4, reason="ошибка"
    )
    await publish(mail_notify, correction, school_id=family.school)

    received = await eventually(lambda: _received(mailbox[0], address, 2))
    assert sorted(m["Subject"] for m in received) == [
        "Новая отметка: Иванов Пётр, Математика",
        "Отметка исправлена: Иванов Пётр, Математика",
    ]


async def test_a_parent_without_email_gets_no_email_only_the_feed_R_REC_2(
    mail_notify: Any, tokens: TestTokens
) -> None:
    family = await Family().introduce(mail_notify)
    await publish(mail_notify, family.mark(5), school_id=family.school)
    assert await emails(mail_notify, tokens, family) == []


async def test_a_daily_digest_collects_the_days_notices_and_goes_at_the_hour_R_REC_2(
    mail_notify: Any, mailbox: tuple[Mailbox, int], tokens: TestTokens
) -> None:
    clock = FixedClock(dt.datetime(2026, 11, 27, 10, 0, tzinfo=MOSCOW))
    mail_notify.app.state.runtime.clock = clock
    try:
        family = await Family().introduce(mail_notify)
        address = await subscribe(mail_notify, tokens, family, digest="daily")
        await publish(mail_notify, family.mark(5), family.mark(4), school_id=family.school)
        collected = await emails(mail_notify, tokens, family)
        assert [r["status"] for r in collected] == ["collected", "collected"]
        assert mailbox[0].to(address) == []

        clock.set(dt.datetime(2026, 11, 27, 18, 0, 1, tzinfo=MOSCOW))
        [digest] = await eventually(lambda: _received(mailbox[0], address, 1))
    finally:
        mail_notify.app.state.runtime.clock = Clock()

    assert digest["Subject"] == "Электронный дневник: сводка за 27.11.2026"
    body = digest.get_content()
    assert "Новое в дневнике (2)" in body
    assert "отметка «5» по предмету «Математика»" in body
    assert "отметка «4» по предмету «Математика»" in body
    rows = await eventually(lambda: _with_status(mail_notify, tokens, family, "digested", 2))
    assert {r["digest_id"] for r in rows} == {
        r["id"] for r in await emails(mail_notify, tokens, family) if r["status"] == "sent"
    }


async def test_a_digest_goes_at_the_hour_in_the_schools_own_time_zone_R_REC_2(
    mail_notify: Any, mailbox: tuple[Mailbox, int], tokens: TestTokens
) -> None:
    vladivostok = ZoneInfo("Asia/Vladivostok")  # 7 hours ahead of Moscow
    clock = FixedClock(dt.datetime(2026, 11, 27, 10, 0, tzinfo=vladivostok))
    mail_notify.app.state.runtime.clock = clock
    try:
        family = await Family("Asia/Vladivostok").introduce(mail_notify)
        address = await subscribe(mail_notify, tokens, family, digest="daily")
        await publish(mail_notify, family.mark(5), school_id=family.school)
        clock.set(dt.datetime(2026, 11, 27, 17, 30, tzinfo=vladivostok))  # 10:30 in Moscow
        await eventually(lambda: _with_status(mail_notify, tokens, family, "collected", 1))
        assert mailbox[0].to(address) == []

        clock.set(dt.datetime(2026, 11, 27, 18, 0, 1, tzinfo=vladivostok))  # 11:00 in Moscow
        [digest] = await eventually(lambda: _received(mailbox[0], address, 1))
    finally:
        mail_notify.app.state.runtime.clock = Clock()
    assert digest["Subject"] == "Электронный дневник: сводка за 27.11.2026"


async def test_a_digest_follows_the_schools_updated_time_zone_R_REC_2(
    mail_notify: Any, mailbox: tuple[Mailbox, int], tokens: TestTokens
) -> None:
    """A Moscow school that identity moves to Vladivostok gets its daily digest at 18:00 in
    Vladivostok (11:00 in Moscow)."""
    vladivostok = ZoneInfo("Asia/Vladivostok")
    clock = FixedClock(dt.datetime(2026, 11, 27, 10, 0, tzinfo=vladivostok))
    mail_notify.app.state.runtime.clock = clock
    try:
        family = await Family("Europe/Moscow").introduce(mail_notify)
        moved = build(
            SchoolUpdated, school_id=family.school, name="Школа", timezone="Asia/Vladivostok"
        )
        await publish(mail_notify, moved, school_id=family.school)
        address = await subscribe(mail_notify, tokens, family, digest="daily")
        await publish(mail_notify, family.mark(5), school_id=family.school)

        clock.set(dt.datetime(2026, 11, 27, 18, 0, 1, tzinfo=vladivostok))  # 11:00 in Moscow
        [digest] = await eventually(lambda: _received(mailbox[0], address, 1))
    finally:
        mail_notify.app.state.runtime.clock = Clock()
    assert digest["Subject"] == "Электронный дневник: сводка за 27.11.2026"


async def test_a_school_not_registered_here_yet_keeps_its_digest_until_it_is_R_REC_2(
    mail_notify: Any, mailbox: tuple[Mailbox, int], tokens: TestTokens
) -> None:
    """No zone is guessed: the pass that sends a known school's digest skips a school whose
    registration has not arrived, and its digest goes once it does."""
    vladivostok = ZoneInfo("Asia/Vladivostok")
    clock = FixedClock(dt.datetime(2026, 11, 27, 10, 0, tzinfo=vladivostok))
    mail_notify.app.state.runtime.clock = clock
    try:
        known = await Family("Asia/Vladivostok").introduce(mail_notify)
        unheard = Family("Asia/Vladivostok")
        await publish(
            mail_notify,
            unheard.student,
            unheard.parent,
            build(GuardianLinked, parent_id=unheard.parent_id, student_id=unheard.student_id),
            unheard.subject,
            school_id=unheard.school,
        )
        addresses = [
            await subscribe(mail_notify, tokens, family, digest="daily")
            for family in (known, unheard)
        ]
        for family in (known, unheard):
            await publish(mail_notify, family.mark(5), school_id=family.school)
        await eventually(lambda: _with_status(mail_notify, tokens, unheard, "collected", 1))

        clock.set(dt.datetime(2026, 11, 27, 18, 0, 1, tzinfo=vladivostok))
        await eventually(lambda: _received(mailbox[0], addresses[0], 1))
        assert mailbox[0].to(addresses[1]) == []
        assert len(await _with_status(mail_notify, tokens, unheard, "collected", 1)) == 1

        registered = build(
            SchoolRegistered, school_id=unheard.school, name="Школа", timezone="Asia/Vladivostok"
        )
        await publish(mail_notify, registered, school_id=unheard.school)
        [digest] = await eventually(lambda: _received(mailbox[0], addresses[1], 1))
    finally:
        mail_notify.app.state.runtime.clock = Clock()
    assert digest["Subject"] == "Электронный дневник: сводка за 27.11.2026"


async def test_nothing_is_lost_while_the_smtp_server_is_down_R_REC_2(
    start_notify: StartNotify, tokens: TestTokens
) -> None:
    port = free_port()  # nothing listens there yet
    async with start_notify(smtp_host="127.0.0.1", smtp_port=port) as client:
        family = await Family().introduce(client)
        address = await subscribe(client, tokens, family)
        await publish(client, family.mark(5), school_id=family.school)

        async def retried() -> bool:
            [row] = await emails(client, tokens, family)
            assert row["status"] == "pending"
            return await _attempts(client, row["id"]) >= 2

        await eventually(retried)
        with smtp_server(port) as (mailbox, _):
            [message] = await eventually(lambda: _received(mailbox, address, 1), timeout=20)
            assert message["Subject"] == "Новая отметка: Иванов Пётр, Математика"
            await eventually(lambda: _with_status(client, tokens, family, "sent"))


async def test_a_refused_address_is_given_up_after_the_bounded_attempts(
    start_notify: StartNotify, tokens: TestTokens
) -> None:
    with smtp_server() as (mailbox, port):
        async with start_notify(
            smtp_host="127.0.0.1", smtp_port=port, mail_max_attempts=2
        ) as client:
            family = await Family().introduce(client)
            address = await subscribe(client, tokens, family)
            mailbox.refuse.add(address)
            await publish(client, family.mark(5), school_id=family.school)

            [row] = await eventually(lambda: _with_status(client, tokens, family, "failed"))
            assert await _attempts(client, row["id"]) == 2
            assert mailbox.to(address) == []


async def test_without_smtp_emails_stay_pending_and_the_service_is_ready(
    notify: Any, tokens: TestTokens
) -> None:
    family = await Family().introduce(notify)
    await subscribe(notify, tokens, family)
    await publish(notify, family.mark(5), school_id=family.school)

    [row] = await emails(notify, tokens, family)
    assert row["status"] == "pending"
    ready = await notify.get("/notify/readyz")
    assert ready.status_code == 200, ready.text


async def _received(mailbox: Mailbox, address: str, count: int) -> list[Any]:
    found = mailbox.to(address)
    assert len(found) >= count
    return found


async def _with_status(
    client: Any, tokens: TestTokens, family: Family, status: str, count: int = 1
) -> list[dict[str, Any]]:
    rows = [r for r in await emails(client, tokens, family) if r["status"] == status]
    assert len(rows) >= count
    return rows


async def _attempts(client: Any, delivery_id: str) -> int:
    async with client.app_runtime.db.read_only() as session:
        return int(
            (
                await session.execute(select(Delivery.attempts).where(Delivery.id == delivery_id))
            ).scalar_one()
        )
