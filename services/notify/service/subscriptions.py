"""A person's e-mail subscription (R-REC-2: parents may subscribe to e-mail delivery).

Identity keeps e-mail addresses private and never puts them in events, so the subscriber
gives the address here. Switching e-mail on needs an address, given now or kept from before.
"""

from __future__ import annotations

from dataclasses import dataclass

from kit.errors import Invalid
from kit.usecase import UseCase
from services.notify.models import Subscription
from services.notify.repository import subscriptions


@dataclass(frozen=True)
class SubscriptionChange:
    email: bool
    email_address: str | None
    digest: str


async def current(uc: UseCase, school_id: str, person_id: str) -> Subscription:
    """The person's subscription, or the default (feed only, no e-mail) when never set."""
    found = await subscriptions.of_person(uc.session, school_id, person_id)
    if found is not None:
        return found
    return Subscription(
        person_id=person_id, school_id=school_id, email=False, email_address=None, digest="none"
    )


async def change(
    uc: UseCase, school_id: str, person_id: str, wanted: SubscriptionChange
) -> Subscription:
    """R-REC-2: set the person's e-mail delivery and digest."""
    session, now = uc.session, uc.now
    found = await subscriptions.of_person(session, school_id, person_id)
    address = wanted.email_address or (found.email_address if found else None)
    if wanted.email and not address:
        raise Invalid("give email_address to receive e-mail", code="email_address_required")
    if found is None:
        found = Subscription(person_id=person_id, school_id=school_id)
        subscriptions.add(session, found)
    found.email = wanted.email
    found.email_address = address
    found.digest = wanted.digest
    found.updated_at = now
    await session.flush()
    return found
