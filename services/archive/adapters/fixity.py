"""Fixity on the stores: write a copy and verify it, re-hash it, tell what is wrong; the same
on both stores at once, and the repair of a bad copy from a good one.

The archive never trusts a store's own checksums (SeaweedFS's are not an integrity control):
it reads every copy back and compares its SHA-256 with the one it computed (R-ARC-1).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from minio.error import S3Error

from kit.logging import get_logger
from kit.storage import ObjectMissing, ObjectStore
from services.archive.adapters.stores import Stores
from services.archive.rules.fixity import BAD_STATES, CopyCheck, CopyState, good_copy
from services.archive.rules.packaging import MEDIA_TYPE, sha256_of

log = get_logger(__name__)


class CopyNotVerified(Exception):
    """A copy could not be written, or did not read back with the expected SHA-256."""

    def __init__(self, store: str, reason: str) -> None:
        super().__init__(f"store {store}: {reason}")
        self.store, self.reason = store, reason


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:500]


async def check_copy(store: ObjectStore, key: str, expected_sha256: str) -> CopyCheck:
    """Read the copy and re-hash it: ok, corrupt, missing, or unreachable (store down)."""
    try:
        content = await store.get(key)
    except ObjectMissing:
        return CopyCheck(store.name, CopyState.missing, None)
    except S3Error as exc:
        if exc.code == "NoSuchBucket":
            return CopyCheck(store.name, CopyState.missing, None, error=_describe(exc))
        return CopyCheck(store.name, CopyState.unreachable, None, error=_describe(exc))
    except Exception as exc:  # connection refused, timeouts: the store, not the copy
        return CopyCheck(store.name, CopyState.unreachable, None, error=_describe(exc))
    actual = sha256_of(content)
    if actual != expected_sha256:
        return CopyCheck(store.name, CopyState.corrupt, actual)
    return CopyCheck(store.name, CopyState.ok, actual, content)


async def write_verified(store: ObjectStore, key: str, content: bytes, sha256: str) -> None:
    """Write the copy, read it back and compare its SHA-256; raise CopyNotVerified if not."""
    try:
        await store.put(key, content, MEDIA_TYPE)
    except Exception as exc:
        log.warning("archive_copy_write_failed", store=store.name, key=key, error=_describe(exc))
        raise CopyNotVerified(store.name, f"write failed ({_describe(exc)})") from exc
    check = await check_copy(store, key, sha256)
    if not check.intact:
        log.warning("archive_copy_not_verified", store=store.name, key=key, state=check.state)
        raise CopyNotVerified(
            store.name,
            f"read-back {check.state.value}" + (f" ({check.error})" if check.error else ""),
        )


async def discard(store: ObjectStore, key: str) -> None:
    """Remove a copy of a run that failed on the other store (best effort)."""
    try:
        await store.delete(key)
    except Exception as exc:
        log.warning("archive_discard_failed", store=store.name, key=key, error=_describe(exc))


async def write_everywhere(stores: Stores, key: str, content: bytes, sha256: str) -> dict[str, str]:
    """Write and verify on both stores at once; on any failure discard what was written.

    Returns store → why it failed (empty when both copies read back with `sha256`).
    """
    results = await asyncio.gather(
        *(write_verified(store, key, content, sha256) for store in stores),
        return_exceptions=True,
    )
    failures: dict[str, str] = {}
    for store, result in zip(stores, results, strict=True):
        if isinstance(result, CopyNotVerified):
            failures[store.name] = result.reason
        elif isinstance(result, BaseException):
            failures[store.name] = _describe(result)
    if failures:
        for store in stores:
            if store.name not in failures:
                await discard(store, key)
    return failures


async def check_copies(
    stores: Stores, key: str, sha256: str, names: Sequence[str]
) -> list[CopyCheck]:
    """Re-hash the copies on the named stores, all at once."""
    return list(
        await asyncio.gather(*(check_copy(stores.named(name), key, sha256) for name in names))
    )


async def repair(stores: Stores, key: str, sha256: str, checks: Sequence[CopyCheck]) -> set[str]:
    """Rewrite each corrupt or missing copy from an intact one and verify it; the stores
    repaired (none when no intact copy is left)."""
    good = good_copy(checks)
    if good is None:
        return set()
    repaired: set[str] = set()
    for check in checks:
        if check.state not in BAD_STATES:
            continue
        try:
            await write_verified(stores.named(check.store), key, good, sha256)
            repaired.add(check.store)
        except CopyNotVerified as exc:
            log.error("archive_repair_failed", key=key, store=exc.store)
    return repaired
