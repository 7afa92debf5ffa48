"""The credential slip (R-SEC-2): a one-page PDF the person signs on receiving credentials.

Russian throughout (R-MRK-9): the DejaVu fonts of `kit.pdf` carry Cyrillic. Names are drawn
with `Canvas.drawString`, which prints text as given; a name put into a reportlab `Paragraph`
(which reads markup) must go through `kit.pdf.text`.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from kit.pdf import FONT, FONT_BOLD, register_fonts

KIND_NAMES = {
    "student": "обучающийся",
    "parent": "родитель (законный представитель)",
    "staff": "сотрудник",
}
ROLE_NAMES = {
    "school_admin": "администратор ЭЖ",
    "director": "директор",
    "deputy": "заместитель директора",
    "teacher": "учитель",
    "secretary": "секретарь",
    "scheduler": "диспетчер расписания",
}
RULES_TEXT = (
    "Реквизиты выдаются под личную подпись получателя.",
    "Логин и пароль личные: передавать их другим лицам запрещено (закон о персональных данных).",
    "При первом входе система попросит заменить одноразовый пароль своим.",
    "О компрометации реквизитов (утрате, разглашении) сообщите администратору ЭЖ и директору",
    "в течение одного рабочего дня: все действия с реквизитами после сообщения недействительны.",
)


@dataclass(frozen=True)
class SlipData:
    school_name: str
    timezone: str
    full_name: str
    kind: str
    roles: list[str]
    login: str
    password: str | None
    issued_at: dt.datetime
    issued_by: str
    address: str


def render(slip: SlipData) -> bytes:
    """Реквизиты доступа к ЭЖ и ЭД: what was handed over, and room for two signatures."""
    return render_many([slip])


def render_many(slips: list[SlipData]) -> bytes:
    """Slips one per page: a class teacher prints a class's at once."""
    register_fonts()
    buffer = io.BytesIO()
    pdf = Canvas(buffer, pagesize=A4)
    if slips:
        first = slips[0]
        pdf.setTitle(
            f"Реквизиты доступа: {first.full_name}"
            if len(slips) == 1
            else f"Реквизиты доступа ({len(slips)})"
        )
        pdf.setAuthor(first.school_name)
    for slip in slips:
        _page(pdf, slip)
    if not slips:
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _page(pdf: Canvas, slip: SlipData) -> None:
    y = A4[1] - 25 * mm
    pdf.setFont(FONT_BOLD, 14)
    pdf.drawString(20 * mm, y, "Реквизиты доступа к электронному журналу и дневнику")
    y -= 8 * mm
    _draw_fitted(pdf, 20 * mm, y, slip.school_name, FONT, 11)
    y -= 12 * mm
    for label, value in _fields(slip):
        pdf.setFont(FONT, 11)
        pdf.drawString(20 * mm, y, label)
        _draw_fitted(pdf, 75 * mm, y, value, FONT_BOLD, 12)
        y -= 8 * mm
    y -= 6 * mm
    pdf.setFont(FONT, 9)
    for line in RULES_TEXT:
        pdf.drawString(20 * mm, y, line)
        y -= 5 * mm
    y -= 15 * mm
    for line in _signatures(slip):
        _draw_fitted(pdf, 20 * mm, y, line, FONT, 11)
        y -= 14 * mm
    pdf.showPage()


RIGHT_MARGIN = 15 * mm


def _draw_fitted(pdf: Canvas, x: float, y: float, text: str, font: str, size: float) -> None:
    """Draw on one line, smaller if a long name would run off the page (never below 7 pt)."""
    room = A4[0] - RIGHT_MARGIN - x
    while size > 7 and stringWidth(text, font, size) > room:
        size -= 0.5
    pdf.setFont(font, size)
    pdf.drawString(x, y, text)


def _fields(slip: SlipData) -> list[tuple[str, str]]:
    category = KIND_NAMES.get(slip.kind, slip.kind)
    if slip.kind == "staff" and slip.roles:
        category += ": " + ", ".join(ROLE_NAMES.get(r, r) for r in slip.roles)
    issued = slip.issued_at.astimezone(ZoneInfo(slip.timezone)).strftime("%d.%m.%Y %H:%M")
    return [
        ("Фамилия, имя, отчество:", slip.full_name),
        ("Категория:", category),
        ("Адрес входа:", slip.address),
        ("Логин:", slip.login),
        (
            "Одноразовый пароль:",
            slip.password or "уже заменён владельцем (при утрате выдаются новые реквизиты)",
        ),
        ("Выданы:", f"{issued}, выдал(а): {slip.issued_by}"),
    ]


def _signatures(slip: SlipData) -> list[str]:
    return [
        f"Реквизиты получил(а): ____________________ / {slip.full_name} /",
        f"Реквизиты выдал(а):    ____________________ / {slip.issued_by} /",
        "Дата: «____» ______________ 20____ г.",
    ]
