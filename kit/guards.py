"""Refusing, at the door, what no endpoint should ever read.

- **NUL characters.** PostgreSQL text cannot hold NUL (U+0000): a path, query or body carrying
  one would reach a query and fail there as a 500. Every service answers 422
  `invalid_character` instead, for every JSON media type (`application/json` in any case, any
  `+json` type such as `application/merge-patch+json`), forms and text.
- **Oversized bodies.** A body above its limit is refused with 413 `body_too_large` before it
  is parsed: by its `Content-Length` when it declares one, else as soon as the streamed bytes
  pass the limit. Uploads (`multipart/form-data`, `text/csv`) have a larger limit than
  everything else; both are settings (`EJ_MAX_BODY_BYTES`, `EJ_MAX_UPLOAD_BYTES`).
"""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kit.errors import problem_response

MAX_BODY_BYTES = 1024 * 1024
MAX_UPLOAD_BYTES = 16 * 1024 * 1024
_UPLOAD_TYPES = ("multipart/form-data", "text/csv")


def media_type(content_type: bytes) -> str:
    """`Application/Merge-Patch+JSON; charset=utf-8` → `application/merge-patch+json`."""
    return content_type.split(b";", 1)[0].strip().decode("latin-1").lower()


def _scanned(media: str) -> bool:
    return (
        media == "application/json"
        or media.endswith("+json")
        or media == "application/x-www-form-urlencoded"
        or media.startswith("text/")
    )


class GuardRequests:
    """NUL characters and body sizes, checked once per request before any endpoint runs."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body: int = MAX_BODY_BYTES,
        max_upload: int = MAX_UPLOAD_BYTES,
    ) -> None:
        self.app, self.max_body, self.max_upload = app, max_body, max_upload

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if _url_has_nul(scope):
            await _refuse(scope, receive, send, "the address contains a NUL character")
            return
        headers = dict(scope.get("headers") or [])
        media = media_type(headers.get(b"content-type", b""))
        limit = self.max_upload if media in _UPLOAD_TYPES else self.max_body
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _too_large(scope, receive, send, limit)
            return
        if scope.get("method") in ("GET", "HEAD", "OPTIONS", "DELETE") and declared is None:
            await self.app(scope, receive, send)
            return
        body, messages = await _read_body(receive, limit)
        if body is None and messages and messages[-1]["type"] == "http.request":
            await _too_large(scope, receive, send, limit)
            return
        if (
            body is not None
            and _scanned(media)
            and (b"\x00" in body or b"\\u0000" in body or b"%00" in body)
        ):
            await _refuse(scope, receive, send, "the request body contains a NUL character")
            return

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)


async def _read_body(receive: Receive, limit: int) -> tuple[bytes | None, list[Message]]:
    """The whole body, or None with the messages read so far when it passed `limit` (the last
    message is then a request chunk) or the client went away (an `http.disconnect`)."""
    messages: list[Message] = []
    size = 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return None, messages
        size += len(message.get("body", b""))
        if size > limit:
            return None, messages
        if not message.get("more_body", False):
            break
    return b"".join(m.get("body", b"") for m in messages), messages


def _url_has_nul(scope: Scope) -> bool:
    raw_path = scope.get("raw_path") or scope.get("path", "").encode()
    query = scope.get("query_string", b"")
    return any(b"\x00" in unquote_to_bytes(part) for part in (raw_path, query))


async def _refuse(scope: Scope, receive: Receive, send: Send, detail: str) -> None:
    await problem_response(422, detail, "invalid_character")(scope, receive, send)


async def _too_large(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
    await problem_response(
        413, f"the request body is larger than {limit} bytes", "body_too_large", limit=limit
    )(scope, receive, send)
