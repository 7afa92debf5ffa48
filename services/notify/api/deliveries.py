"""The diary feed and e-mails delivered, and the AsyncAPI document of every event."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from contracts import published_events
from kit.app import UseCaseDep
from kit.asyncapi import asyncapi_document
from kit.auth import CurrentUserDep
from kit.errors import problem_responses
from kit.params import Limit
from services.notify import policy
from services.notify.schemas.deliveries import DeliveryList, DeliveryOut
from services.notify.service import telling

router = APIRouter(prefix="/notify", tags=["notify"])


@router.get(
    "/asyncapi.json",
    summary="AsyncAPI document of every event on the platform",
    tags=["events"],
)
async def asyncapi() -> dict[str, Any]:
    return asyncapi_document(published_events())


@router.get(
    "/v1/deliveries",
    response_model=DeliveryList,
    summary="Notifications delivered: your own, or (leaders) anyone's in your school",
    responses=problem_responses(401, 403, 422),
)
async def list_deliveries(
    user: CurrentUserDep,
    uc: UseCaseDep,
    recipient_id: Annotated[str | None, Query(max_length=36)] = None,
    channel: Literal["feed", "email"] | None = None,
    limit: Limit = 100,
) -> DeliveryList:
    school_id, recipient = policy.deliveries_scope(uc.actor, recipient_id)
    rows = await telling.feed(uc, school_id, recipient, channel, limit)
    return DeliveryList(deliveries=[DeliveryOut.model_validate(r) for r in rows])
