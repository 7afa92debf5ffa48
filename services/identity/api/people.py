"""People of a school: add, import a class list, find, read, correct, link to guardians."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Query, Response, UploadFile

from kit.app import UseCaseDep
from kit.errors import problem_responses
from kit.params import Id, Limit, Offset
from services.identity.api.deps import IdentityDep
from services.identity.api.shapes import import_report_out, person_out, summary
from services.identity.rules.csv_rows import MAX_BYTES
from services.identity.rules.person_fields import PersonDraft
from services.identity.schemas.people import (
    GuardianshipIn,
    GuardianshipOut,
    ImportReportOut,
    PersonIn,
    PersonList,
    PersonOut,
    PersonPatch,
    RosterOut,
    RosterStudent,
)
from services.identity.service import classes, guardianships, people, people_import

router = APIRouter(prefix="/identity/v1", tags=["people"])


@router.post(
    "/schools/{school_id}/people",
    status_code=201,
    response_model=PersonOut,
    summary="Add a person: staff (administrator), students and parents (also secretary, "
    "class teacher); the operator adds a school's first administrator",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def create_person(school_id: Id, body: PersonIn, uc: UseCaseDep) -> PersonOut:
    draft = PersonDraft(**body.model_dump(exclude={"roles"}), roles=tuple(body.roles))
    person = await people.create(uc, school_id, draft)
    return person_out(await people.view_of(uc, person))


@router.post(
    "/schools/{school_id}/people:import",
    response_model=ImportReportOut,
    summary="Import people from CSV (UTF-8 or Windows-1251, ';' or ','): preview every row, "
    "or commit all of them or none",
    responses=problem_responses(401, 403, 404, 409, 413, 422),
)
async def import_people(
    school_id: Id,
    file: Annotated[UploadFile, File(description="the class list, CSV")],
    uc: UseCaseDep,
    mode: Annotated[Literal["preview", "commit"], Query()] = "preview",
    encoding: Annotated[Literal["utf-8", "windows-1251"] | None, Query()] = None,
    default_kind: Annotated[Literal["staff", "student", "parent"] | None, Query()] = None,
) -> ImportReportOut:
    data = await file.read(MAX_BYTES + 1)
    report = await people_import.import_people(
        uc,
        school_id,
        data,
        commit=mode == "commit",
        encoding=encoding,
        default_kind=default_kind,
    )
    return import_report_out(report, mode)


@router.get(
    "/schools/{school_id}/people",
    response_model=PersonList,
    summary="Find people of the school by kind and name (names only, no personal data)",
    responses=problem_responses(401, 403, 404, 422),
)
async def list_people(
    school_id: Id,
    uc: UseCaseDep,
    kind: Annotated[Literal["staff", "student", "parent"] | None, Query()] = None,
    q: Annotated[str | None, Query(max_length=64, description="part of a name")] = None,
    incomplete: Annotated[
        bool, Query(description="only records lacking R-YR-3 fields (birth date, sex, e-mail)")
    ] = False,
    limit: Limit = 100,
    offset: Offset = 0,
) -> PersonList:
    found, accounts = await people.search(
        uc,
        school_id,
        kind=kind,
        text=q,
        limit=limit,
        offset=offset,
        incomplete=incomplete,
    )
    return PersonList(people=[summary(p, accounts.get(p.id)) for p in found])


@router.get(
    "/people/{person_id}",
    response_model=PersonOut,
    summary="A person's record; a read by staff is written to the access log (R-SEC-1)",
    responses=problem_responses(401, 403, 404),
)
async def read_person(person_id: Id, uc: UseCaseDep) -> PersonOut:
    return person_out(await people.read(uc, person_id))


@router.patch(
    "/people/{person_id}",
    response_model=PersonOut,
    summary="Correct a person's data; change a staff member's roles (administrator)",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def update_person(
    person_id: Id, body: PersonPatch, uc: UseCaseDep, identity: IdentityDep
) -> PersonOut:
    changes = body.model_dump(exclude_unset=True)
    return person_out(await people.update(uc, identity, person_id, changes))


@router.post(
    "/guardianships",
    status_code=201,
    response_model=GuardianshipOut,
    summary="Link a parent to a student (200 when they already were)",
    responses={
        200: {"model": GuardianshipOut, "description": "already linked"},
        **problem_responses(401, 403, 404, 422),
    },
)
async def link_guardian(
    body: GuardianshipIn,
    uc: UseCaseDep,
    response: Response,
) -> GuardianshipOut:
    created = await guardianships.link(uc, body.parent_id, body.student_id)
    if not created:
        response.status_code = 200
    return GuardianshipOut(parent_id=body.parent_id, student_id=body.student_id, created=created)


@router.get(
    "/classes/{class_id}/roster",
    response_model=RosterOut,
    summary="A class's students and their parents, with the state of their credentials",
    responses=problem_responses(401, 403, 404),
)
async def class_roster(class_id: Id, uc: UseCaseDep) -> RosterOut:
    found = await classes.roster(uc, class_id)
    students = [
        RosterStudent(
            **summary(s, found.accounts.get(s.id)).model_dump(),
            guardians=[summary(p, found.accounts.get(p.id)) for p in found.parents_of(s.id)],
        )
        for s in found.students
    ]
    c = found.school_class
    return RosterOut(
        class_id=c.id,
        name=c.name,
        grade=c.grade,
        class_teacher_id=c.class_teacher_id,
        students=students,
    )
