"""The same notify in the embedded mode (`make run`): SQLite and the in-process bus.

Only the database and the bus differ; the e-mail server and the integrator's endpoint are
real local servers, as in the distributed tests.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from kit.bus.local import LocalBus
from kit.db import Database
from kit.kv import connect_redis
from kit.migrations import upgrade
from kit.runtime import Shared
from kit.testing.services import eventually, in_process
from kit.testing.tokens import TestTokens
from services.notify.app import MIGRATIONS, build
from services.notify.settings import NotifySettings
from services.notify.tests.conftest import FAST
from services.notify.tests.factories import Family, publish
from services.notify.tests.receiver import Receiver, http_receiver
from services.notify.tests.smtp import Mailbox, smtp_server


@pytest.fixture
async def embedded(
    tmp_path: Path, tokens: TestTokens
) -> AsyncIterator[tuple[Any, Mailbox, Receiver]]:
    with smtp_server() as (mailbox, port):
        async with http_receiver() as receiver:
            settings = NotifySettings(
                data_dir=tmp_path, smtp_host="127.0.0.1", smtp_port=port, **FAST
            )
            await upgrade(settings.database_url_for("notify"), MIGRATIONS)
            bus = LocalBus(Database(f"sqlite+aiosqlite:///{tmp_path / 'bus.db'}"))
            shared = Shared(bus=bus, redis=connect_redis(None), keys=tokens.keys)
            app = build(settings, shared=shared)
            async with in_process([app], bus) as [client]:
                client.app_runtime = app.state.runtime  # type: ignore[attr-defined]
                yield client, mailbox, receiver


async def test_mark_reaches_feed_email_and_webhook_in_the_embedded_mode_R_REC_2(
    embedded: tuple[Any, Mailbox, Receiver], tokens: TestTokens
) -> None:
    client, mailbox, receiver = embedded
    family = await Family().introduce(client)
    parent = tokens.headers(roles=["parent"], school_id=family.school, person_id=family.parent_id)
    subscribed = await client.put(
        "/notify/v1/subscriptions/me",
        json={"email": True, "email_address": "mama@example.ru"},
        headers=parent,
    )
    assert subscribed.status_code == 200
    hook = await client.post(
        "/notify/v1/webhooks",
        json={
            "url": f"{receiver.base_url}/hook",
            "event_types": ["journal.mark.recorded"],
            "school_id": family.school,
        },
        headers=tokens.headers(roles=["operator"], school_id=None),
    )
    assert hook.status_code == 201
    receiver.failures["/hook"] = 1

    [envelope] = await publish(client, family.mark(5), school_id=family.school)

    async def emailed() -> list[Any]:
        found = mailbox.to("mama@example.ru")
        assert found
        return found

    async def posted() -> list[Any]:
        calls = receiver.at("/hook")
        assert len(calls) == 2
        return calls

    [message] = await eventually(emailed)
    assert message["Subject"] == "Новая отметка: Иванов Пётр, Математика"
    calls = await eventually(posted)
    assert [c.headers["x-ej-event-id"] for c in calls] == [envelope.id, envelope.id]
    assert calls[1].signed_with(hook.json()["secret"])
    feed = await client.get("/notify/v1/deliveries", params={"channel": "feed"}, headers=parent)
    assert "отметка «5»" in feed.json()["deliveries"][0]["text"]
