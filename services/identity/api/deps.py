"""Request dependencies of identity's routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from services.identity.service.deps import Deps


def deps_of(request: Request) -> Deps:
    """The rules' dependencies; `app.state.clock` is the one clock (tests set a FixedClock)."""
    deps: Deps = request.app.state.identity
    deps.clock = request.app.state.clock
    return deps


def client_address(request: Request) -> str | None:
    """The caller's address, for per-address brute-force limits and the access log.

    Behind the gateway or an ingress every request comes from the proxy: when the direct
    peer is a trusted proxy (`EJ_TRUSTED_PROXIES`), the client is the right-most address of
    `X-Forwarded-For` that is not itself a trusted proxy. A client's own header is ignored.
    """
    peer = request.client.host if request.client else None
    trusted = deps_of(request).trusted_proxies
    if peer is None or peer not in trusted:
        return peer
    forwarded = [a.strip() for a in request.headers.get("x-forwarded-for", "").split(",")]
    for address in reversed([a for a in forwarded if a]):
        if address not in trusted:
            return address[:64]
    return peer


DepsDep = Annotated[Deps, Depends(deps_of)]
AddressDep = Annotated[str | None, Depends(client_address)]
