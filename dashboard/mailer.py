"""Sending email by SMTP as the environment configures it (dashboard/config.py: SMTP_*, MAIL_FROM).

One connection per message: a reminder run sends a few dozen at most, and a server that goes away
mid-run then fails only the messages it was asked for, each reported on its own."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from dashboard.config import MailSettings

TIMEOUT_SECONDS = 30


class SendError(RuntimeError):
    """The message was not accepted: the reason in words for the person running the reminders."""


def send(settings: MailSettings, message: EmailMessage) -> None:
    """Hand `message` to the SMTP server, or raise SendError saying why it was not accepted."""
    try:
        if settings.security == "tls":
            connection = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=TIMEOUT_SECONDS, context=ssl.create_default_context()
            )
        else:
            connection = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS)
        with connection:
            if settings.security == "starttls":
                connection.starttls(context=ssl.create_default_context())
            if settings.user:
                connection.login(settings.user, settings.password)
            connection.send_message(message, from_addr=settings.sender)
    except smtplib.SMTPRecipientsRefused as exc:
        reasons = "; ".join(
            f"{code} {detail.decode(errors='replace') if isinstance(detail, bytes) else detail}"
            for code, detail in exc.recipients.values()
        )
        raise SendError(f"the mail server refused the address ({reasons})") from exc
    except smtplib.SMTPAuthenticationError as exc:
        raise SendError("the mail server did not accept SMTP_USER and SMTP_PASSWORD") from exc
    except smtplib.SMTPResponseException as exc:
        detail = (
            exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else exc.smtp_error
        )
        raise SendError(f"the mail server answered {exc.smtp_code} {detail}") from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise SendError(
            f"could not reach the mail server at {settings.host}:{settings.port} ({exc.__class__.__name__}: {exc})"
        ) from exc
