"""Your e-mail subscription (R-REC-2)."""

from __future__ import annotations

from fastapi import APIRouter

from kit.app import SessionDep
from kit.auth import CurrentUserDep
from kit.errors import problem_responses
from services.notify import policy
from services.notify.api.deps import ClockDep
from services.notify.schemas import SubscriptionIn, SubscriptionOut
from services.notify.service import subscriptions
from services.notify.service.subscriptions import SubscriptionChange

router = APIRouter(prefix="/notify/v1/subscriptions", tags=["subscriptions"])


@router.get(
    "/me",
    response_model=SubscriptionOut,
    summary="Your e-mail subscription (feed only until you subscribe)",
    responses=problem_responses(401, 403),
)
async def my_subscription(user: CurrentUserDep, session: SessionDep) -> SubscriptionOut:
    me = policy.school_member(user)
    found = await subscriptions.current(session, me.school_id, me.person_id)
    return SubscriptionOut.model_validate(found)


@router.put(
    "/me",
    response_model=SubscriptionOut,
    summary="Subscribe to e-mail: at once, or a daily or weekly digest (R-REC-2)",
    responses=problem_responses(401, 403, 422),
)
async def set_my_subscription(
    body: SubscriptionIn, user: CurrentUserDep, session: SessionDep, clock: ClockDep
) -> SubscriptionOut:
    me = policy.school_member(user)
    wanted = SubscriptionChange(body.email, body.email_address, body.digest)
    changed = await subscriptions.change(session, me.school_id, me.person_id, wanted, clock.now())
    return SubscriptionOut.model_validate(changed)
