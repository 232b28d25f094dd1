"""`python -m dashboard …`: init-db, seed, purge-illustrative, the user commands, export, import, backup,
restore, remind."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dashboard.cli.imports import KINDS, kind_help, kind_name
from dashboard.config import ConfigError, load_settings


def _init_db(args) -> int:
    from dashboard.cli.initdb import init_db

    for line in init_db(load_settings()):
        print(line)
    return 0


def _seed(args) -> int:
    from dashboard.cli import seeding

    settings = load_settings()
    if args.part == "demo":
        return seeding.seed_demo(settings)
    return seeding.seed_documents(settings, args.organisation)


def _purge(args) -> int:
    from dashboard.cli import seeding

    return seeding.purge(load_settings(), yes=args.yes, apply=args.apply, dry_run=args.dry_run)


PASSWORD_ON_STDIN = (
    "Give the password on standard input with --password-stdin (it is never a command-line argument)."
)


def _refused(exc) -> int:
    """A service's refusal, one "field: message" line each, as the page shows them beside the fields."""
    for field, message in getattr(exc, "errors", {"user": str(exc)}).items():
        print(f"{field}: {message}", file=sys.stderr)
    return 1


def _users():
    from dashboard import db
    from dashboard.services import users

    db.configure(load_settings().database_url)
    return users


LOCAL_SIGN_IN_OFF = (
    "Passwords of the tracker's own are switched off (LOCAL_SIGN_IN=off): people sign in with {provider}. "
    "Leave out --password-stdin to add a user who signs in with it (their username is the one it gives)."
)


def _create_user(args) -> int:
    from dashboard import services

    users = _users()
    settings = load_settings()
    if not settings.local_sign_in:
        # Passwords are off: the user is added without one, and signs in with the provider.
        if args.password_stdin:
            print(LOCAL_SIGN_IN_OFF.format(provider=settings.oidc.provider_name), file=sys.stderr)
            return 2
        password = None
    elif not args.password_stdin:
        print(PASSWORD_ON_STDIN, file=sys.stderr)
        return 2
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        user_id = users.create_user(
            services.SYSTEM,
            args.name,
            args.role,
            password,
            display_name=args.display_name or "",
            lead_of=args.lead_of or (),
            email=args.email,
            with_provider=password is None,
        )
    except services.ValidationError as exc:
        return _refused(exc)
    projects = f", leading {', '.join(args.lead_of)}" if args.lead_of else ""
    print(f"Created user {args.name} (id {user_id}) with role {args.role}{projects}.")
    return 0


def _set_password(args) -> int:
    from dashboard import services

    users = _users()
    settings = load_settings()
    if not settings.local_sign_in:
        print(LOCAL_SIGN_IN_OFF.split(". Leave")[0] + ".", file=sys.stderr)
        return 2
    if args.password_stdin == args.generate:
        print(PASSWORD_ON_STDIN + " Or use --generate to have one made and shown once.", file=sys.stderr)
        return 2
    password = None if args.generate else sys.stdin.readline().rstrip("\r\n")
    if password == "":
        return _refused(services.ValidationError({"password": "Enter a password of at least 8 characters."}))
    try:
        generated = users.set_password(services.SYSTEM, users.user_id_for(args.name), password)
    except (services.ValidationError, services.NotFoundError) as exc:
        return _refused(exc)
    print(f"Set a new password for {args.name}; their sessions have ended.")
    if generated:
        print(f"Their new password (shown this once): {generated}")
    return 0


def _set_active(active: bool):
    def run(args) -> int:
        from dashboard import services

        users = _users()
        try:
            users.set_active(services.SYSTEM, users.user_id_for(args.name), active)
        except (services.ValidationError, services.NotFoundError) as exc:
            return _refused(exc)
        if active:
            print(f"Reactivated {args.name}: they can sign in again.")
        else:
            print(f"Deactivated {args.name}: they cannot sign in, and their sessions have ended.")
        return 0

    return run


def _end_sessions(args) -> int:
    from dashboard import services

    users = _users()
    try:
        ended = users.end_sessions(services.SYSTEM, users.user_id_for(args.name))
    except (services.ValidationError, services.NotFoundError) as exc:
        return _refused(exc)
    print(f"Ended {args.name}'s sessions ({ended} open).")
    return 0


def _list_users(args) -> int:
    from dashboard.queries.users import user_list

    _users()
    settings = load_settings()
    rows = user_list(settings.session_idle, settings.session_lifetime)
    headings = ("username", "name", "role", "projects led", "email", "last sign-in", "status")
    table = [
        (
            row["username"],
            row["display_name"],
            row["role"],
            row["lead_of"] or "-",
            row["email"] or "-",
            row["last_sign_in"] or "never",
            row["status"],
        )
        for row in rows
    ]
    widths = [max(len(str(line[i])) for line in [headings, *table]) for i in range(len(headings))]
    for line in [headings, *table]:
        print("  ".join(str(value).ljust(width) for value, width in zip(line, widths, strict=True)).rstrip())
    return 0


