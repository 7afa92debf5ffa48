"""The embedded mode: SQLite, the in-process bus and two local folders as the two stores."""

from __future__ import annotations

import hashlib
from pathlib import Path

from kit.bus.local import LocalBus
from kit.clock import FixedClock
from kit.db import Database
from kit.kv import connect_redis
from kit.migrations import upgrade
from kit.runtime import Shared
from kit.testing.services import eventually, in_process
from kit.testing.tokens import TestTokens
from services.archive.app import MIGRATIONS, build
from services.archive.repository import ledger
from services.archive.settings import ArchiveSettings
from services.archive.tests.conftest import NOW
from services.archive.tests.factories import ClassJournal


async def test_embedded_archive_keeps_two_folder_copies_and_repairs_them_R_ARC_2(
    tmp_path: Path, tokens: TestTokens
) -> None:
    settings = ArchiveSettings(
        mode="embedded",
        data_dir=tmp_path,
        archive_interval_seconds=0,
        archive_store_a_endpoint=None,
    )
    await upgrade(settings.database_url_for("archive"), MIGRATIONS)
    bus = LocalBus(Database(f"sqlite+aiosqlite:///{tmp_path / 'bus.db'}"), idle_interval=0.05)
    app = build(settings, Shared(bus=bus, redis=connect_redis(None), keys=tokens.keys))
    app.state.runtime.clock = FixedClock(NOW)
    journal = ClassJournal()
    headers = tokens.headers(roles=["school_admin"], school_id=journal.school_id)

    async with in_process([app], bus) as [client]:
        await bus.publish(journal.envelopes())

        async def recorded() -> bool:
            async with app.state.runtime.db.read_only() as session:
                return await ledger.count_entries(session, journal.school_id) == 7

        await eventually(recorded)
        run = await client.post(
            "/archive/v1/runs",
            json={"school_id": journal.school_id, "year_id": journal.year_id, "kind": "weekly"},
            headers=headers,
        )
        assert run.status_code == 201, run.text
        manifest = run.json()
        key = f"{journal.school_id}/{journal.year_id}/weekly/{manifest['id']}.zip"
        copy_a, copy_b = tmp_path / "archive-a" / key, tmp_path / "archive-b" / key
        assert copy_a.read_bytes() == copy_b.read_bytes()
        assert hashlib.sha256(copy_a.read_bytes()).hexdigest() == manifest["sha256"]

        copy_b.write_bytes(b"damaged on the second medium")
        audit = await client.post("/archive/v1/audits", headers=headers)
        assert audit.json()["repaired"] == 1
        assert copy_b.read_bytes() == copy_a.read_bytes()

        content = await client.get(
            f"/archive/v1/packages/{manifest['id']}/content", headers=headers
        )
        assert hashlib.sha256(content.content).hexdigest() == manifest["sha256"]
