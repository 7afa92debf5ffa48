"""Object storage: S3-compatible stores (minio client) or a local folder (embedded mode).

The `minio` client is synchronous: every call runs in a worker thread, never on the event
loop. Integrity is the caller's business (the archive computes SHA-256 itself); stores only
keep bytes.
"""

from __future__ import annotations

import abc
import io
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import anyio
import urllib3
from minio import Minio
from minio.error import S3Error


class ObjectMissing(Exception):
    pass


@dataclass(frozen=True)
class StoredObject:
    key: str
    size: int


class ObjectStore(abc.ABC):
    name: str

    @abc.abstractmethod
    async def put(
        self, key: str, data: bytes, content_type: str = "application/octet-stream"
    ) -> None: ...

    @abc.abstractmethod
    async def get(self, key: str) -> bytes:
        """Raises ObjectMissing."""

    @abc.abstractmethod
    async def delete(self, key: str) -> None: ...

    @abc.abstractmethod
    async def list(self, prefix: str = "") -> list[StoredObject]: ...

    @abc.abstractmethod
    async def ping(self) -> None: ...

    @abc.abstractmethod
    def describe(self) -> str:
        """Where objects live, for manifests and operators (no secrets)."""


class S3Store(ObjectStore):
    """An S3 bucket. Requests give up in seconds (the minio client's own default waits
    minutes and retries five times), so a store that does not answer fails fast and by name."""

    def __init__(
        self,
        name: str,
        endpoint: str,
        access_key: str,
        secret_key: str,
        bucket: str,
        *,
        connect_timeout: float = 5.0,
        read_timeout: float = 60.0,
        retries: int = 2,
    ) -> None:
        parsed = urlparse(endpoint if "://" in endpoint else f"http://{endpoint}")
        self.name, self.bucket, self.endpoint = name, bucket, endpoint
        self.client = Minio(
            parsed.netloc,
            access_key=access_key,
            secret_key=secret_key,
            secure=parsed.scheme == "https",
            http_client=urllib3.PoolManager(
                timeout=urllib3.Timeout(connect=connect_timeout, read=read_timeout),
                maxsize=10,
                retries=urllib3.Retry(
                    total=retries, backoff_factor=0.2, status_forcelist=[500, 502, 503, 504]
                ),
            ),
        )
        self._bucket_ready = False

    async def _ensure_bucket(self) -> None:
        if self._bucket_ready:
            return

        def ensure() -> None:
            if not self.client.bucket_exists(self.bucket):
                try:
                    self.client.make_bucket(self.bucket)
                except S3Error as exc:
                    if exc.code not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                        raise

        await anyio.to_thread.run_sync(ensure)
        self._bucket_ready = True

    async def put(
        self, key: str, data: bytes, content_type: str = "application/octet-stream"
    ) -> None:
        await self._ensure_bucket()
        await anyio.to_thread.run_sync(
            lambda: self.client.put_object(
                self.bucket, key, io.BytesIO(data), len(data), content_type=content_type
            )
        )

    async def get(self, key: str) -> bytes:
        await self._ensure_bucket()

        def read() -> bytes:
            try:
                response = self.client.get_object(self.bucket, key)
            except S3Error as exc:
                if exc.code in ("NoSuchKey", "NoSuchObject"):
                    raise ObjectMissing(key) from exc
                raise
            try:
                return response.read()
            finally:
                response.close()
                response.release_conn()

        return await anyio.to_thread.run_sync(read)

    async def delete(self, key: str) -> None:
        await self._ensure_bucket()
        await anyio.to_thread.run_sync(lambda: self.client.remove_object(self.bucket, key))

    async def list(self, prefix: str = "") -> list[StoredObject]:
        await self._ensure_bucket()

        def listing() -> list[StoredObject]:
            return [
                StoredObject(o.object_name or "", int(o.size or 0))
                for o in self.client.list_objects(self.bucket, prefix=prefix, recursive=True)
            ]

        return await anyio.to_thread.run_sync(listing)

    async def ping(self) -> None:
        await anyio.to_thread.run_sync(lambda: self.client.bucket_exists(self.bucket))

    def describe(self) -> str:
        return f"s3:{self.name}:{self.endpoint}/{self.bucket}"


class FolderStore(ObjectStore):
    """A folder on the local disk; writes are atomic (temp file, fsync, rename)."""

    def __init__(self, name: str, root: Path) -> None:
        self.name, self.root = name, root.resolve()

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root):
            raise ValueError(f"key escapes the store: {key}")
        return path

    async def put(
        self, key: str, data: bytes, content_type: str = "application/octet-stream"
    ) -> None:
        path = self._path(key)

        def write() -> None:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.tmp")
            with open(tmp, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            tmp.replace(path)

        await anyio.to_thread.run_sync(write)

    async def get(self, key: str) -> bytes:
        path = self._path(key)
        try:
            return await anyio.Path(path).read_bytes()
        except FileNotFoundError as exc:
            raise ObjectMissing(key) from exc

    async def delete(self, key: str) -> None:
        path = self._path(key)
        await anyio.to_thread.run_sync(lambda: path.unlink(missing_ok=True))

    async def list(self, prefix: str = "") -> list[StoredObject]:
        def listing() -> list[StoredObject]:
            if not self.root.exists():
                return []
            out = []
            for p in sorted(self.root.rglob("*")):
                if p.is_file() and not p.name.startswith("."):
                    key = p.relative_to(self.root).as_posix()
                    if key.startswith(prefix):
                        out.append(StoredObject(key, p.stat().st_size))
            return out

        return await anyio.to_thread.run_sync(listing)

    async def ping(self) -> None:
        await anyio.to_thread.run_sync(lambda: self.root.mkdir(parents=True, exist_ok=True))

    def describe(self) -> str:
        return f"folder:{self.name}:{self.root}"
