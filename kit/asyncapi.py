"""An AsyncAPI 3.0 document generated from event models.

The kit knows no events: the caller gives the models (the platform's come from
`contracts.published_events()`; `ej asyncapi` and `/notify/asyncapi.json` serve them).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kit.events import Envelope, Event


def asyncapi_document(
    events: Iterable[type[Event]],
    *,
    title: str = "Class journal platform events",
    version: str = "1.0.0",
    exchange: str = "edu.events",
) -> dict[str, Any]:
    """One channel, message and `send` operation per event model, on the topic `exchange`."""
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    envelope_schema = Envelope.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas["CloudEventEnvelope"] = envelope_schema
    for model in sorted(events, key=lambda m: m.ce_type()):
        ce_type = model.ce_type()
        name = ce_type.replace(".", "_")
        data_schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for def_name, definition in data_schema.pop("$defs", {}).items():
            schemas.setdefault(def_name, definition)
        schemas[name] = data_schema
        messages[name] = {
            "name": ce_type,
            "title": model.__name__,
            "summary": model.summary or (model.__doc__ or "").strip(),
            "contentType": "application/cloudevents+json",
            "headers": {"type": "object", "properties": {"ce-type": {"const": ce_type}}},
            "payload": {
                "allOf": [
                    {"$ref": "#/components/schemas/CloudEventEnvelope"},
                    {
                        "type": "object",
                        "properties": {
                            "type": {"const": ce_type},
                            "source": {"const": f"/{model.producer()}"},
                            "data": {"$ref": f"#/components/schemas/{name}"},
                        },
                    },
                ]
            },
        }
        channel = model.event_type.replace(".", "_")
        channels[channel] = {
            "address": f"{model.event_type}.{{school_id}}",
            "parameters": {"school_id": {"description": "the school (tenant) the event is about"}},
            "messages": {name: {"$ref": f"#/components/messages/{name}"}},
            "bindings": {
                "amqp": {
                    "is": "routingKey",
                    "exchange": {"name": exchange, "type": "topic", "durable": True},
                }
            },
        }
        operations[f"publish_{channel}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{channel}"},
            "summary": f"{model.producer()} publishes {model.event_type}",
        }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": title,
            "version": version,
            "description": (
                "Every event travels in a CloudEvents 1.0 structured envelope on the durable "
                f"topic exchange `{exchange}`, routing key "
                "`<service>.<entity>.<action>.<school_id>`. "
                "Extensions: schoolid, actorid, correlationid, sequence (monotonic per aggregate)."
            ),
        },
        "defaultContentType": "application/cloudevents+json",
        "servers": {
            "rabbitmq": {"host": "127.0.0.1:5672", "protocol": "amqp", "protocolVersion": "0-9-1"}
        },
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }
