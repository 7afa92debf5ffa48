"""The AsyncAPI 3.0 document of every event, generated from the models in `contracts/`."""

from __future__ import annotations

from typing import Any

from kit.events import Envelope, registry


def asyncapi_document(
    title: str = "Class journal platform events", version: str = "1.0.0"
) -> dict[str, Any]:
    import contracts  # noqa: F401  (registers every event model)

    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    envelope_schema = Envelope.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas["CloudEventEnvelope"] = envelope_schema
    for ce_type, model in sorted(registry().items()):
        if not model.__module__.startswith("contracts."):
            continue  # events defined by tests are not part of the published language
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
                    "exchange": {"name": "edu.events", "type": "topic", "durable": True},
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
                "topic exchange `edu.events`, routing key `<service>.<entity>.<action>.<school_id>`. "
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
