"""`python -m dashboard remind`: email each lead what they owe for the next board meeting."""

from __future__ import annotations

import sys

from dashboard import clock
from dashboard.config import Settings
from dashboard.domain.formatting import format_date, format_datetime

NOT_CONFIGURED = (
    "Mail is not configured: set SMTP_HOST, MAIL_FROM and PUBLIC_BASE_URL (and SMTP_PORT, SMTP_SECURITY, "
    "SMTP_USER, SMTP_PASSWORD as your mail server needs); see README, Configuration. Nothing was sent."
)


def remind(settings: Settings, *, again: bool, dry_run: bool) -> int:
    """0 when every lead who owes updates was reminded (or had been); 1 when any was not; 2 unconfigured."""
    from dashboard import db, services
    from dashboard.services.reminders import WOULD_SEND, send_reminders

    if settings.mail is None:
        print(NOT_CONFIGURED, file=sys.stderr)
        return 2
    db.configure(settings.database_url)
    run = send_reminders(services.SYSTEM, settings.mail, clock.today(), again=again, dry_run=dry_run)
    if run.window is None:
        print(
            "No board meeting after today is recorded: nothing to remind anyone of. Add one on the overview."
        )
        return 0
    window = run.window
    print(
        f"Board on {format_date(window.meeting_date)}: updates due by {format_datetime(window.due_at)} (UK time)."
        + (" Dry run: nothing is sent." if dry_run else "")
    )
    if not run.outcomes:
        print("No lead owes an update: nothing to send.")
    for outcome in run.outcomes:
        stream = sys.stderr if outcome in run.failed else sys.stdout
        print(outcome.line(), file=stream)
        if outcome.status == WOULD_SEND:
            for item in outcome.items:
                print(f"  {settings.mail.public_base_url}{item.path}  {item.title}")
    if run.failed:
        print(
            f"{len(run.failed)} lead(s) not reminded; run the command again to send only theirs.",
            file=sys.stderr,
        )
        return 1
    return 0
