"""Reading the archive: packages with their copies, and a package's bytes from a copy that
re-hashes right (R-ARC-1)."""

from __future__ import annotations

from kit.errors import Conflict, NotFound, Unavailable
from kit.logging import get_logger
from kit.usecase import UseCase
from services.archive.adapters.fixity import check_copy
from services.archive.adapters.stores import Stores
from services.archive.models import PackageView
from services.archive.repository import packages as package_rows
from services.archive.rules.fixity import CopyState
from services.archive.rules.packaging import PackageStatus

log = get_logger(__name__)


async def listed(
    uc: UseCase,
    scope: str | None,
    *,
    year_id: str | None = None,
    kind: str | None = None,
    limit: int = 100,
) -> list[PackageView]:
    """Packages of the school in `scope` (every school's: None), newest first."""
    packages = await package_rows.packages(
        uc.session, scope, year_id=year_id, kind=kind, limit=limit
    )
    copies = await package_rows.copies_of(uc.session, [p.id for p in packages])
    return [PackageView(p, copies.get(p.id, [])) for p in packages]


async def readable(uc: UseCase, package_id: str, scope: str | None) -> PackageView:
    """A package of the school in `scope` (any school's: None); another school's package is
    not found, as if it did not exist."""
    view = await package_rows.package_with_copies(uc.session, package_id)
    if view is None or (scope is not None and view.package.school_id != scope):
        raise NotFound("no such package", code="package_not_found")
    return view


async def content(stores: Stores, view: PackageView) -> tuple[bytes, str]:
    """The package bytes from the first copy that re-hashes right, and that copy's store.

    Copies last known good are tried first; a bad one is skipped (the audit repairs it).
    """
    package = view.package
    if package.status == PackageStatus.failed.value or not view.copies:
        raise Conflict("this run failed: nothing was archived", code="package_not_stored")
    ordered = sorted(view.copies, key=lambda c: (c.state != CopyState.ok.value, c.store))
    checks = []
    for copy in ordered:
        check = await check_copy(stores.named(copy.store), package.key, package.sha256)
        if check.intact and check.content is not None:
            return check.content, copy.store
        log.warning("archive_copy_skipped", package_id=package.id, check=check.state)
        checks.append(check)
    if any(c.state is CopyState.unreachable for c in checks):
        raise Unavailable(
            "no intact copy could be read now: a store does not answer",
            code="store_unavailable",
        )
    raise Conflict("no intact copy of this package is left", code="package_lost")
