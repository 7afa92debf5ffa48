"""Internal mail (R-NTF-1, R-NTF-2), and whom you may write to."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from kit.app import UseCaseDep
from kit.auth import CurrentUserDep
from kit.errors import problem_responses
from kit.idempotency import IdempotencyKey, idempotent
from kit.params import Limit, LimitUpTo
from services.notify import policy
from services.notify.api.deps import LimitsDep
from services.notify.models import idempotency
from services.notify.schemas.messages import (
    MessageIn,
    MessageList,
    MessageOut,
    MessageRecipientOut,
    PersonList,
    PersonOut,
)
from services.notify.service import messages, notices
from services.notify.service.messages import Draft, Letter, Sender

router = APIRouter(prefix="/notify/v1", tags=["messages"])

MessageId = Annotated[str, Path(max_length=36)]


@router.post(
    "/messages",
    response_model=MessageOut,
    status_code=201,
    summary="Send a message to people of your school (staff: anyone; others: staff only); "
    "a sender's messages are limited per minute and per day (429 `too_many_messages`)",
    responses=problem_responses(401, 403, 409, 422, 429),
)
async def send_message(
    body: MessageIn,
    user: CurrentUserDep,
    uc: UseCaseDep,
    allowed: LimitsDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    me = policy.school_member(uc.actor)
    sender = Sender(me.school_id, me.person_id, user.roles)
    draft = Draft(body.recipient_ids, body.subject, body.body)

    async def run() -> MessageOut:
        return _out(await messages.send(uc, sender, draft, allowed))

    return await idempotent(uc.session, idempotency, idempotency_key, user.account_id, body, run)


@router.get(
    "/messages",
    response_model=MessageList,
    summary="Your inbox or your sent messages, newest first",
    responses=problem_responses(401, 403, 422),
)
async def list_messages(
    user: CurrentUserDep,
    uc: UseCaseDep,
    box: Literal["inbox", "sent"] = "inbox",
    unread: Annotated[bool, Query(description="inbox: only unread messages")] = False,
    limit: LimitUpTo(200) = 50,
) -> MessageList:
    me = policy.school_member(uc.actor)
    letters = await messages.box(
        uc, me.school_id, me.person_id, box, unread_only=unread, limit=limit
    )
    count = await messages.unread(uc, me.school_id, me.person_id)
    return MessageList(box=box, unread=count, messages=[_out(letter) for letter in letters])


@router.get(
    "/messages/{message_id}",
    response_model=MessageOut,
    summary="One message you sent or received",
    responses=problem_responses(401, 403, 404, 422),
)
async def get_message(message_id: MessageId, user: CurrentUserDep, uc: UseCaseDep) -> MessageOut:
    me = policy.school_member(uc.actor)
    return _out(await messages.read(uc, me.school_id, me.person_id, message_id))


@router.post(
    "/messages/{message_id}/read",
    response_model=MessageOut,
    summary="Mark a message of your inbox read",
    responses=problem_responses(401, 403, 404, 422),
)
async def mark_read(message_id: MessageId, user: CurrentUserDep, uc: UseCaseDep) -> MessageOut:
    me = policy.school_member(uc.actor)
    letter = await messages.mark_read(uc, me.school_id, me.person_id, message_id)
    return _out(letter)


@router.get(
    "/recipients",
    response_model=PersonList,
    summary="People of your school you may write to (students and parents: staff only)",
    responses=problem_responses(401, 403, 422),
)
async def recipients(
    user: CurrentUserDep,
    uc: UseCaseDep,
    role: Annotated[str | None, Query(max_length=40)] = None,
    q: Annotated[str | None, Query(max_length=100, description="part of a name")] = None,
    limit: Limit = 100,
) -> PersonList:
    me = policy.school_member(uc.actor)
    found = await messages.directory(
        uc, me.school_id, kinds=policy.directory_kinds(uc.actor), role=role, name=q, limit=limit
    )
    return PersonList(
        people=[
            PersonOut(
                id=p.person_id,
                name=notices.full_name(p.last_name, p.first_name, p.middle_name),
                kind=p.kind,
                roles=p.roles or [],
            )
            for p in found
        ]
    )


def _out(letter: Letter) -> MessageOut:
    m = letter.message
    return MessageOut(
        id=m.id,
        sender_id=m.sender_id,
        sender_name=letter.sender_name,
        subject=m.subject,
        body=m.body,
        sent_at=m.sent_at,
        read_at=letter.read_at,
        recipients=[
            MessageRecipientOut(id=r.recipient_id, name=name, read_at=r.read_at)
            for r, name in letter.recipients
        ],
    )
