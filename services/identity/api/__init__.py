"""Identity's HTTP API: routers only (parse, call the service, shape the response)."""

from services.identity.api import audit, consent, credentials, people, schools, tokens

routers = [
    tokens.router,
    schools.router,
    people.router,
    credentials.router,
    consent.router,
    audit.router,
]

__all__ = ["routers"]
