"""Fixity of one copy on one store: write and verify, re-hash, tell what is wrong.

The archive never trusts a store's own checksums (SeaweedFS's are not an integrity control):
it reads every copy back and compares its SHA-256 with the one it computed (R-ARC-1).
"""

from __future__ import annotations

from dataclasses import dataclass

from minio.error import S3Error

from kit.logging import get_logger
from kit.storage import ObjectMissing, ObjectStore
from services.archive.models import CopyState
from services.archive.packaging import MEDIA_TYPE, sha256_of

log = get_logger(__name__)


class CopyNotVerified(Exception):
    """A copy could not be written, or did not read back with the expected SHA-256."""

    def __init__(self, store: str, reason: str) -> None:
        super().__init__(f"store {store}: {reason}")
        self.store, self.reason = store, reason


@dataclass(frozen=True)
class CopyCheck:
    """What reading one copy found; `content` is kept only when the copy is intact."""

    store: str
    state: CopyState
    sha256: str | None
    content: bytes | None = None
    error: str | None = None

    @property
    def intact(self) -> bool:
        return self.state is CopyState.ok


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
