"""PDF with Cyrillic text (R-MRK-9): the DejaVu fonts shipped in `kit/fonts`, for reportlab.

from kit.pdf import FONT, FONT_BOLD, register_fonts
register_fonts()
canvas.setFont(FONT, 10)

Text a person typed goes into a Paragraph only through `text()` / `paragraph()`:
Paragraph(f"Класс: {text(name)}", STYLE) or paragraph(name, STYLE).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph

FONTS = Path(__file__).parent / "fonts"
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@cache
def register_fonts() -> None:
    pdfmetrics.registerFont(TTFont(FONT, str(FONTS / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONTS / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )


def text(value: object) -> str:
    """A person's text for reportlab's Paragraph markup: printed as typed, never read as markup.

    Paragraph parses its text as XML-like markup: a name such as `<b>Жирный` (unbalanced) would
    fail the whole document, `<font color=…>` would restyle it and `<img src=…>` would embed a
    server file. The markup the code writes itself (f"<b>{text(name)}</b>") stays markup.
    Control characters other than tab and newline carry nothing printable and are dropped.
    """
    return escape(_CONTROL.sub("", str(value)), {'"': "&quot;", "'": "&#39;"})


def paragraph(value: object, style: ParagraphStyle) -> Paragraph:
    """A Paragraph of a person's text alone (a name in a table cell)."""
    return Paragraph(text(value), style)
