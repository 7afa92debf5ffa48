"""R-LES-2, R-MRK-8: work types and their weights, one mark per student and work type in a
lesson, external marks with their document."""

from __future__ import annotations

from services.journal.rules import work_types

TABLE = work_types.with_school_types([("project", "Проект", 2.5), ("answer", "Ответ", 0.5)])


def test_the_contracts_default_weights_R_LES_2() -> None:
    weights = {code: weight for code, (_, weight) in work_types.DEFAULT_WORK_TYPES.items()}
    assert weights["answer"] == weights["homework"] == weights["independent"] == 1
    assert weights["dictation"] == weights["test"] == weights["lab"] == weights["essay"] == 2
    assert weights["control"] == 3


def test_a_schools_own_types_add_to_and_override_the_defaults_R_LES_2() -> None:
    assert TABLE["project"] == ("Проект", 2.5)
    assert TABLE["answer"] == ("Ответ", 0.5)
    assert TABLE["control"][1] == 3


def test_a_marks_weight_is_its_own_or_its_work_types_R_LES_2() -> None:
    assert work_types.weight(None, "control", TABLE) == 3.0
    assert work_types.weight(1.5, "control", TABLE) == 1.5


def test_an_unknown_work_type_is_refused_R_LES_2() -> None:
    assert work_types.unknown_refusal(["answer", "project"], TABLE) is None
    refusal = work_types.unknown_refusal(["answer", "poem"], TABLE)
    assert refusal is not None
    assert (refusal.kind, refusal.code) == ("invalid", "unknown_work_type")


def test_an_external_mark_names_its_document_R_MRK_8() -> None:
    assert work_types.document_refusal("external", "Справка №12 от 20.11.2026") is None
    assert work_types.document_refusal("answer", None) is None
    for missing in (None, "", "   "):
        refusal = work_types.document_refusal("external", missing)
        assert refusal is not None
        assert (refusal.kind, refusal.code) == ("invalid", "document_required")


def test_one_mark_per_student_and_work_type_in_a_lesson_R_LES_2() -> None:
    keys = [("s1", "answer"), ("s1", "test"), ("s2", "answer")]
    assert work_types.duplicate_refusal(keys) is None
    twice = work_types.duplicate_refusal([*keys, ("s1", "answer")])
    assert twice is not None and twice.code == "duplicate_in_request"
    assert work_types.clash_refusal(keys, {("s3", "answer")}) is None
    clash = work_types.clash_refusal(keys, {("s2", "answer")})
    assert clash is not None
    assert (clash.kind, clash.code) == ("conflict", "duplicate_mark")
