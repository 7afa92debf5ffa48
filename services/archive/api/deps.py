"""What the archive's endpoints are given besides the kit's use-case context: the archive's
long work (runs and audits, each step its own unit of work) and its two stores."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Query, Request

from services.archive.adapters.stores import Stores
from services.archive.worker import ArchiveWork


def archive_work_of(request: Request) -> ArchiveWork:
    return request.app.state.archive_work  # type: ignore[no-any-return]


def stores_of(request: Request) -> Stores:
    return archive_work_of(request).stores


ArchiveWorkDep = Annotated[ArchiveWork, Depends(archive_work_of)]
StoresDep = Annotated[Stores, Depends(stores_of)]

PackageId = Annotated[str, Path(min_length=1, max_length=36)]
SchoolFilter = Annotated[str | None, Query(min_length=1, max_length=36)]
