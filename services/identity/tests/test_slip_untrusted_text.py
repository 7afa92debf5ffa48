"""The credential slip (R-SEC-2) prints names as typed, never as markup, with nothing running."""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader

from services.identity.adapters.slip import SlipData, render

MARKUP = '<font color="red">X</font> <b>Жирный <img src="/etc/hostname"/> &amp;'


def test_a_slip_prints_markup_in_names_literally_and_embeds_nothing_R_SEC_2() -> None:
    slip = SlipData(
        school_name="<i>Школа",
        timezone="Europe/Moscow",
        full_name=MARKUP,
        kind="student",
        roles=[],
        login="=1+1",
        password="<b>pass",
        issued_at=dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC),
        issued_by="</para>Админ",
        address="https://journal.example/",
    )
    content = render(slip)
    pdf = PdfReader(io.BytesIO(content))
    printed = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    for expected in (MARKUP, "<i>Школа", "=1+1", "<b>pass", "</para>Админ"):
        assert expected in printed, expected
    assert not any(page.images for page in pdf.pages)
    assert b"/Subtype /Image" not in content
