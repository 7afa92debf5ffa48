"""Refusing, at the door, characters the databases cannot store.

PostgreSQL text cannot hold NUL (U+0000): a path, query or JSON body carrying one would reach
a query and fail there as a 500. Every service answers 422 `invalid_character` instead.
"""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kit.errors import problem_response

MAX_CHECKED_BODY = 16 * 1024 * 1024
_CHECKED_TYPES = (b"application/json", b"application/x-www-form-urlencoded", b"text/")


class RejectNulCharacters:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if _url_has_nul(scope):
            await _refuse(scope, receive, send, "the address contains a NUL character")
            return
        content_type = dict(scope.get("headers") or []).get(b"content-type", b"")
        if not content_type.startswith(_CHECKED_TYPES):
            await self.app(scope, receive, send)
            return
        body, messages = await _read_body(receive)
        if body is not None and (b"\x00" in body or b"\\u0000" in body or b"%00" in body):
            await _refuse(scope, receive, send, "the request body contains a NUL character")
            return

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)


async def _read_body(receive: Receive) -> tuple[bytes | None, list[Message]]:
    messages: list[Message] = []
    size = 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return None, messages
        size += len(message.get("body", b""))
        if size > MAX_CHECKED_BODY or not message.get("more_body", False):
            break
    return b"".join(m.get("body", b"") for m in messages), messages


def _url_has_nul(scope: Scope) -> bool:
    raw_path = scope.get("raw_path") or scope.get("path", "").encode()
    query = scope.get("query_string", b"")
    return any(b"\x00" in unquote_to_bytes(part) for part in (raw_path, query))


async def _refuse(scope: Scope, receive: Receive, send: Send, detail: str) -> None:
    await problem_response(422, detail, "invalid_character")(scope, receive, send)
