"""The HTTP side of webhooks: the signed POST of one CloudEvents envelope.

Headers: `Content-Type: application/cloudevents+json`, `X-EJ-Event-Id`, `X-EJ-Delivery-Id`
and `X-EJ-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. The integrator
recomputes the HMAC over the raw body and refuses an old `t` (replays). Redirects are not
followed; any answer but 2xx is a failed attempt.
"""

from __future__ import annotations

import hashlib
import hmac

import httpx

from services.notify.service.webhook_queue import Attempt, Outbound

CONTENT_TYPE = "application/cloudevents+json"
USER_AGENT = "ej-notify-webhooks/1"


def signature(secret: str, timestamp: int, body: str) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


class WebhookSender:
    def __init__(self, timeout_seconds: float) -> None:
        self.timeout = timeout_seconds
        self._client: httpx.AsyncClient | None = None

    async def post(self, item: Outbound, timestamp: int) -> Attempt:
        client = self._client_now()
        headers = {
            "Content-Type": CONTENT_TYPE,
            "User-Agent": USER_AGENT,
            "X-EJ-Event-Id": item.event_id,
            "X-EJ-Delivery-Id": item.delivery_id,
            "X-EJ-Signature": signature(item.secret, timestamp, item.body),
        }
        try:
            response = await client.post(item.url, content=item.body.encode(), headers=headers)
        except httpx.HTTPError as exc:
            return Attempt(item.seq, ok=False, error=f"{type(exc).__name__}: {exc}"[:1000])
        if 200 <= response.status_code < 300:
            return Attempt(item.seq, ok=True, status_code=response.status_code)
        return Attempt(
            item.seq,
            ok=False,
            status_code=response.status_code,
            error=f"HTTP {response.status_code}",
        )

    def _client_now(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=self.timeout, follow_redirects=False)
        return self._client

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None
