from kit.asyncapi import asyncapi_document

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
    doc = asyncapi_document()
    assert doc["asyncapi"].startswith("3.")
    names = {m["name"].rsplit(".v", 1)[0] for m in doc["components"]["messages"].values()}
    assert CONTRACT_EVENTS <= names


def test_messages_carry_the_envelope_and_the_data_schema() -> None:
    doc = asyncapi_document()
    message = doc["components"]["messages"]["journal_mark_recorded_v1"]
    data_ref = message["payload"]["allOf"][1]["properties"]["data"]["$ref"]
    schema = doc["components"]["schemas"][data_ref.rsplit("/", 1)[1]]
    assert {"mark_id", "lesson_id", "student_id", "value", "work_type", "weight"} <= set(
        schema["properties"]
    )
    channel = doc["channels"]["journal_mark_recorded"]
    assert channel["address"] == "journal.mark.recorded.{school_id}"


def test_events_defined_by_tests_are_not_published() -> None:
    import tests.kit.harness  # noqa: F401  (defines kittest.probe.happened)

    names = {m["name"] for m in asyncapi_document()["components"]["messages"].values()}
    assert not any(n.startswith("kittest.") for n in names)
