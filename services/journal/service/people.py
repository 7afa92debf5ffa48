"""People and guardianships as identity announces them (event-carried state), and the
people a request names, checked against what the journal heard."""

from __future__ import annotations

from collections.abc import Iterable

from contracts.identity import PersonRegistered, PersonUpdated
from kit.errors import Invalid
from services.journal.models import Person
from services.journal.repository import guardianships, people
from services.journal.service.context import Ctx


async def remember_person(ctx: Ctx, event: PersonRegistered | PersonUpdated) -> None:
    """The journal keeps names only: no birth dates or e-mails travel in events."""
    await people.upsert_person(
        ctx.session,
        {
            "id": event.person_id,
            "school_id": event.school_id,
            "kind": event.kind,
            "last_name": event.last_name,
            "first_name": event.first_name,
            "middle_name": event.middle_name,
            "roles": ",".join(sorted(event.roles)),
        },
    )


async def link_guardian(ctx: Ctx, school_id: str, parent: str, student: str) -> None:
    await guardianships.link_guardian(ctx.session, school_id, parent, student)


async def known_people(
    ctx: Ctx, school_id: str, ids: Iterable[str], kind: str
) -> dict[str, Person]:
    """People the journal heard of from identity, of the expected kind, in this school."""
    wanted = {i for i in ids if i}
    found = await people.people(ctx.session, school_id, wanted)
    missing = sorted(wanted - set(found))
    if missing:
        raise Invalid(
            f"the journal does not know {kind} {', '.join(missing)} (not registered in identity "
            "for this school yet)",
            code="unknown_person",
            person_ids=missing,
        )
    wrong = sorted(p.id for p in found.values() if p.kind != kind)
    if wrong:
        raise Invalid(f"{', '.join(wrong)} is not a {kind}", code="wrong_person_kind")
    return found


def full_name(person: Person | None) -> str:
    if person is None:
        return ""
    return " ".join(p for p in (person.last_name, person.first_name, person.middle_name) if p)
