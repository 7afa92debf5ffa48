"""The platform's AsyncAPI document (`ej asyncapi`): every event of `contracts/`, and only
those, on the public exchange `edu.events`."""

from __future__ import annotations

from ej.asyncapi import platform_asyncapi

CONTRACT_EVENTS = {
    "identity.school.registered",
    "identity.person.registered",
    "identity.person.updated",
    "identity.guardian.linked",
    "identity.account.compromised",
    "journal.lesson.recorded",
    "journal.mark.recorded",
    "journal.mark.corrected",
    "journal.mark.cancelled",
    "journal.attendance.marked",
    "journal.period_mark.set",
    "journal.period_mark.corrected",
    "journal.enrolment.changed",
    "reports.report.ready",
    "archive.package.stored",
    "archive.fixity.failed",
    "archive.fixity.repaired",
}


def test_every_contract_event_is_in_the_generated_asyncapi_document() -> None:
    doc = platform_asyncapi()
    assert doc["asyncapi"].startswith("3.")
    names = {m["name"].rsplit(".v", 1)[0] for m in doc["components"]["messages"].values()}
    assert CONTRACT_EVENTS <= names


def test_messages_carry_the_envelope_and_the_data_schema() -> None:
    doc = platform_asyncapi()
    message = doc["components"]["messages"]["journal_mark_recorded_v1"]
    data_ref = message["payload"]["allOf"][1]["properties"]["data"]["$ref"]
    schema = doc["components"]["schemas"][data_ref.rsplit("/", 1)[1]]
    assert {"mark_id", "lesson_id", "student_id", "value", "work_type", "weight"} <= set(
        schema["properties"]
    )
    channel = doc["channels"]["journal_mark_recorded"]
    assert channel["address"] == "journal.mark.recorded.{school_id}"
    assert channel["bindings"]["amqp"]["exchange"]["name"] == "edu.events"


def test_internal_messages_and_test_events_are_not_published() -> None:
    """The report workers' items are the reports service's own (its private exchange)."""
    import services.reports.adapters.work_queue  # noqa: F401  (defines reports.task.requested)
    import tests.kit.harness  # noqa: F401  (defines kittest.probe.happened)

    names = {m["name"] for m in platform_asyncapi()["components"]["messages"].values()}
    assert "reports.task.requested.v1" not in names
    assert not any(n.startswith("kittest.") for n in names)