def _export(args) -> int:
    from dashboard import db
    from dashboard.reports.export import export_csv

    settings = load_settings()
    db.configure(settings.database_url)
    written = export_csv(Path(args.directory))
    for path, rows in written:
        print(f"{path}: {rows:,} rows")
    return 0


def _import(args) -> int:
    from dashboard import db
    from dashboard.cli.imports import run_import

    db.configure(load_settings().database_url)
    return run_import(args.kind, args.file, dry_run=args.check, sheet=args.sheet)


def _backup(args) -> int:
    from dashboard.cli.backup import BackupError, backup

    try:
        written = backup(load_settings().database_url, Path(args.file))
    except BackupError as exc:
        print(f"Backup not made: {exc}", file=sys.stderr)
        return 1
    print(f"Backed up the database to {written}.")
    return 0


def _restore(args) -> int:
    from dashboard.cli.backup import BackupError, restore

    try:
        restored = restore(load_settings().database_url, Path(args.file))
    except BackupError as exc:
        print(f"Not restored: {exc}", file=sys.stderr)
        return 1
    print(f"Restored {restored} from {args.file}. Run init-db if the backup predates the latest version.")
    return 0


def _remind(args) -> int:
    from dashboard.cli.remind import remind

    return remind(load_settings(), again=args.again, dry_run=args.dry_run)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard",
        description="Programme milestone and benefits tracker: database and user administration.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    init = commands.add_parser(
        "init-db",
        help="create or migrate the schema, load the reference data (in development: the whole demo)",
        description="Create or migrate the schema to the latest version and load the reference data "
        "(areas and KPI definitions), saying what it loaded per table; a second run changes nothing and "
        "says so. In development a new database also gets both organisations' documents, the "
        "illustrative data and the demo users (the one-command demo); in production nothing more: "
        "use `seed documents` and `create-user`.",
    )
    init.set_defaults(handler=_init_db)

    seeding = commands.add_parser(
        "seed",
        help="load the source documents' rows (documents) or the illustrative demonstration (demo)",
        description="Load seed data into an initialised database. Rows already there are never added "
        "twice, so running it again adds nothing.",
    )
    parts = seeding.add_subparsers(dest="part", required=True, metavar="PART")
    documents = parts.add_parser(
        "documents",
        help="the rows the source documents give, for one organisation (default: bcc, Birmingham)",
        description="Load the rows the source documents give, each citing its document and section: the "
        "organisation, its programmes, projects, milestones (title and baseline dates), saving targets, "
        "the peer challenge letter and the KPI values the documents print. Illustrative values are "
        "left blank. Without --organisation, the product's council (bcc, Birmingham City Council).",
    )
    documents.add_argument(
        "--organisation",
        action="append",
        metavar="KEY",
        help="bcc (Birmingham), barnet (Barnet) or all; repeat for several",
    )
    demo = parts.add_parser(
        "demo",
        help="every organisation's documents plus the illustrative data and demo users (not in production)",
        description="Load every organisation's documents, the illustrative rows and values (marked "
        "\u201cIllustrative data\u201d in the app) and the demo users. Refused when DASHBOARD_ENV=production.",
    )
    demo.set_defaults(part="demo")
    seeding.set_defaults(handler=_seed)

    purge = commands.add_parser(
        "purge-illustrative",
        help="remove every illustrative row and value, in one audited transaction, after confirmation",
        description="Show, per table, the illustrative rows it removes and the documented rows whose "
        "illustrative values it clears, then ask before doing it in one transaction, each change in the "
        "audit trail. In production it is a dry run unless --apply is given.",
    )
    purge.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    purge.add_argument(
        "--apply", action="store_true", help="production: make the changes (without it, a dry run)"
    )
    purge.add_argument("--dry-run", action="store_true", help="only show what it would change")
    purge.set_defaults(handler=_purge)

    create = commands.add_parser(
        "create-user",
        help="add a user; the password is read from standard input",
        description="Add a user. The password is read from the first line of standard input; with "
        "LOCAL_SIGN_IN=off there is none (leave out --password-stdin): they sign in with the identity provider.",
    )
    create.add_argument("name", help="the username they sign in with")
    create.add_argument("--role", required=True, choices=("viewer", "lead", "admin"))
    create.add_argument(
        "--lead-of",
        action="append",
        metavar="PROJECT",
        help="a project or work-stream they lead (key or exact name); repeat for several",
    )
    create.add_argument("--display-name", help="the name shown in the app and the audit trail")
    create.add_argument("--email", help="their email address (optional)")
    create.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    create.set_defaults(handler=_create_user)

    password = commands.add_parser(
        "set-password",
        help="reset a user's password (from standard input, or generated); ends their sessions",
        description="Set a user's password: read from the first line of standard input with --password-stdin, "
        "or made up and shown once with --generate. Every session of theirs ends.",
    )
    password.add_argument("name", help="their username")
    password.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    password.add_argument("--generate", action="store_true", help="make up a password and show it once")
    password.set_defaults(handler=_set_password)

    for name, active, what in (
        ("deactivate", False, "stop a user signing in and end their sessions (their history stays)"),
        ("reactivate", True, "let a deactivated user sign in again"),
    ):
        command = commands.add_parser(name, help=what, description=what[0].upper() + what[1:] + ".")
        command.add_argument("name", help="their username")
        command.set_defaults(handler=_set_active(active))

    ending = commands.add_parser(
        "end-sessions",
        help="sign a user out everywhere now",
        description="End every session of a user: each browser they are signed in on must sign in again.",
    )
    ending.add_argument("name", help="their username")
    ending.set_defaults(handler=_end_sessions)

    listing = commands.add_parser(
        "list-users",
        help="list users: role, projects led, email, last sign-in, active or not",
        description="List every user with their role, the projects they lead, email, last sign-in and "
        "whether they are active.",
    )
    listing.set_defaults(handler=_list_users)

    export = commands.add_parser(
        "export",
        help="write one CSV per entity into DIR",
        description="Write one CSV per entity (milestones.csv, actions.csv, savings.csv, kpis.csv, "
        "kpi_values.csv, audit.csv, …) into DIR, with a header row, names beside ids, ISO dates and "
        "money in pounds.",
    )
    export.add_argument("directory", metavar="DIR")
    export.set_defaults(handler=_export)

    importing = commands.add_parser(
        "import",
        help="import a milestone, action, saving or KPI spreadsheet (xlsx or CSV), all or nothing",
        description="Import a spreadsheet in the layout described in docs/import-layouts.md. Every row is "
        "checked first; if any row is wrong nothing is imported and every problem is listed by sheet, row "
        "and column. Rows are matched on a key, so importing the same file again changes nothing.",
    )
    importing.add_argument("kind", type=kind_name, choices=KINDS, metavar="KIND", help=kind_help())
    importing.add_argument("file", metavar="FILE", help="an .xlsx or .csv file")
    importing.add_argument("--check", action="store_true", help="only check the file; import nothing")
    importing.add_argument(
        "--sheet", metavar="NAME", help="read this sheet (the only way a hidden sheet is read)"
    )
    importing.set_defaults(handler=_import)

    backup = commands.add_parser(
        "backup",
        help="copy the embedded SQLite database to FILE, consistently, while the app runs",
        description="Copy the embedded SQLite database to FILE using SQLite's online backup, so the copy is "
        "consistent even while the dashboard is serving. For PostgreSQL use pg_dump.",
    )
    backup.add_argument("file", metavar="FILE")
    backup.set_defaults(handler=_backup)

    restore = commands.add_parser(
        "restore",
        help="replace the embedded SQLite database with the backup in FILE (stop the app first)",
        description="Replace the embedded SQLite database with a backup made by `backup`. Stop the dashboard "
        "first. For PostgreSQL use pg_restore.",
    )
    restore.add_argument("file", metavar="FILE")
    restore.set_defaults(handler=_restore)

    reminding = commands.add_parser(
        "remind",
        help="email each lead what they owe for the next board meeting (for cron); --dry-run, --again",
        description="Email each active lead who owes updates for the next board meeting one message listing "
        "them, each a link to its update form, and the moment they are due. Leads who owe nothing get "
        "nothing; a lead already reminded for that meeting is not sent it again unless --again. Every "
        "email sent is recorded and in the audit trail. Mail goes by SMTP as SMTP_HOST, SMTP_PORT, "
        "SMTP_SECURITY, SMTP_USER, SMTP_PASSWORD, MAIL_FROM and PUBLIC_BASE_URL say; without them the "
        "command says so and exits 2. Exits 1 when any lead was not reminded (each is named); running "
        "again sends only theirs.",
    )
    reminding.add_argument("--dry-run", action="store_true", help="print what it would send; send nothing")
    reminding.add_argument("--again", action="store_true", help="also remind leads already reminded")
    reminding.set_defaults(handler=_remind)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except ConfigError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
