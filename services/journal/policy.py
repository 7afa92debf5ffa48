"""Who may do what to which object (R-REC-3…5, R-YR-1, R-MRK-6, R-SEC-4). One place.

Objects of another school never reach these functions: the repository loads them within the
asker's school, so they answer 404 before any question of rights. These functions answer the
rest with 403 (`Forbidden`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from contracts.identity import Role
from kit.errors import Forbidden, NotFound
from kit.usecase import Actor

LEADERS = (Role.school_admin, Role.director, Role.deputy)
"""Read the whole school's journal."""
SETUP = (Role.school_admin,)
"""Open the year: periods, subjects, classes, assignments (R-YR-1)."""
YEAR_CLOSERS = (Role.school_admin, Role.director)
ENROLLERS = (Role.school_admin, Role.secretary)
GROUP_KEEPERS = (Role.school_admin, Role.deputy)
"""R-REC-6 (B.1.6): subgroup membership is set by the deputy with the teachers."""
SCHEDULERS = (Role.school_admin, Role.scheduler)
SUBSTITUTORS = (Role.school_admin, Role.scheduler, Role.deputy)
EXPORTERS = (Role.operator, Role.school_admin, Role.director, Role.deputy)
"""The operator's one read of records: the export a reports rebuild pages through (logged)."""
AUDITORS = (Role.operator, Role.school_admin, Role.director, Role.deputy)
"""The history chain's check (ids and hashes, no records): the operator runs audits."""
RECORD_AUDITORS = (Role.school_admin, Role.director, Role.deputy)
"""Invalidated changes carry the records' values before and after: the school's leaders."""


@dataclass(frozen=True)
class Teaching:
    """What the asker teaches in one class: (subject, group or None) pairs."""

    pairs: frozenset[tuple[str, str | None]]
    is_class_teacher: bool = False

    def subjects(self) -> set[str]:
        return {s for s, _ in self.pairs}

    def covers(self, subject_id: str, group_id: str | None) -> bool:
        """R-REC-3 / R-REC-6: the whole class's subject, or exactly this group of it."""
        return (subject_id, None) in self.pairs or (
            group_id is not None and (subject_id, group_id) in self.pairs
        )

    def groups_of(self, subject_id: str) -> set[str] | None:
        """R-REC-6: the groups of this subject the asker teaches; None means the whole class."""
        if (subject_id, None) in self.pairs:
            return None
        return {g for s, g in self.pairs if s == subject_id and g is not None}


def no_operator(actor: Actor) -> None:
    """The README's promise: the city operator never reads people or journals, and never writes
    a school's journal (the school's own admin, director and deputy set up the year). Every
    journal endpoint asks this, except the two the operator's work needs (the export a reports
    rebuild pages through, and the history chain's check)."""
    if actor.is_operator:
        raise Forbidden(
            "the city operator reads no people or journals and writes no school's journal",
            code="operator_reads_no_journal",
        )


def school(actor: Actor, school_id: str) -> None:
    """A path naming a school: only its own people (and the city operator) see it exists."""
    if not actor.is_operator and actor.school_id != school_id:
        raise NotFound("no such school", code="school_not_found")


def require(actor: Actor, roles: Iterable[str], what: str) -> None:
    if not actor.has_any(*roles):
        raise Forbidden(f"your role may not {what}", code="forbidden")


def may_setup(actor: Actor) -> None:
    require(actor, SETUP, "set up the school year")


def may_close_year(actor: Actor) -> None:
    require(actor, YEAR_CLOSERS, "close the year")


def may_enrol(actor: Actor) -> None:
    require(actor, ENROLLERS, "enrol or move students")


def may_keep_groups(actor: Actor) -> None:
    require(actor, GROUP_KEEPERS, "set subgroups")


def may_schedule(actor: Actor) -> None:
    require(actor, SCHEDULERS, "keep the timetable")


def may_substitute(actor: Actor) -> None:
    require(actor, SUBSTITUTORS, "record substitutions")


def may_export(actor: Actor) -> None:
    require(actor, EXPORTERS, "export the journal")


