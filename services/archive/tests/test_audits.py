"""Fixity audits on the real stores: a bad copy is repaired from the good one, a package with
no intact copy is lost, and a store that does not answer never makes a package lost."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from contracts.archive import FixityFailed, FixityRepaired
from kit.testing.tokens import TestTokens
from services.archive.tests.conftest import ArchiveUnderTest, closed_port_endpoint
from services.archive.tests.factories import ClassJournal


async def stored_package(
    archive: ArchiveUnderTest, tokens: TestTokens, journal: ClassJournal
) -> tuple[dict[str, Any], str]:
    """A package of the class's year, stored on both stores; (manifest, its key)."""
    await archive.publish_and_wait(journal.envelopes(), journal.school_id)
    response = await archive.client.post(
        "/archive/v1/runs",
        json={"school_id": journal.school_id, "year_id": journal.year_id, "kind": "weekly"},
        headers=director(tokens, journal),
    )
    assert response.status_code == 201, response.text
    manifest = response.json()
    return manifest, f"{journal.school_id}/{journal.year_id}/weekly/{manifest['id']}.zip"


def director(tokens: TestTokens, journal: ClassJournal) -> dict[str, str]:
    return tokens.headers(roles=["director"], school_id=journal.school_id)


async def audit(archive: ArchiveUnderTest, tokens: TestTokens, journal: ClassJournal) -> Any:
    response = await archive.client.post(
        "/archive/v1/audits", json={}, headers=director(tokens, journal)
    )
    assert response.status_code == 200, response.text
    return response.json()


async def manifest_of(
    archive: ArchiveUnderTest, tokens: TestTokens, journal: ClassJournal, package_id: str
) -> dict[str, Any]:
    response = await archive.client.get(
        f"/archive/v1/packages/{package_id}", headers=director(tokens, journal)
    )
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def test_audit_of_intact_copies_finds_them_ok_R_ARC_1(
    archive: ArchiveUnderTest, tokens: TestTokens
) -> None:
    journal = ClassJournal()
    await stored_package(archive, tokens, journal)

    result = await audit(archive, tokens, journal)

    assert {k: result[k] for k in ("checked", "ok", "repaired", "lost")} == {
        "checked": 1,
        "ok": 1,
        "repaired": 0,
        "lost": 0,
    }


async def test_audit_repairs_a_corrupted_copy_from_the_good_one_R_ARC_1(
    archive: ArchiveUnderTest, tokens: TestTokens
) -> None:
    journal = ClassJournal()
    manifest, key = await stored_package(archive, tokens, journal)
    good = await archive.object("b", key)
    archive.clock.advance(dt.timedelta(hours=1))
    await archive.overwrite("a", key, b"PK\x03\x04 not the package any more")

    result = await audit(archive, tokens, journal)

    assert (result["checked"], result["ok"], result["repaired"], result["lost"]) == (1, 0, 1, 0)
    assert await archive.object("a", key) == good
    after = await manifest_of(archive, tokens, journal, manifest["id"])
    copy_a = after["copies"][0]
    assert copy_a["store"] == "a" and copy_a["state"] == "ok"
    assert copy_a["sha256"] == manifest["sha256"]
    assert copy_a["last_verified"] > manifest["copies"][0]["last_verified"]
    [failed] = await archive.events_of(FixityFailed.ce_type())
    assert failed.data["store"] == "a" and failed.data["lost"] is False
    assert (
        failed.data["actual_sha256"]
        == hashlib.sha256(b"PK\x03\x04 not the package any more").hexdigest()
    )
    [repaired] = await archive.events_of(FixityRepaired.ce_type())
    assert repaired.data == {
        "package_id": manifest["id"],
        "store": "a",
        "sha256": manifest["sha256"],
    }


async def test_audit_rewrites_a_missing_copy_R_ARC_2(
    archive: ArchiveUnderTest, tokens: TestTokens
) -> None:
    journal = ClassJournal()
    manifest, key = await stored_package(archive, tokens, journal)
    await archive.remove("b", key)

    result = await audit(archive, tokens, journal)

    assert result["repaired"] == 1
    assert hashlib.sha256(await archive.object("b", key)).hexdigest() == manifest["sha256"]


async def test_package_with_both_copies_gone_is_lost_and_announced_R_ARC_1(
    archive: ArchiveUnderTest, tokens: TestTokens
) -> None:
    journal = ClassJournal()
    manifest, key = await stored_package(archive, tokens, journal)
    await archive.remove("a", key)
    await archive.overwrite("b", key, b"")

    result = await audit(archive, tokens, journal)

    assert (result["checked"], result["ok"], result["repaired"], result["lost"]) == (1, 0, 0, 1)
    after = await manifest_of(archive, tokens, journal, manifest["id"])
    assert after["status"] == "lost"
    assert {c["store"]: c["state"] for c in after["copies"]} == {"a": "missing", "b": "corrupt"}
    failures = await archive.events_of(FixityFailed.ce_type(), count=2)
    assert {(e.data["store"], e.data["lost"]) for e in failures} == {("a", True), ("b", True)}
    assert all(e.data["package_id"] == manifest["id"] for e in failures)
    content = await archive.client.get(
        f"/archive/v1/packages/{manifest['id']}/content", headers=director(tokens, journal)
    )
    assert content.status_code == 409 and content.json()["code"] == "package_lost"


async def test_content_falls_back_to_the_other_store_when_a_copy_is_bad_R_ARC_1(
    archive: ArchiveUnderTest, tokens: TestTokens
) -> None:
    journal = ClassJournal()
    manifest, key = await stored_package(archive, tokens, journal)
    await archive.overwrite("a", key, b"tampered")

    content = await archive.client.get(
        f"/archive/v1/packages/{manifest['id']}/content", headers=director(tokens, journal)
    )

    assert content.status_code == 200
    assert content.headers["x-archive-store"] == "b"
    assert hashlib.sha256(content.content).hexdigest() == manifest["sha256"]


async def test_a_store_that_does_not_answer_leaves_the_package_unverified_not_lost(
    start_archive: Any, tokens: TestTokens
) -> None:
    first = await start_archive()
    journal = ClassJournal()
    manifest, key = await stored_package(first, tokens, journal)
    await first.remove("a", key)
    database_url = first.app.state.runtime.settings.database_url
    archive = await start_archive(
        database_url=database_url, archive_store_b_endpoint=closed_port_endpoint()
    )

    result = await audit(archive, tokens, journal)

    assert (result["checked"], result["lost"], result["unverified"]) == (1, 0, 1)
    after = await manifest_of(archive, tokens, journal, manifest["id"])
    assert after["status"] == "stored"
    assert {c["store"]: c["state"] for c in after["copies"]} == {
        "a": "missing",
        "b": "unreachable",
    }


async def test_school_audit_covers_only_that_school(
    archive: ArchiveUnderTest, tokens: TestTokens
) -> None:
    ours, theirs = ClassJournal(), ClassJournal()
    await stored_package(archive, tokens, ours)
    await stored_package(archive, tokens, theirs)

    assert (await audit(archive, tokens, ours))["checked"] == 1
    operator = await archive.client.post(
        "/archive/v1/audits", headers=tokens.headers(roles=["operator"], school_id=None)
    )
    assert operator.status_code == 200 and operator.json()["checked"] == 2
