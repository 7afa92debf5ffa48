"""A subject built from typed text is one header line, whatever was typed (issue 16)."""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes
from email.header import decode_header, make_header

from services.notify.adapters.mailer import Mailer
from services.notify.service.mail_queue import OutgoingEmail
from services.notify.settings import NotifySettings


def test_a_line_break_in_a_typed_subject_name_does_not_break_the_mail_R_MRK_9() -> None:
    """A subject named "Алгебра\\nBcc: x@evil" used to raise ValueError in compose, which left
    the whole batch of mails unsettled; it is now one line and no header is injected."""
    mailer = Mailer(NotifySettings())
    mail = OutgoingEmail(
        id="m1",
        address="parent@example.org",
        subject="Оценка по предмету Алгебра\r\nBcc: spy@example.org\n\tитог",
        text="Текст",
        attempt=0,
    )
    message = mailer.compose(mail, dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC))
    parsed = message_from_bytes(message.as_bytes())
    subject = str(make_header(decode_header(parsed["Subject"])))
    assert subject == "Оценка по предмету Алгебра Bcc: spy@example.org итог"
    assert parsed["Bcc"] is None
