"""Runs: a package of a class's year lands on both real S3 stores, verified, and reads back."""

from __future__ import annotations

import hashlib
from typing import Any

from contracts.archive import PackageStored
from kit.testing.tokens import TestTokens
from services.archive.rules.packaging import read_package
from services.archive.tests.conftest import ArchiveUnderTest, closed_port_endpoint
from services.archive.tests.factories import ClassJournal


def admin(tokens: TestTokens, journal: ClassJournal) -> dict[str, str]:
    return tokens.headers(roles=["school_admin"], school_id=journal.school_id)


async def run(
    archive: ArchiveUnderTest, tokens: TestTokens, journal: ClassJournal, kind: str = "weekly"
) -> Any:
    return await archive.client.post(
        "/archive/v1/runs",
        json={"school_id": journal.school_id, "year_id": journal.year_id, "kind": kind},
        headers=admin(tokens, journal),
    )


async def test_package_lands_on_both_stores_and_reads_back_identical_R_ARC_2(
    archive: ArchiveUnderTest, tokens: TestTokens
) -> None:
    journal = ClassJournal()
    await archive.publish_and_wait(journal.envelopes(), journal.school_id)

    response = await run(archive, tokens, journal)

    assert response.status_code == 201, response.text
    manifest = response.json()
    assert manifest["status"] == "stored" and manifest["entries"] == 7
    assert [c["store"] for c in manifest["copies"]] == ["a", "b"]
    assert all(c["state"] == "ok" and c["last_verified"] for c in manifest["copies"])
    assert manifest["last_verified"] is not None
    key = f"{journal.school_id}/{journal.year_id}/weekly/{manifest['id']}.zip"
    copy_a, copy_b = await archive.object("a", key), await archive.object("b", key)
    assert copy_a == copy_b
    assert hashlib.sha256(copy_a).hexdigest() == manifest["sha256"]
    assert len(copy_a) == manifest["size"]
    assert manifest["copies"][0]["location"].endswith(f"/{archive.buckets['a']}/{key}")

    content = await archive.client.get(
        f"/archive/v1/packages/{manifest['id']}/content", headers=admin(tokens, journal)
    )
    assert content.status_code == 200
    assert content.headers["content-type"] == "application/zip"
    assert content.content == copy_a

    [stored] = await archive.events_of(PackageStored.ce_type())
    assert stored.data["package_id"] == manifest["id"]
    assert stored.data["sha256"] == manifest["sha256"] and stored.data["stores"] == ["a", "b"]
    assert stored.schoolid == journal.school_id


async def test_package_is_self_describing_ordered_and_keeps_who_did_what_R_ARC_6(
    archive: ArchiveUnderTest, tokens: TestTokens
) -> None:
    journal = ClassJournal()
    await archive.publish_and_wait(journal.envelopes(), journal.school_id)
    manifest = (await run(archive, tokens, journal)).json()
    content = (
        await archive.client.get(
            f"/archive/v1/packages/{manifest['id']}/content", headers=admin(tokens, journal)
        )
    ).content

    inner, ledger = read_package(content)

    assert inner["school_id"] == journal.school_id and inner["kind"] == "weekly"
    assert inner["year"]["id"] == journal.year_id and inner["year"]["name"] == "2026/2027"
    assert inner["entries"] == len(ledger) == 7
    files = {f["name"]: f for f in manifest["files"]}
    assert set(files) == {"manifest.json", "ledger.jsonl"}
    assert inner["files"] == [files["ledger.jsonl"]]
    assert [e["time"] for e in ledger] == sorted(e["time"] for e in ledger)
    assert ledger[0]["type"] == "journal.year.opened.v1"
    assert {e["actor_id"] for e in ledger} == {journal.teacher_id}
    lesson = next(e for e in ledger if e["type"] == "journal.lesson.recorded.v1")
    assert lesson["data"]["topic"] == "Сложение дробей"  # R-MRK-9: Cyrillic kept as written


async def test_run_with_a_store_down_fails_by_name_and_stores_nothing_R_ARC_2(
    start_archive: Any, tokens: TestTokens
) -> None:
    archive = await start_archive(archive_store_b_endpoint=closed_port_endpoint())
    journal = ClassJournal()
    await archive.publish_and_wait(journal.envelopes(), journal.school_id)

    response = await run(archive, tokens, journal)

    assert response.status_code == 503, response.text
    problem = response.json()
    assert problem["code"] == "store_failed" and problem["stores"] == ["b"]
    assert "store b" in problem["detail"]
    listed = await archive.client.get(
        "/archive/v1/packages",
        params={"school_id": journal.school_id},
        headers=admin(tokens, journal),
    )
    [failed] = listed.json()["packages"]
    assert failed["status"] == "failed" and failed["stored_at"] is None
    assert await archive.keys("a", f"{journal.school_id}/") == []  # no orphan copy left on A
    content = await archive.client.get(
        f"/archive/v1/packages/{failed['id']}/content", headers=admin(tokens, journal)
    )
    assert content.status_code == 409 and content.json()["code"] == "package_not_stored"
    assert [e for e in archive.events if e.type == PackageStored.ce_type()] == []


async def test_year_end_package_waits_for_the_year_to_close_R_ARC_3(
    archive: ArchiveUnderTest, tokens: TestTokens
) -> None:
    journal = ClassJournal()
    await archive.announce_school(journal.school_registered("Europe/Moscow"))
    await archive.publish_and_wait(journal.envelopes(), journal.school_id)

    refused = await run(archive, tokens, journal, kind="year_end")
    assert refused.status_code == 409 and refused.json()["code"] == "year_not_closed"

    await archive.publish_and_wait([journal.year_closed()], journal.school_id)
    response = await run(archive, tokens, journal, kind="year_end")

    assert response.status_code == 201, response.text
    assert response.json()["kind"] == "year_end" and response.json()["entries"] == 8
    content = await archive.client.get(
        f"/archive/v1/packages/{response.json()['id']}/content", headers=admin(tokens, journal)
    )
    inner, _ = read_package(content.content)
    assert inner["year"]["closed_on"] == "2027-05-31"


async def test_run_for_a_year_the_archive_never_heard_of_is_404(
    archive: ArchiveUnderTest, tokens: TestTokens
) -> None:
    response = await run(archive, tokens, ClassJournal())
    assert response.status_code == 404 and response.json()["code"] == "year_not_found"


async def test_run_rejects_an_unknown_kind_with_422(
    archive: ArchiveUnderTest, tokens: TestTokens
) -> None:
    journal = ClassJournal()
    response = await run(archive, tokens, journal, kind="monthly")
    assert response.status_code == 422 and response.json()["code"] == "validation_error"


async def test_readiness_names_both_stores(archive: ArchiveUnderTest) -> None:
    response = await archive.client.get("/archive/readyz")
    assert response.status_code == 200, response.text
    assert response.json()["checks"]["store_a"] == "ok"
    assert response.json()["checks"]["store_b"] == "ok"
