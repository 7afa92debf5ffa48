"""The kit's AsyncAPI builder documents the event models it is given, and no others."""

from __future__ import annotations

from kit.asyncapi import asyncapi_document
from tests.kit.harness import ProbeHappened


def test_the_document_has_a_channel_and_message_for_each_model_given_and_no_other() -> None:
    doc = asyncapi_document([ProbeHappened], title="probes", exchange="probe.events")
    assert doc["info"]["title"] == "probes"
    assert list(doc["components"]["messages"]) == ["kittest_probe_happened_v1"]
    channel = doc["channels"]["kittest_probe_happened"]
    assert channel["address"] == "kittest.probe.happened.{school_id}"
    assert channel["bindings"]["amqp"]["exchange"]["name"] == "probe.events"
    data = doc["components"]["schemas"]["kittest_probe_happened_v1"]
    assert {"probe_id", "key", "fail"} <= set(data["properties"])


def test_no_model_given_makes_a_document_without_messages() -> None:
    doc = asyncapi_document([])
    assert doc["components"]["messages"] == {} and doc["channels"] == {}
    assert "CloudEventEnvelope" in doc["components"]["schemas"]
