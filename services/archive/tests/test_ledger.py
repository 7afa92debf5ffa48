"""The archive's ledger of the journal: each event once, each in its own year's package."""

from __future__ import annotations

from typing import Any

from kit.testing.services import eventually
from kit.testing.tokens import TestTokens
from services.archive.rules.packaging import read_package
from services.archive.tests.conftest import ArchiveUnderTest
from services.archive.tests.factories import ClassJournal


async def package_ledger(
    archive: ArchiveUnderTest, tokens: TestTokens, journal: ClassJournal
) -> list[dict[str, Any]]:
    """Run a weekly package of the journal's year and return its ledger lines."""
    headers = tokens.headers(roles=["operator"], school_id=None)
    response = await archive.client.post(
        "/archive/v1/runs",
        json={"school_id": journal.school_id, "year_id": journal.year_id, "kind": "weekly"},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    # the school's administrator reads it: the operator keeps packages without reading them
    reader = tokens.headers(roles=["school_admin"], school_id=journal.school_id)
    content = await archive.client.get(
        f"/archive/v1/packages/{response.json()['id']}/content", headers=reader
    )
    return read_package(content.content)[1]


async def test_ledger_ignores_a_redelivered_event(
    archive: ArchiveUnderTest, tokens: TestTokens
) -> None:
    journal = ClassJournal()
    await archive.publish_and_wait(journal.envelopes(), journal.school_id)
    mark = journal.mark_recorded(value=4)
    await archive.publish_and_wait([mark], journal.school_id)

    await archive.publish([mark, mark])  # the broker delivers it again, twice
    marker = journal.attendance_marked()
    await archive.publish_and_wait([marker], journal.school_id)  # after the redeliveries

    assert await archive.ledger_size(journal.school_id) == 9
    ledger = await package_ledger(archive, tokens, journal)
    assert [e["id"] for e in ledger].count(mark.id) == 1
    assert len(ledger) == 9


async def test_an_event_that_arrives_before_its_class_joins_the_right_year(
    archive: ArchiveUnderTest, tokens: TestTokens
) -> None:
    journal = ClassJournal()
    other_year = ClassJournal(school_id=journal.school_id, year_name="2027/2028")
    opened, *rest = journal.envelopes()
    class_opened = next(e for e in rest if e.type == "journal.class.opened.v1")
    early = [e for e in rest if e is not class_opened]
    # the journal's events may reach the archive out of order (retries): lesson, mark and
    # attendance first, their class last
    await archive.publish_and_wait([opened, other_year.year_opened(), *early], journal.school_id)
    await archive.publish_and_wait([class_opened], journal.school_id)

    ledger = await package_ledger(archive, tokens, journal)
    other = await package_ledger(archive, tokens, other_year)

    late = {
        "journal.mark.recorded.v1",
        "journal.attendance.marked.v1",
        "journal.lesson.recorded.v1",
    }
    assert {e["type"] for e in ledger} >= late
    assert len(ledger) == 7
    assert not {e["type"] for e in other} & late
    assert sorted(e["type"] for e in other) == [
        "journal.subject.defined.v1",
        "journal.year.opened.v1",
    ]


async def test_a_package_holds_its_own_year_and_not_the_next(
    archive: ArchiveUnderTest, tokens: TestTokens
) -> None:
    this_year = ClassJournal()
    next_year = ClassJournal(school_id=this_year.school_id, year_name="2027/2028")
    await archive.publish_and_wait(this_year.envelopes(), this_year.school_id)
    await archive.publish_and_wait(
        [e for e in next_year.envelopes() if e.type != "journal.subject.defined.v1"],
        this_year.school_id,
    )

    ledger = await package_ledger(archive, tokens, this_year)

    ids = {e["subject"] for e in ledger}
    assert this_year.mark_id in ids and next_year.mark_id not in ids
    assert next_year.class_id not in ids and next_year.year_id not in ids
    assert len(ledger) == 7


async def test_years_the_archive_heard_of_are_listed(
    archive: ArchiveUnderTest, tokens: TestTokens
) -> None:
    journal = ClassJournal()
    await archive.publish_and_wait([journal.year_opened()], journal.school_id)

    async def listed() -> list[dict[str, Any]]:
        response = await archive.client.get(
            "/archive/v1/years",
            headers=tokens.headers(roles=["deputy"], school_id=journal.school_id),
        )
        assert response.status_code == 200
        return response.json()["years"]  # type: ignore[no-any-return]

    [year] = await eventually(listed)
    assert year["id"] == journal.year_id and year["name"] == "2026/2027"
    assert (year["starts_on"], year["ends_on"]) == ("2026-09-01", "2027-05-31")


def test_the_archive_listens_to_every_journal_event_and_to_the_schools_zones(
    tmp_path: Any,
) -> None:
    import contracts.journal  # noqa: F401  (registers the journal's events)
    from contracts.identity import SchoolRegistered, SchoolUpdated
    from kit.events import registry
    from services.archive.app import build
    from services.archive.settings import ArchiveSettings

    app = build(ArchiveSettings(mode="embedded", data_dir=tmp_path, archive_store_a_endpoint=None))
    published = {t for t, model in registry().items() if model.producer() == "journal"}
    zones = {SchoolRegistered.ce_type(), SchoolUpdated.ce_type()}
    assert set(app.state.runtime.consumer.handlers) == published | zones
