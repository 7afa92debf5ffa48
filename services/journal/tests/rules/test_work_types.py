"""R-LES-2, R-MRK-8: work types and their weights, one mark per student and work type in a
lesson, external marks with their document."""

from __future__ import annotations

import pytest

from kit.errors import Conflict, Invalid
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
    work_types.check_known(["answer", "project"], TABLE)
    with pytest.raises(Invalid) as refused:
        work_types.check_known(["answer", "poem"], TABLE)
    assert refused.value.code == "unknown_work_type"
    assert "poem" in refused.value.detail


def test_an_external_mark_names_its_document_R_MRK_8() -> None:
    work_types.check_document("external", "Справка №12 от 20.11.2026")
    work_types.check_document("answer", None)
    for missing in (None, "", "   "):
        with pytest.raises(Invalid) as refused:
            work_types.check_document("external", missing)
        assert refused.value.code == "document_required"


def test_one_mark_per_student_and_work_type_in_a_request_R_LES_2() -> None:
    keys = [("s1", "answer"), ("s1", "test"), ("s2", "answer")]
    work_types.check_no_duplicates(keys)
    with pytest.raises(Invalid) as refused:
        work_types.check_no_duplicates([*keys, ("s1", "answer")])
    assert refused.value.code == "duplicate_in_request"


def test_a_recorded_mark_of_the_same_work_type_is_corrected_not_added_R_LES_2() -> None:
    keys = [("s1", "answer"), ("s1", "test"), ("s2", "answer")]
    work_types.check_no_clash(keys, {("s3", "answer")})
    with pytest.raises(Conflict) as refused:
        work_types.check_no_clash(keys, {("s2", "answer")})
    assert refused.value.code == "duplicate_mark"
    assert "s2" in refused.value.detail
