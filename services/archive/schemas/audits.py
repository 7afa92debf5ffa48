"""A fixity audit's request and its answer."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from services.archive.models import FixityAudit
from services.archive.rules.fixity import AuditCounts


class AuditRequest(BaseModel):
    school_id: str | None = Field(
        None,
        min_length=1,
        max_length=36,
        description="default: your school (every school for the operator)",
    )


class AuditOut(BaseModel):
    id: str
    checked: int = Field(description="packages whose copies were re-hashed")
    ok: int = Field(description="every copy intact")
    repaired: int = Field(description="a bad or missing copy was rewritten and verified")
    lost: int = Field(description="no intact copy left")
    unverified: int = Field(description="a store did not answer or a repair failed: retry")
    started_at: dt.datetime
    finished_at: dt.datetime

    @classmethod
    def of(cls, audit: FixityAudit, counts: AuditCounts) -> AuditOut:
        return cls(
            id=audit.id,
            checked=counts.checked,
            ok=counts.ok,
            repaired=counts.repaired,
            lost=counts.lost,
            unverified=counts.unverified,
            started_at=audit.started_at,
            finished_at=audit.finished_at,
        )
