"""docs/identity.md tells the truth about who may do what (the table is the policy's)."""

from __future__ import annotations

import re
from pathlib import Path

from services.identity.policy import RULES, SCHOOL_MEMBERS, Action

DOC = Path(__file__).resolve().parents[3] / "docs" / "identity.md"
WORDS: dict[str, set[str]] = {
    "class teacher": {"class_teacher"},
    "every member of the school": set(SCHOOL_MEMBERS),
}


def test_the_roles_table_of_the_docs_is_the_policy_table() -> None:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Roles and what each may do", 1)[1].split("## Endpoints", 1)[0]
    documented: dict[str, set[str]] = {}
    for action, who in re.findall(r"^\| `([a-z_.]+)` \| ([^|]+) \|$", section, re.M):
        grants: set[str] = set()
        for word in (w.strip() for w in who.split(",")):
            grants |= WORDS.get(word, {word})
        documented[action] = grants
    assert documented == {a.value: {str(g) for g in RULES[a]} for a in Action}
