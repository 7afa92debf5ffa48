"""Webhooks for integrators: the operator for any school, a school admin for their own."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response

from kit.app import UseCaseDep
from kit.auth import CurrentUserDep
from kit.errors import Invalid, problem_responses
from kit.params import Limit
from services.notify import policy
from services.notify.schemas.webhooks import (
    WebhookCreated,
    WebhookDeliveryList,
    WebhookDeliveryOut,
    WebhookIn,
    WebhookList,
    WebhookOut,
)
from services.notify.service import webhooks

router = APIRouter(prefix="/notify/v1/webhooks", tags=["webhooks"])

WebhookId = Annotated[str, Path(max_length=36)]
MAX_URL = 2000


@router.post(
    "",
    response_model=WebhookCreated,
    status_code=201,
    summary="Subscribe a URL to a school's events; the signing secret is shown only here",
    responses=problem_responses(401, 403, 404, 422),
)
async def create_webhook(body: WebhookIn, user: CurrentUserDep, uc: UseCaseDep) -> WebhookCreated:
    school_id = policy.webhook_school(uc.actor, body.school_id)
    url = str(body.url)
    if len(url) > MAX_URL:
        raise Invalid(f"url: at most {MAX_URL} characters", code="url_too_long")
    webhook, secret = await webhooks.register(uc, school_id, url, body.event_types, user.account_id)
    return WebhookCreated(**WebhookOut.model_validate(webhook).model_dump(), secret=secret)


@router.get(
    "",
    response_model=WebhookList,
    summary="A school's webhooks (without their secrets)",
    responses=problem_responses(401, 403, 404, 422),
)
async def list_webhooks(
    user: CurrentUserDep,
    uc: UseCaseDep,
    school_id: Annotated[str, Query(max_length=36)],
) -> WebhookList:
    school = policy.webhook_school(uc.actor, school_id)
    found = await webhooks.of_school(uc, school)
    return WebhookList(webhooks=[WebhookOut.model_validate(w) for w in found])


@router.get(
    "/{webhook_id}",
    response_model=WebhookOut,
    summary="One webhook (without its secret)",
    responses=problem_responses(401, 403, 404, 422),
)
async def get_webhook(webhook_id: WebhookId, user: CurrentUserDep, uc: UseCaseDep) -> WebhookOut:
    webhook = await webhooks.find(uc, webhook_id, policy.webhook_scope(uc.actor))
    return WebhookOut.model_validate(webhook)


@router.delete(
    "/{webhook_id}",
    status_code=204,
    response_class=Response,
    summary="Stop a webhook; its pending deliveries are cancelled",
    responses=problem_responses(401, 403, 404, 422),
)
async def delete_webhook(webhook_id: WebhookId, user: CurrentUserDep, uc: UseCaseDep) -> Response:
    await webhooks.remove(uc, webhook_id, policy.webhook_scope(uc.actor))
    return Response(status_code=204)


@router.get(
    "/{webhook_id}/deliveries",
    response_model=WebhookDeliveryList,
    summary="What was sent to the webhook, newest first, with the outcome of each",
    responses=problem_responses(401, 403, 404, 422),
)
async def webhook_deliveries(
    webhook_id: WebhookId,
    user: CurrentUserDep,
    uc: UseCaseDep,
    status: Literal["pending", "delivered", "failed", "cancelled"] | None = None,
    limit: Limit = 100,
) -> WebhookDeliveryList:
    rows = await webhooks.deliveries(uc, webhook_id, policy.webhook_scope(uc.actor), status, limit)
    return WebhookDeliveryList(deliveries=[WebhookDeliveryOut.model_validate(r) for r in rows])
