"""Queries of a class's subgroups and their members (R-REC-6)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.journal.models import GroupMember, StudyGroup


async def add_group(session: AsyncSession, group: StudyGroup, members: Iterable[str]) -> None:
    """The group, then its members in one statement."""
    session.add(group)
    await session.flush()
    rows = [{"school_id": group.school_id, "group_id": group.id, "student_id": s} for s in members]
    if rows:
        await session.execute(insert(GroupMember), rows)


async def group_members(session: AsyncSession, group_id: str) -> set[str]:
    rows = await session.execute(
        select(GroupMember.student_id).where(GroupMember.group_id == group_id)
    )
    return set(rows.scalars())


async def members_of_groups(session: AsyncSession, group_ids: Iterable[str]) -> set[str]:
    """The students of any of these groups (R-REC-6: a subgroup teacher's students)."""
    wanted = set(group_ids)
    if not wanted:
        return set()
    rows = await session.execute(
        select(GroupMember.student_id).where(GroupMember.group_id.in_(wanted))
    )
    return set(rows.scalars())


async def groups_of_student(session: AsyncSession, school_id: str, student_id: str) -> set[str]:
    rows = await session.execute(
        select(GroupMember.group_id).where(
            GroupMember.school_id == school_id, GroupMember.student_id == student_id
        )
    )
    return set(rows.scalars())
