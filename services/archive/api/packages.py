"""Reading the archive: packages, their manifests and their content."""

from __future__ import annotations

import base64
import hashlib
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from kit.app import UseCaseDep
from kit.auth import CurrentUserDep
from kit.errors import problem_responses
from kit.params import Limit
from services.archive import policy
from services.archive.api.deps import PackageId, SchoolFilter, StoresDep
from services.archive.rules.packaging import MEDIA_TYPE
from services.archive.schemas.packages import PackageList, PackageManifest, PackageOut
from services.archive.service import packages

router = APIRouter(prefix="/archive", tags=["archive"])


@router.get(
    "/v1/packages",
    response_model=PackageList,
    summary="Packages of a school, newest first (every school's for the operator)",
    responses=problem_responses(401, 403, 404, 422),
)
async def list_packages(
    user: CurrentUserDep,
    uc: UseCaseDep,
    school_id: SchoolFilter = None,
    year_id: Annotated[str | None, Query(min_length=1, max_length=36)] = None,
    kind: Literal["weekly", "year_end"] | None = None,
    limit: Limit = 100,
) -> PackageList:
    scope = policy.read_scope(uc.actor, school_id)
    views = await packages.listed(uc, scope, year_id=year_id, kind=kind, limit=limit)
    return PackageList(packages=[PackageOut.of(view) for view in views])


@router.get(
    "/v1/packages/{package_id}",
    response_model=PackageManifest,
    summary="A package's manifest: files, sizes, SHA-256, where each copy lives, last verified",
    responses=problem_responses(401, 403, 404, 422),
)
async def get_package(
    package_id: PackageId, user: CurrentUserDep, uc: UseCaseDep
) -> PackageManifest:
    scope = policy.read_scope(uc.actor, None)
    return PackageManifest.of(await packages.readable(uc, package_id, scope))


@router.get(
    "/v1/packages/{package_id}/content",
    response_class=Response,
    summary="The package itself (ZIP), from a copy that re-hashes right",
    responses={
        200: {
            "content": {MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}},
            "description": "the package; `X-Archive-Store` names the store that served it",
        },
        **problem_responses(401, 403, 404, 409, 422, 503),
    },
)
async def get_content(
    package_id: PackageId, user: CurrentUserDep, uc: UseCaseDep, stores: StoresDep
) -> Response:
    """R-ARC-1: served only from a copy whose SHA-256 matches; a bad copy falls back to the
    other store. The city operator is refused (403 `operator_reads_no_records`)."""
    scope = policy.content_scope(uc.actor)
    view = await packages.readable(uc, package_id, scope)
    content, store = await packages.content(stores, view)
    digest = base64.b64encode(hashlib.sha256(content).digest()).decode()
    filename = f"{view.package.kind}-{view.package.id}.zip"
    return Response(
        content,
        media_type=MEDIA_TYPE,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Repr-Digest": f"sha-256=:{digest}:",
            "X-Archive-Store": store,
        },
    )
