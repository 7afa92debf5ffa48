"""R-LES-2, R-MRK-8: work types, their weights, and what a lesson's marks may carry.

Several marks per student per lesson, one per work type; a mark's weight is its own or its
work type's; a mark brought from another institution names the document it rests on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from kit.errors import Conflict, Invalid

EXTERNAL = "external"
"""R-MRK-8: a mark brought from another institution (hospital school, certificate)."""

DEFAULT_WORK_TYPES: dict[str, tuple[str, float]] = {
    "answer": ("Ответ на уроке", 1),
    "homework": ("Домашняя работа", 1),
    "independent": ("Самостоятельная работа", 1),
    "dictation": ("Диктант", 2),
    "test": ("Проверочная работа", 2),
    "lab": ("Лабораторная работа", 2),
    "essay": ("Сочинение", 2),
    "control": ("Контрольная работа", 3),
    EXTERNAL: ("Отметка из другой организации", 1),
}
"""CONTRACT.md's defaults (code → name, weight); `external` is R-MRK-8's."""


def with_school_types(own: Iterable[tuple[str, str, float]]) -> dict[str, tuple[str, float]]:
    """R-LES-2: the school's (code, name, weight) types over the platform's defaults."""
    table = dict(DEFAULT_WORK_TYPES)
    for code, name, weight in own:
        table[code] = (name, weight)
    return table


def check_known(asked: Iterable[str], table: Mapping[str, tuple[str, float]]) -> None:
    """422 `unknown_work_type` for a type the school does not have."""
    unknown = sorted(set(asked) - set(table))
    if unknown:
        raise Invalid(
            f"unknown work type {', '.join(unknown)}; the school's are {', '.join(sorted(table))}",
            code="unknown_work_type",
        )


def check_document(work_type: str, document: str | None) -> None:
    """R-MRK-8: 422 `document_required` for an external mark without its document."""
    if work_type == EXTERNAL and not (document or "").strip():
        raise Invalid(
            "a mark from another institution names the document it rests on (R-MRK-8)",
            code="document_required",
        )


def check_no_duplicates(keys: Iterable[tuple[str, str]]) -> None:
    """R-LES-2: 422 `duplicate_in_request` when a request names a (student, work type) twice."""
    listed = list(keys)
    if len(set(listed)) != len(listed):
        raise Invalid(
            "the same student and work type appear twice in the request",
            code="duplicate_in_request",
        )


def weight(given: float | None, work_type: str, table: Mapping[str, tuple[str, float]]) -> float:
    """A mark's weight: its own if given, its work type's otherwise."""
    return float(given if given is not None else table[work_type][1])


def check_no_clash(keys: Iterable[tuple[str, str]], recorded: Iterable[tuple[str, str]]) -> None:
    """R-LES-2: 409 `duplicate_mark` when a student already has a mark of that work type in
    the lesson (the teacher corrects it instead)."""
    clash = sorted(set(keys) & set(recorded))
    if clash:
        raise Conflict(
            f"already marked for this work type: {', '.join(s for s, _ in clash)}; "
            "correct the mark instead",
            code="duplicate_mark",
        )
