"""kit.pdf's text()/paragraph() print any text a person typed literally (issue 16).

Hypothesis texts mix reportlab markup (balanced, unbalanced, `<img src=…>`, `<font>`, `<para>`),
XML entities, formula prefixes, control characters and any Unicode. Whatever the text:
building and laying out the paragraph never raises, the paragraph's words are the typed
words (control characters dropped, nothing read as markup), and a PDF of it embeds no image
and carries the text itself.
"""

from __future__ import annotations

import io
import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate
from reportlab.platypus.paragraph import _wsc

from kit.pdf import FONT, paragraph, register_fonts, text

register_fonts()
STYLE = ParagraphStyle("fuzz", fontName=FONT, fontSize=9, leading=12)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
WHITESPACE = re.compile(f"[{re.escape(_wsc)}]+")  # what reportlab breaks lines at
MARKUP = [
    "<b>",
    "</b>",
    "<i>",
    '<font color="red">',
    "</font>",
    '<img src="/etc/hostname"/>',
    '<img src="kit/fonts/DejaVuSans.ttf" width="9" height="9"/>',
    "<para>",
    "</para>",
    "<br/>",
    '<a href="http://x">',
    "<![CDATA[",
    "&",
    "&amp;",
    "&#0;",
    "&nbsp;",
    "&unknown;",
    "<",
    ">",
    '"',
    "'",
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
    "\n",
    "\x00",
    "\x1b",
    "\x7f",
    "\x85",
]
any_unicode = st.text(st.characters(exclude_categories=["Cs"]), max_size=20)
hostile = st.lists(st.one_of(st.sampled_from(MARKUP), any_unicode), max_size=8).map("".join)
# characters DejaVu Sans draws, so that the PDF's own text can be read back and compared
drawable = st.lists(
    st.one_of(
        st.sampled_from(MARKUP),
        st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=10),
        st.text(st.characters(min_codepoint=0x410, max_codepoint=0x44F), max_size=10),
    ),
    max_size=8,
).map("".join)


def words(value: str) -> list[str]:
    return [w for w in WHITESPACE.split(value) if w]


def typed_words(value: str) -> list[str]:
    return words(CONTROL.sub("", value))


def plain(flowable: Paragraph) -> str:
    return "".join(getattr(frag, "text", "") for frag in flowable.frags)


def pdf_of(*flowables: Paragraph) -> PdfReader:
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer).build(list(flowables))
    return PdfReader(io.BytesIO(buffer.getvalue()))


@settings(max_examples=200, deadline=None)
@given(hostile)
@example("<b>Жирный")
@example('<img src="/etc/hostname"/>')
@example("&#0;\x00<para>")
def test_a_paragraph_of_any_text_lays_out_and_keeps_the_typed_words(value: str) -> None:
    flowable = paragraph(value, STYLE)
    assert words(plain(flowable)) == typed_words(value)
    assert not any(getattr(frag, "cbDefn", None) for frag in flowable.frags)  # no <img>
    assert not any(getattr(frag, "link", None) for frag in flowable.frags)  # no <a href>
    flowable.wrap(120, 10_000)  # layout: line breaking, long words split


@settings(max_examples=200, deadline=None)
@given(hostile, hostile)
def test_text_inside_the_codes_own_markup_stays_text(name: str, other: str) -> None:
    """f"<b>{text(name)}</b>": the code's markup applies, the person's text stays literal."""
    flowable = Paragraph(f"Класс: <b>{text(name)}</b> / {text(other)}", STYLE)
    typed = f"Класс: {CONTROL.sub('', name)} / {CONTROL.sub('', other)}"
    assert words(plain(flowable)) == words(typed)
    bold = "".join(f.text for f in flowable.frags if f.fontName != FONT)
    assert words(bold) == typed_words(name)
    flowable.wrap(200, 10_000)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drawable)
@example('<img src="/etc/hostname"/>x')
@example("<b>Жирный &amp; =1+1")
def test_a_pdf_carries_the_typed_text_and_no_image(value: str) -> None:
    reader = pdf_of(paragraph(value, STYLE), paragraph("конец", STYLE))
    assert not any(page.images for page in reader.pages)
    printed = "".join(page.extract_text() for page in reader.pages)
    assert "".join(words(printed)) == "".join(typed_words(value)) + "конец"
