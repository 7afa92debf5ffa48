"""The school years the archive heard of."""

from __future__ import annotations

from fastapi import APIRouter

from kit.app import UseCaseDep
from kit.auth import CurrentUserDep
from kit.errors import problem_responses
from services.archive import policy
from services.archive.api.deps import SchoolFilter
from services.archive.schemas.years import YearList, YearOut
from services.archive.service import years

router = APIRouter(prefix="/archive", tags=["archive"])


@router.get(
    "/v1/years",
    response_model=YearList,
    summary="School years the archive heard of (what a run can be asked for)",
    responses=problem_responses(401, 403, 404, 422),
)
async def list_years(
    user: CurrentUserDep, uc: UseCaseDep, school_id: SchoolFilter = None
) -> YearList:
    scope = policy.read_scope(uc.actor, school_id)
    return YearList(years=[YearOut.of(y) for y in await years.known(uc, scope)])
