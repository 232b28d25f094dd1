"""Reminder emails: each lead who owes updates for the next board gets one email listing them, once per
meeting unless asked again; every email sent is recorded (reminders table) and in the audit trail."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select

from dashboard import mailer, policy
from dashboard import models as m
from dashboard.auth import require_role
from dashboard.config import MailSettings
from dashboard.db import session_scope
from dashboard.domain.formatting import format_date, format_datetime
from dashboard.queries import update_window as window_queries
from dashboard.queries.update_window import KIND_LABELS, Item, Lead, Window
from dashboard.reports.reminder_email import reminder_message
from dashboard.services.core import audit

SENT = "sent"
WOULD_SEND = "would send"
ALREADY = "already reminded"
NO_EMAIL = "no email address"
FAILED = "not sent"


@dataclass(frozen=True)
class Outcome:
    lead: Lead
    items: list[Item]
    status: str
    detail: str = ""

    def line(self, command: bool = True) -> str:
        """One line for the command's output and the overview's answer."""
        owed = f"{len(self.items)} item" + ("" if len(self.items) == 1 else "s")
        to = f"{self.lead.name} <{self.lead.email}>" if self.lead.email else self.lead.name
        if self.status == SENT:
            return f"Sent to {to}: {owed}."
        if self.status == WOULD_SEND:
            return f"Would send to {to}: {owed}."
        if self.status == ALREADY:
            again = "; --again sends it again" if command else ""
            return f"Not sent to {to}: already reminded for this meeting ({self.detail}){again}."
        if self.status == NO_EMAIL:
            return f"Not sent to {self.lead.name}: no email address recorded (add one on the users page); {owed} owed."
        return f"Not sent to {to}: {self.detail}."


@dataclass
class Run:
    window: Window | None
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status in (FAILED, NO_EMAIL)]

    @property
    def sent(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == SENT]


def audit_text(lead: Lead, items: list[Item], window: Window) -> str:
    """What the audit trail keeps of a reminder: to whom, for which board, which items."""
    listed = "; ".join(f"{KIND_LABELS[item.kind]} {item.id} ({item.title})" for item in items)
    return (
        f"To {lead.username} <{lead.email}> for the board on {format_date(window.meeting_date)} "
        f"(due {format_datetime(window.due_at)}): {listed}"
    )


def _record(actor, lead: Lead, items: list[Item], window: Window) -> None:
    with session_scope() as db:
        reminder = m.Reminder(
            meeting_id=window.meeting_id,
            user_id=lead.user_id,
            sent_by=actor.username,
            email=lead.email or "",
            items=" ".join(item.token for item in items),
        )
        db.add(reminder)
        db.flush()
        audit(db, actor, "remind", "reminder", reminder.id, "items", None, audit_text(lead, items, window))


def _reminded(meeting_id: int) -> dict[int, dt.datetime]:
    with session_scope() as db:
        rows = db.execute(
            select(m.Reminder.user_id, m.Reminder.sent_at).where(m.Reminder.meeting_id == meeting_id)
        ).all()
    latest: dict[int, dt.datetime] = {}
    for user_id, sent_at in rows:
        latest[user_id] = max(sent_at, latest.get(user_id, sent_at))
    return latest


def send_reminders(
    actor, mail: MailSettings, today: dt.date, *, again: bool = False, dry_run: bool = False
) -> Run:
    """Remind every lead who owes updates for the next meeting (after `today`).

    A lead already reminded for that meeting is skipped unless `again`; a lead who owes nothing gets
    nothing. Each email is recorded in its own transaction as soon as the server accepts it, so a
    failure for one lead (a refused address, the server gone) leaves the others' sent and recorded,
    and running again sends only what was not sent."""
    require_role(actor, policy.ADMIN)
    window = window_queries.next_window(today)
    run = Run(window)
    if window is None:
        return run
    reminded = _reminded(window.meeting_id)
    for group in window_queries.owed_by_lead(window):
        lead = group.lead
        if lead is None:
            continue  # items no lead may update are the programme office's own
        items = group.items
        if not lead.email:
            run.outcomes.append(Outcome(lead, items, NO_EMAIL))
            continue
        if lead.user_id in reminded and not again:
            run.outcomes.append(Outcome(lead, items, ALREADY, format_datetime(reminded[lead.user_id])))
            continue
        if dry_run:
            run.outcomes.append(Outcome(lead, items, WOULD_SEND))
            continue
        message = reminder_message(lead, items, window, mail.sender, mail.public_base_url)
        try:
            mailer.send(mail, message)
        except mailer.SendError as exc:
            run.outcomes.append(Outcome(lead, items, FAILED, str(exc)))
            continue
        _record(actor, lead, items, window)
        run.outcomes.append(Outcome(lead, items, SENT))
    return run
