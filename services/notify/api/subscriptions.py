"""Your e-mail subscription (R-REC-2)."""

from __future__ import annotations

from fastapi import APIRouter

from kit.app import UseCaseDep
from kit.auth import CurrentUserDep
from kit.errors import problem_responses
from services.notify import policy
from services.notify.schemas.subscriptions import SubscriptionIn, SubscriptionOut
from services.notify.service import subscriptions
from services.notify.service.subscriptions import SubscriptionChange

router = APIRouter(prefix="/notify/v1/subscriptions", tags=["subscriptions"])


@router.get(
    "/me",
    response_model=SubscriptionOut,
    summary="Your e-mail subscription (feed only until you subscribe)",
    responses=problem_responses(401, 403),
)
async def my_subscription(user: CurrentUserDep, uc: UseCaseDep) -> SubscriptionOut:
    me = policy.school_member(uc.actor)
    found = await subscriptions.current(uc, me.school_id, me.person_id)
    return SubscriptionOut.model_validate(found)


@router.put(
    "/me",
    response_model=SubscriptionOut,
    summary="Subscribe to e-mail: at once, or a daily or weekly digest (R-REC-2)",
    responses=problem_responses(401, 403, 422),
)
async def set_my_subscription(
    body: SubscriptionIn, user: CurrentUserDep, uc: UseCaseDep
) -> SubscriptionOut:
    me = policy.school_member(uc.actor)
    wanted = SubscriptionChange(body.email, body.email_address, body.digest)
    changed = await subscriptions.change(uc, me.school_id, me.person_id, wanted)
    return SubscriptionOut.model_validate(changed)
