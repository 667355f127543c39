"""Sending automation e-mails: through SMTP when `SMTP_HOST` is configured, else into the
durable e-mail outbox. Either way each message is an `EmailOutbox` row, so the API shows what
was sent and what waits; the run records which transport was used.

SMTP is the standard library's client (blocking, like everything in a job worker): one
connection per action, STARTTLS when `SMTP_STARTTLS` (with certificate checks), login when a user
is set. The SMTP server is the operator's, never a tenant's, so it is not an outbound-URL concern.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import make_msgid

from sqlalchemy.orm import Session

from core.settings import get_settings
from store.models import EmailOutbox
from tools.automations.templates import Rendered


@dataclass(frozen=True)
class Mail:
    to: str
    rendered: Rendered
    customer_id: str | None = None


def transport() -> str:
    """smtp when configured, else outbox."""
    return "smtp" if get_settings().smtp_host else "outbox"


def _message(mail: Mail, sender: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = mail.to
    msg["Subject"] = mail.rendered.subject
    msg["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1].strip("> ") or "localhost")
    msg.set_content(mail.rendered.text or " ")
    msg.add_alternative(mail.rendered.html or "<p></p>", subtype="html")
    return msg


def _connect() -> smtplib.SMTP:
    s = get_settings()
    client = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_seconds)
    client.ehlo()
    if s.smtp_starttls:
        client.starttls(context=ssl.create_default_context())
        client.ehlo()
    if s.smtp_user:
        client.login(s.smtp_user, s.smtp_password)
    return client


def deliver(session: Session, mails: list[Mail], *, now: datetime, automation_id: str | None,
            run_id: str | None) -> dict[str, int | str]:
    """Send (or queue) every mail and record each in the outbox table. Returns the counts and the
    transport; a failure of one recipient is recorded on its row, the others still go out."""
    kind = transport()
    rows = [EmailOutbox(to_address=m.to, subject=m.rendered.subject, body_html=m.rendered.html,
                        body_text=m.rendered.text, status="queued", transport=kind,
                        customer_id=m.customer_id, automation_id=automation_id, run_id=run_id,
                        created_at=now) for m in mails]
    sent = failed = 0
    if kind == "smtp" and mails:
        sender = get_settings().smtp_from
        try:
            client = _connect()
        except (OSError, smtplib.SMTPException) as err:
            for row in rows:
                row.status, row.error = "failed", f"SMTP connection failed: {err}"[:500]
            failed = len(rows)
        else:
            with client:
                for mail, row in zip(mails, rows, strict=True):
                    try:
                        client.send_message(_message(mail, sender))
                        row.status, row.sent_at = "sent", now
                        sent += 1
                    except (OSError, smtplib.SMTPException) as err:
                        row.status, row.error = "failed", f"{type(err).__name__}: {err}"[:500]
                        failed += 1
    session.add_all(rows)
    queued = len(rows) - sent - failed
    return {"transport": kind, "sent": sent, "queued": queued, "failed": failed}