def may_audit(actor: Actor) -> None:
    require(actor, AUDITORS, "read the history audit")


def may_read_invalidated(actor: Actor) -> None:
    require(actor, RECORD_AUDITORS, "read the invalidated changes")


def may_create_lesson(actor: Actor, teaching: Teaching, subject_id: str, group: str | None) -> None:
    """School admin, scheduler, or the teacher assigned to that class (or group) and subject."""
    if actor.has_any(*SCHEDULERS):
        return
    if actor.has_any(Role.teacher) and teaching.covers(subject_id, group):
        return
    raise Forbidden("you do not teach this subject in this class", code="not_your_class")


def may_write_lesson(actor: Actor, teacher_id: str, substitute_id: str | None) -> None:
    """R-REC-3, R-REC-7: the lesson's teacher, or the colleague recorded as substituting."""
    if actor.person_id is not None and actor.has_any(Role.teacher):
        if actor.person_id == (substitute_id or teacher_id) or actor.person_id == teacher_id:
            return
    raise Forbidden("only the lesson's teacher or substitute writes in it", code="not_your_lesson")


def may_set_reasons(actor: Actor, class_teacher_id: str | None) -> None:
    """R-LES-5: the class teacher sets and corrects the reasons of absences."""
    if actor.person_id is not None and actor.person_id == class_teacher_id:
        return
    raise Forbidden("only the class teacher sets reasons", code="not_class_teacher")


def may_set_period_marks(actor: Actor, teaching: Teaching, subject_id: str) -> set[str] | None:
    """R-MRK-7, R-REC-6: the subject teacher of the class (or of a group of it) sets period
    marks. Answers the groups whose students they may mark (None: the whole class); the use case
    refuses any other student as lesson marks do (`student_not_in_group`)."""
    if actor.has_any(Role.teacher) and subject_id in teaching.subjects():
        return teaching.groups_of(subject_id)
    raise Forbidden("only the subject's teacher sets period marks", code="not_your_class")


def may_correct_period_mark(actor: Actor) -> None:
    """R-MRK-6: only the deputy director corrects a period mark."""
    require(actor, (Role.deputy,), "correct a period mark (deputy only)")


def reads_whole_school(actor: Actor) -> bool:
    """Leaders read every class's journal: no need to look up what they teach."""
    return actor.has_any(*LEADERS)


def readable_subjects(actor: Actor, teaching: Teaching) -> set[str] | None:
    """R-REC-4, R-REC-3: subjects of a class's journal the asker reads; None means all."""
    if actor.has_any(*LEADERS) or teaching.is_class_teacher:
        return None
    if actor.has_any(Role.teacher) and teaching.pairs:
        return teaching.subjects()
    raise Forbidden("you may not read this class's journal", code="not_your_class")


def may_read_diary(
    actor: Actor, student_id: str, *, is_guardian: bool, teaches_student: bool
) -> None:
    """R-REC-1/2/5: the student, their parents, and staff who teach or lead them."""
    if actor.person_id == student_id and actor.has_any(Role.student):
        return
    if is_guardian and actor.has_any(Role.parent):
        return
    if actor.has_any(*LEADERS):
        return
    if teaches_student and actor.has_any(Role.teacher):
        return
    raise Forbidden("you may not read this diary", code="not_your_student")


def may_read_own_day(actor: Actor) -> None:
    """A teacher's own day (R-LES-1, R-LES-3, R-LES-4, R-MRK-2): only a teacher has lessons of
    their own to fill."""
    if actor.person_id is None or not actor.has_any(Role.teacher):
        raise Forbidden("only a teacher has a day of lessons", code="forbidden")


def may_read_teacher_day(actor: Actor, teacher_id: str) -> None:
    """A teacher's day: the teacher, and the school's leaders, who read the whole journal
    (R-REC-4) and monitor the timeliness of its filling (R-RPT-2)."""
    if actor.person_id == teacher_id and actor.has_any(Role.teacher):
        return
    if actor.has_any(*LEADERS):
        return
    raise Forbidden("you may read only your own day", code="not_your_day")
