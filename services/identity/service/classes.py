"""Classes and enrolments as the journal announces them: who is whose class teacher.

Identity needs them for one rule, R-SEC-2: the class teacher issues credentials to the
students of their class and to those students' parents (and reads and corrects their data,
R-YR-3). The journal owns classes; this is a copy fed by its events.
"""

from __future__ import annotations

from dataclasses import dataclass

from contracts.journal import ClassOpened, ClassUpdated, EnrolmentChanged
from kit.events import Envelope
from kit.usecase import UseCase
from services.identity.models import Account, Guardianship, Person, SchoolClass
from services.identity.policy import Action, authorize
from services.identity.repository import accounts as account_rows
from services.identity.repository import classes as class_rows
from services.identity.repository import guardianships as guardian_rows
from services.identity.repository import people as people_rows
from services.identity.service import relations


async def class_opened(uc: UseCase, event: ClassOpened | ClassUpdated, envelope: Envelope) -> None:
    """A class opened, or its name or class teacher changed (R-SEC-2: who issues whose credentials)."""
    await class_rows.save_class(
        uc.session,
        SchoolClass(
            id=event.class_id,
            school_id=envelope.schoolid or "",
            year_id=event.year_id,
            name=event.name,
            grade=event.grade,
            class_teacher_id=event.class_teacher_id,
        ),
    )


async def enrolment_changed(uc: UseCase, event: EnrolmentChanged, envelope: Envelope) -> None:
    await class_rows.save_enrolment(
        uc.session,
        envelope.schoolid or "",
        event.student_id,
        event.class_id,
        event.change,
        event.date,
        envelope.sequence,
    )


@dataclass(frozen=True)
class Roster:
    school_class: SchoolClass
    students: list[Person]
    parents: dict[str, Person]
    guardianships: list[Guardianship]
    accounts: dict[str, Account]

    def parents_of(self, student_id: str) -> list[Person]:
        """The student's parents in the roster, by id (a stable order for lists and slips)."""
        ids = sorted(g.parent_id for g in self.guardianships if g.student_id == student_id)
        return [self.parents[p] for p in ids if p in self.parents]


async def roster(uc: UseCase, class_id: str, action: Action = Action.read_roster) -> Roster:
    """The class's students and their parents, with their credentials' state (no secrets)."""
    school_class = await relations.class_for(uc, class_id)
    authorize(uc.actor, action, relations.to_class(uc.actor, school_class))
    school_id = school_class.school_id
    student_ids = await class_rows.students_of(uc.session, school_id, class_id)
    students = await people_rows.many(uc.session, school_id, student_ids)
    links = await guardian_rows.guardians_of(uc.session, school_id, student_ids)
    parents = {
        p.id: p for p in await people_rows.many(uc.session, school_id, {g.parent_id for g in links})
    }
    accounts = await account_rows.of_people(uc.session, school_id, [*student_ids, *parents])
    students.sort(key=lambda p: (p.last_name, p.first_name, p.id))
    return Roster(school_class, students, parents, links, accounts)
