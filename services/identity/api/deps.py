"""Request dependencies of identity's routers (the use-case context is `kit.app.UseCaseDep`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from services.identity.service.collaborators import Identity


def identity_of(request: Request) -> Identity:
    """The use cases' collaborators, built once in `app.py` and never changed per request."""
    return request.app.state.identity  # type: ignore[no-any-return]


def client_address(request: Request) -> str | None:
    """The caller's address, for per-address brute-force limits and the access log.

    Behind the gateway or an ingress every request comes from the proxy: when the direct
    peer is a trusted proxy (`EJ_TRUSTED_PROXIES`), the client is the right-most address of
    `X-Forwarded-For` that is not itself a trusted proxy. A client's own header is ignored.
    """
    peer = request.client.host if request.client else None
    trusted = identity_of(request).trusted_proxies
    if peer is None or peer not in trusted:
        return peer
    forwarded = [a.strip() for a in request.headers.get("x-forwarded-for", "").split(",")]
    for address in reversed([a for a in forwarded if a]):
        if address not in trusted:
            return address[:64]
    return peer


IdentityDep = Annotated[Identity, Depends(identity_of)]
AddressDep = Annotated[str | None, Depends(client_address)]
