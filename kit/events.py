"""Events and their CloudEvents 1.0 envelope, and the registry of every event type.

Event models live in `contracts/<producer>.py`, subclass `Event` and declare `event_type`
(`<service>.<entity>.<action>`), `version` and `aggregate` (the field naming the aggregate the
event belongs to). The registry maps the CloudEvents `type` (`journal.mark.recorded.v1`) to
the model; the AsyncAPI document is generated from it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from kit.db import new_id, utcnow

_REGISTRY: dict[str, type[Event]] = {}


class Event(BaseModel):
    """A fact that happened, in the past tense; frozen once published."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    event_type: ClassVar[str]
    version: ClassVar[int] = 1
    aggregate: ClassVar[str]
    summary: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "event_type" in cls.__dict__:
            existing = _REGISTRY.get(cls.ce_type())
            if existing is not None and existing.__qualname__ != cls.__qualname__:
                raise TypeError(f"event type {cls.ce_type()} defined twice")
            _REGISTRY[cls.ce_type()] = cls

    @classmethod
    def ce_type(cls) -> str:
        return f"{cls.event_type}.v{cls.version}"

    @classmethod
    def producer(cls) -> str:
        return cls.event_type.split(".", 1)[0]

    @classmethod
    def binding(cls, school_id: str | None = None) -> str:
        """The routing pattern that selects this event (for one school, or all)."""
        return f"{cls.event_type}.{school_id or '*'}"

    def aggregate_id(self) -> str:
        return str(getattr(self, self.aggregate))


def registry() -> dict[str, type[Event]]:
    return dict(_REGISTRY)


class Envelope(BaseModel):
    """CloudEvents 1.0 structured-mode envelope with the platform's extensions."""

    model_config = ConfigDict(extra="ignore")

    specversion: Literal["1.0"] = "1.0"
    id: str = Field(default_factory=new_id)
    source: str
    type: str
    time: dt.datetime = Field(default_factory=utcnow)
    subject: str | None = None
    datacontenttype: str = "application/json"
    dataschema: str | None = None
    schoolid: str | None = None
    actorid: str | None = None
    correlationid: str | None = None
    sequence: int | None = Field(
        default=None, description="monotonic per aggregate (not dense): apply in order"
    )
    data: dict[str, Any]

    @classmethod
    def wrap(
        cls,
        event: Event,
        *,
        school_id: str | None,
        actor_id: str | None = None,
        correlation_id: str | None = None,
    ) -> Envelope:
        return cls(
            source=f"/{event.producer()}",
            type=event.ce_type(),
            subject=event.aggregate_id(),
            dataschema=f"urn:ej:event:{event.ce_type()}",
            schoolid=school_id,
            actorid=actor_id,
            correlationid=correlation_id,
            data=event.model_dump(mode="json"),
        )

    @property
    def event_type(self) -> str:
        """The type without its version: `journal.mark.recorded`."""
        return self.type.rsplit(".v", 1)[0]

    @property
    def routing_key(self) -> str:
        return f"{self.event_type}.{self.schoolid or 'city'}"

    def event(self) -> Event:
        model = _REGISTRY.get(self.type)
        if model is None:
            raise LookupError(f"unknown event type {self.type}")
        return model.model_validate(self.data)
