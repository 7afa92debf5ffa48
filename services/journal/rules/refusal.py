"""A rule's answer when it says no: the kind of refusal, its stable code and its words.

Rules stay free of the web kit: the use case raises a refusal as the domain exception of the
same kind (`conflict` → 409, `invalid` → 422) with the same code, so clients see exactly what
they saw when the check lived in the use case.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(frozen=True)
class Refusal:
    """Why a rule refuses: `conflict` breaks the regulation or the data's state (409),
    `invalid` is a request that cannot be right (422)."""

    kind: Literal["conflict", "invalid"]
    code: str
    detail: str
    extra: dict[str, Any] = field(default_factory=dict)


def conflict(code: str, detail: str, **extra: Any) -> Refusal:
    return Refusal("conflict", code, detail, extra)


def invalid(code: str, detail: str, **extra: Any) -> Refusal:
    return Refusal("invalid", code, detail, extra)
