"""A rule's refusal keeps its kind, code and words, and the use case raises it as the domain
error clients have always seen (409 for a conflict, 422 for an invalid request)."""

from __future__ import annotations

import pytest

from kit.errors import Conflict, Invalid
from services.journal.rules.refusal import Refusal, conflict, invalid
from services.journal.service.refusals import enforce


def test_a_refusal_says_its_kind_code_and_words() -> None:
    assert conflict("entry_window_closed", "too late", days=7) == Refusal(
        "conflict", "entry_window_closed", "too late", {"days": 7}
    )
    assert invalid("unknown_work_type", "no such type").kind == "invalid"


@pytest.mark.parametrize(
    ("refusal", "error"), [(conflict("a", "b"), Conflict), (invalid("c", "d"), Invalid)]
)
def test_the_first_refusal_is_raised_as_its_kind(refusal: Refusal, error: type[Exception]) -> None:
    with pytest.raises(error) as raised:
        enforce(None, refusal, conflict("later", "never reached"))
    assert getattr(raised.value, "code", None) == refusal.code


def test_no_refusal_raises_nothing() -> None:
    enforce(None, None)
