"""The reminder email a lead reads: what they owe for the next board, each item a link to its update form.

Plain text and HTML parts; the HTML is built by ui/markup (every value escaped) and fetches nothing
from elsewhere: no images, no styles but inline ones."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from dashboard import clock
from dashboard.domain.formatting import format_date, format_datetime
from dashboard.queries.update_window import KIND_LABELS, Item, Lead, Window
from dashboard.ui import markup

PRODUCT_NAME = "ASCH programme tracker"


def subject(window: Window) -> str:
    return f"{PRODUCT_NAME}: updates due for the board on {format_date(window.meeting_date)}"


def due_sentence(window: Window) -> str:
    if clock.now() >= window.due_at:
        return (
            f"Updates for the {window.title} on {format_date(window.meeting_date)} were due by "
            f"{format_datetime(window.due_at)} (UK time): please make them before the meeting."
        )
    return (
        f"Updates for the {window.title} on {format_date(window.meeting_date)} are due by "
        f"{format_datetime(window.due_at)} (UK time)."
    )


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def plain_text(lead: Lead, items: list[Item], window: Window, base_url: str) -> str:
    lines = [
        f"Dear {lead.name},",
        "",
        due_sentence(window),
        f"You have {_plural(len(items), 'item')} to update. Each link opens its update form after you sign in:",
        "",
    ]
    for item in items:
        lines.append(f"- {KIND_LABELS[item.kind]}: {item.title} ({item.project or 'no project'})")
        lines.append(f"  {base_url}{item.path}")
    lines += [
        "",
        "An item counts as updated once you save its form, even if nothing else has changed.",
        "",
        f"{PRODUCT_NAME}, for the programme office",
    ]
    return "\n".join(lines) + "\n"


def html_body(lead: Lead, items: list[Item], window: Window, base_url: str) -> str:
    rows = [
        markup.element(
            "li",
            markup.element("a", f"{KIND_LABELS[item.kind]}: {item.title}", href=f"{base_url}{item.path}"),
            f" ({item.project or 'no project'})",
            style="margin-bottom:0.4em",
        )
        for item in items
    ]
    body = markup.join(
        [
            markup.element("p", f"Dear {lead.name},"),
            markup.element("p", markup.element("strong", due_sentence(window))),
            markup.element(
                "p",
                f"You have {_plural(len(items), 'item')} to update. Each link opens its update form "
                "after you sign in:",
            ),
            markup.element("ul", markup.join(rows)),
            markup.element(
                "p", "An item counts as updated once you save its form, even if nothing else has changed."
            ),
            markup.element("p", f"{PRODUCT_NAME}, for the programme office", style="color:#555"),
        ]
    )
    page = markup.element(
        "html",
        markup.element("head", markup.element("title", subject(window))),
        markup.element("body", body, style="font-family:Arial,sans-serif;font-size:16px;line-height:1.4"),
        lang="en-GB",
    )
    return str(page)


def reminder_message(
    lead: Lead, items: list[Item], window: Window, sender: str, base_url: str
) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject(window)
    message["From"] = formataddr((PRODUCT_NAME, sender))
    message["To"] = formataddr((lead.name, lead.email or ""))
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(plain_text(lead, items, window, base_url))
    message.add_alternative(html_body(lead, items, window, base_url), subtype="html")
    return message
