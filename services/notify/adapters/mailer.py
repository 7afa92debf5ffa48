"""The SMTP side of e-mail: composing a Russian message and handing batches to the relay.

Subject and body are UTF-8 (R-MRK-9): the subject is RFC 2047 encoded, the body base64, so
any relay takes them, with or without 8BITMIME.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid

import aiosmtplib

from services.notify.service.mail_queue import MailOutcome, OutgoingEmail
from services.notify.settings import NotifySettings


class Mailer:
    def __init__(self, settings: NotifySettings) -> None:
        self.settings = settings

    @property
    def configured(self) -> bool:
        """Without an SMTP host e-mails wait, pending, until one is configured."""
        return bool(self.settings.smtp_host)

    def compose(self, mail: OutgoingEmail, at: dt.datetime) -> EmailMessage:
        s = self.settings
        message = EmailMessage()
        message["From"] = formataddr((s.mail_from_name, s.mail_from))
        message["To"] = mail.address
        # a header is one line: a subject built from typed names (a subject named with a line
        # break) would make the email library refuse the whole message
        message["Subject"] = " ".join(mail.subject.split())
        message["Date"] = format_datetime(at)
        message["Message-ID"] = make_msgid(domain=s.mail_from.rpartition("@")[2] or "localhost")
        message.set_content(mail.text, charset="utf-8", cte="base64")
        return message

    async def send(self, mails: Sequence[OutgoingEmail], at: dt.datetime) -> list[MailOutcome]:
        """One connection for the batch; a connection problem leaves the rest to retry."""
        outcomes: dict[str, MailOutcome] = {}
        try:
            async with self._client() as smtp:
                for mail in mails:
                    outcomes[mail.id] = await self._send_one(smtp, mail, at)
        except (OSError, TimeoutError, aiosmtplib.SMTPException) as exc:
            error = f"{type(exc).__name__}: {exc}"
            for mail in mails:
                outcomes.setdefault(mail.id, MailOutcome(mail.id, ok=False, error=error))
        return [outcomes[m.id] for m in mails]

    def _client(self) -> aiosmtplib.SMTP:
        s = self.settings
        return aiosmtplib.SMTP(
            hostname=s.smtp_host,
            port=s.smtp_port,
            username=s.smtp_username,
            password=s.smtp_password,
            start_tls=s.smtp_starttls,
            timeout=s.smtp_timeout_seconds,
        )

    async def _send_one(
        self, smtp: aiosmtplib.SMTP, mail: OutgoingEmail, at: dt.datetime
    ) -> MailOutcome:
        try:
            await smtp.send_message(self.compose(mail, at))
        except aiosmtplib.SMTPRecipientsRefused as exc:
            permanent = all(r.code >= 500 for r in exc.recipients)
            return MailOutcome(mail.id, ok=False, error=str(exc), permanent=permanent)
        except aiosmtplib.SMTPResponseException as exc:
            error = f"{exc.code} {exc.message}"
            return MailOutcome(mail.id, ok=False, error=error, permanent=exc.code >= 500)
        return MailOutcome(mail.id, ok=True)
