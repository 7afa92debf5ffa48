"""Internal mail (R-NTF-1, R-NTF-2).

R-NTF-1: class teachers inform parents about performance and behaviour through internal mail
(or e-mail: a recipient subscribed to e-mail also gets the message that way). R-NTF-2: class
teachers tell the deputy director when subject teachers are late with marks, by the same
mail. Staff write to anyone of their school; students and parents only to staff. A
recipient outside the sender's school is refused exactly like one that does not exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.notify import MessageSent
from kit.errors import Forbidden, Invalid, NotFound
from kit.usecase import UseCase
from services.notify import policy
from services.notify.models import Message, MessageRecipient, Person
from services.notify.repository import messages, people
from services.notify.service import notices
from services.notify.service.limits import NotifyLimits
from services.notify.service.telling import Source, tell


@dataclass(frozen=True)
class Sender:
    school_id: str
    person_id: str
    roles: frozenset[str]


@dataclass(frozen=True)
class Draft:
    recipient_ids: Sequence[str]
    subject: str
    body: str


@dataclass
class Letter:
    """A message as one reader sees it: with names, and their own read mark."""

    message: Message
    sender_name: str | None
    recipients: list[tuple[MessageRecipient, str | None]] = field(default_factory=list)
    read_at: dt.datetime | None = None
    is_recipient: bool = False


async def send(uc: UseCase, sender: Sender, draft: Draft, allowed: NotifyLimits) -> Letter:
    """R-NTF-1/R-NTF-2: deliver to every recipient's inbox (and e-mail, by subscription);
    a deliverable letter counts against the sender's limits (429 past them)."""
    session, now = uc.session, uc.now
    recipient_ids = list(dict.fromkeys(draft.recipient_ids))
    found = await people.people_by_id(session, sender.school_id, recipient_ids)
    _check_recipients(sender, recipient_ids, found)
    await allowed.message(sender.school_id, sender.person_id)
    message = Message(
        school_id=sender.school_id,
        sender_id=sender.person_id,
        subject=draft.subject,
        body=draft.body,
        sent_at=now,
    )
    await messages.add(session, message, recipient_ids)
    sender_name = await _name_of(session, sender.school_id, sender.person_id)
    notice = notices.new_message(sender_name, draft.subject, draft.body)
    source = Source(message.id, MessageSent.ce_type())
    await tell(uc, sender.school_id, recipient_ids, notice, source, feed=False)
    await uc.publish(
        sender.school_id,
        [
            MessageSent(
                message_id=message.id,
                school_id=sender.school_id,
                sender_id=sender.person_id,
                recipient_ids=recipient_ids,
            )
        ],
    )
    return await _letter(session, message, reader=sender.person_id)


def _check_recipients(sender: Sender, wanted: Sequence[str], found: dict[str, Person]) -> None:
    unknown = [r for r in wanted if r not in found]
    if unknown:
        # the same answer for "no such person" and "a person of another school"
        raise Invalid(
            "unknown recipient(s): " + ", ".join(unknown),
            code="unknown_recipient",
            recipient_ids=unknown,
        )
    refused = [r for r in wanted if not policy.may_write_to(sender.roles, found[r].kind)]
    if refused:
        raise Forbidden(
            "you may write only to the school's staff",
            code="recipient_not_allowed",
            recipient_ids=refused,
        )


async def box(
    uc: UseCase,
    school_id: str,
    person_id: str,
    which: str,
    *,
    unread_only: bool,
    limit: int,
) -> list[Letter]:
    """The person's inbox or sent box, newest first."""
    session = uc.session
    if which == "sent":
        found = await messages.sent(session, school_id, person_id, limit=limit)
    else:
        rows = await messages.inbox(
            session, school_id, person_id, unread_only=unread_only, limit=limit
        )
        found = [m for m, _ in rows]
    return await _letters(session, school_id, found, reader=person_id)


async def directory(
    uc: UseCase,
    school_id: str,
    *,
    kinds: Sequence[str] | None,
    role: str | None,
    name: str | None,
    limit: int,
) -> list[Person]:
    """People of the school one may write to (`kinds` from the policy; None: everyone)."""
    return await people.directory(
        uc.session, school_id, kinds=kinds, role=role, name=name, limit=limit
    )


async def unread(uc: UseCase, school_id: str, person_id: str) -> int:
    """How many messages of the person's inbox are unread."""
    return await messages.unread_count(uc.session, school_id, person_id)


async def read(uc: UseCase, school_id: str, person_id: str, message_id: str) -> Letter:
    """A message its sender or one of its recipients may read; anyone else gets 404."""
    session = uc.session
    message = await messages.message(session, school_id, message_id)
    if message is None:
        raise NotFound("no such message", code="message_not_found")
    letter = await _letter(session, message, reader=person_id)
    if message.sender_id != person_id and not letter.is_recipient:
        raise NotFound("no such message", code="message_not_found")
    return letter


async def mark_read(uc: UseCase, school_id: str, person_id: str, message_id: str) -> Letter:
    """Only a recipient marks a message read (the first time counts)."""
    session, now = uc.session, uc.now
    letter = await read(uc, school_id, person_id, message_id)
    if not letter.is_recipient:
        raise NotFound("no such message in your inbox", code="message_not_found")
    await messages.mark_read(session, school_id, message_id, person_id, now)
    return await read(uc, school_id, person_id, message_id)


async def _letter(session: AsyncSession, message: Message, *, reader: str) -> Letter:
    return (await _letters(session, message.school_id, [message], reader=reader))[0]


async def _letters(
    session: AsyncSession, school_id: str, found: Sequence[Message], *, reader: str
) -> list[Letter]:
    """The sender sees every recipient; a recipient sees only themselves (like a blind copy).
    Two queries for the whole page, whatever its length."""
    rows = await messages.recipients_of(session, school_id, [m.id for m in found])
    shown = {
        m.id: rows[m.id]
        if reader == m.sender_id
        else [r for r in rows[m.id] if r.recipient_id == reader]
        for m in found
    }
    ids = {m.sender_id for m in found} | {r.recipient_id for rs in shown.values() for r in rs}
    names = await people.people_by_id(session, school_id, sorted(ids))
    letters = []
    for m in found:
        own = next((r for r in rows[m.id] if r.recipient_id == reader), None)
        letters.append(
            Letter(
                message=m,
                sender_name=_full(names.get(m.sender_id)),
                recipients=[(r, _full(names.get(r.recipient_id))) for r in shown[m.id]],
                read_at=own.read_at if own else None,
                is_recipient=own is not None,
            )
        )
    return letters


async def _name_of(session: AsyncSession, school_id: str, person_id: str) -> str | None:
    return _full((await people.people_by_id(session, school_id, [person_id])).get(person_id))


def _full(person: Person | None) -> str | None:
    if person is None:
        return None
    return notices.full_name(person.last_name, person.first_name, person.middle_name)
