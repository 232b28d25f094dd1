"""`create-user` and `export` as an administrator would run them."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from dashboard import models as m
from dashboard.db import session_scope
from tests.helpers import login

ROOT = Path(__file__).resolve().parent.parent


def _cli(url: str, *args: str, stdin: str | None = None):
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "cli-test-key"}
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_create_user_reads_the_password_from_stdin_and_can_sign_in(database_url, app):
    result = _cli(
        database_url,
        "create-user",
        "perry.lead",
        "--role",
        "lead",
        "--lead-of",
        "transition",
        "--password-stdin",
        stdin="a-long-secret-1\n",
    )
    assert result.returncode == 0, result.stderr
    assert "a-long-secret-1" not in result.stdout
    with session_scope() as db:
        user = db.scalars(select(m.User).where(m.User.username == "perry.lead")).one()
        assert user.role == "lead"
        assert [project.key for project in user.led_projects] == ["transition"]
        audit = db.scalars(
            select(m.AuditEvent).where(m.AuditEvent.entity == "user", m.AuditEvent.entity_id == user.id)
        ).all()
        assert {event.field for event in audit} == {"role", "lead_of"}
    client = app.server.test_client()
    assert login(client, "perry.lead", "a-long-secret-1").status_code == 302


def test_create_user_refuses_bad_input_and_changes_nothing(database_url):
    cases = [
        (["admin", "--role", "viewer"], "already exists"),
        (["new.person", "--role", "lead", "--lead-of", "No Such Project"], "no project called"),
        (["new.person", "--role", "viewer", "--lead-of", "transition"], "Only a user with the lead role"),
        (["bad name!", "--role", "viewer"], "username"),
    ]
    for args, message in cases:
        result = _cli(database_url, "create-user", *args, "--password-stdin", stdin="long-enough-pw\n")
        assert result.returncode == 1, args
        assert message in result.stderr, (args, result.stderr)
    short = _cli(
        database_url, "create-user", "new.person", "--role", "viewer", "--password-stdin", stdin="short\n"
    )
    assert short.returncode == 1 and "at least 8 characters" in short.stderr
    with session_scope() as db:
        assert db.scalars(select(m.User).where(m.User.username.in_(["new.person", "bad name!"]))).all() == []


def test_create_user_without_password_stdin_is_refused(database_url):
    result = _cli(database_url, "create-user", "someone", "--role", "viewer")
    assert result.returncode == 2
    assert "--password-stdin" in result.stderr


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_export_writes_a_readable_csv_per_entity(database_url, tmp_path):
    result = _cli(database_url, "export", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    for name in ("milestones.csv", "actions.csv", "savings.csv", "kpis.csv", "kpi_values.csv", "audit.csv"):
        assert (out / name).exists(), name

    milestones = _read(out / "milestones.csv")
    # Seed 000 §5.15: "Workforce Strategy and proposed service structure", December 2018.
    workforce = next(
        row for row in milestones if row["title"] == "Workforce Strategy and proposed service structure"
    )
    assert workforce["project"] and workforce["programme"]
    assert workforce["baseline_start"] == "2018-12-01"
    assert workforce["baseline_end"] == "2018-12-31"

    savings = _read(out / "savings.csv")
    # Seed 000 §4.2.2: around £6m in 2019/20, in pounds as a plain number.
    customer_journey = [row for row in savings if row["financial_year"] == "2019/20" and row["fte"] == "148"]
    assert customer_journey and customer_journey[0]["target"] == "6000000"

    values = _read(out / "kpi_values.csv")
    # Seed 002, ASCOF table: Bolton's 2A(2) older-adult admissions were 985 in 2014/15.
    bolton = [
        row
        for row in values
        if row["kpi_code"] == "2A(2)" and row["area"] == "Bolton" and row["period_start"] == "2014-04-01"
    ]
    assert len(bolton) == 1 and float(bolton[0]["value"]) == 985
    assert bolton[0]["kpi_name"] and bolton[0]["period"] == "2014/15"

    audit = _read(out / "audit.csv")
    assert {"at", "username", "entity", "field", "old_value", "new_value"} <= set(audit[0].keys())


def test_import_command_checks_then_imports_all_or_nothing(database_url, tmp_path):
    good = tmp_path / "savings.csv"
    good.write_text(
        "Project,Financial year,Description,Target,Forecast,Confidence,Confidence reason\n"
        "transition,2026/27,Reduced agency spend,£1.2m,£1.1m,Medium,Recruitment on track\n"
        ",,,,,,\n"
        "Total,,,£1.2m,£1.1m,,\n",
        encoding="utf-8",
    )
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "Project,Financial year,Description,Target\n"
        "transition,2026/27,Fine line,£100k\n"
        "nowhere,2026/27,Unknown project,£5k\n"
        "transition,2026/28,Bad year,£5k\n",
        encoding="utf-8",
    )
    refused = _cli(database_url, "import", "savings", str(bad))
    assert refused.returncode == 1
    assert "row 3" in refused.stdout + refused.stderr and "row 4" in refused.stdout + refused.stderr
    checked = _cli(database_url, "import", "savings", str(good), "--check")
    assert checked.returncode == 0
    with session_scope() as db:
        assert (
            db.scalars(select(m.SavingLine).where(m.SavingLine.description == "Reduced agency spend")).first()
            is None
        )
    assert _cli(database_url, "import", "savings", str(good)).returncode == 0
    with session_scope() as db:
        line = db.scalars(
            select(m.SavingLine).where(m.SavingLine.description == "Reduced agency spend")
        ).one()
        assert (line.financial_year, int(line.target), int(line.forecast)) == (2026, 1_200_000, 1_100_000)
        assert (
            db.scalars(
                select(m.SavingLine).where(m.SavingLine.description.in_(["Fine line", "Bad year"]))
            ).first()
            is None
        )


def test_import_accepts_every_name_its_help_lists_for_a_kind(database_url, tmp_path):
    from dashboard.__main__ import build_parser
    from dashboard.cli.imports import KINDS, kind_help

    help_text = kind_help()
    for kind in KINDS:
        listed = help_text.split(kind, 1)[1].split(";")[0].strip(" ()").removeprefix("or ").split(", ")
        for name in [kind, *listed]:
            assert build_parser().parse_args(["import", name, "f.csv"]).kind == kind, name
    assert {"kpi_values", "kpi-values", "kpis"} <= set(help_text.replace(",", " ").replace(")", " ").split())
    values = tmp_path / "values.csv"
    values.write_text(
        "KPI code,Area,Period,Value\nCON-FIRST-CONTACT,ladywood,Q3 2026/27,51\n", encoding="utf-8"
    )
    for name in ("kpi_values", "kpi-values"):
        checked = _cli(database_url, "import", name, str(values), "--check")
        assert checked.returncode == 0, checked.stderr
        assert "ready to import" in checked.stdout


def test_set_password_from_stdin_or_generated_ends_their_sessions(database_url, app):
    lead = app.server.test_client()
    assert login(lead, "cj.lead").status_code == 302
    result = _cli(database_url, "set-password", "cj.lead", "--password-stdin", stdin="a-brand-new-one-1\n")
    assert result.returncode == 0, result.stderr
    assert "a-brand-new-one-1" not in result.stdout and "their sessions have ended" in result.stdout
    assert lead.get("/").status_code == 302
    assert login(app.server.test_client(), "cj.lead", "a-brand-new-one-1").status_code == 302

    generated = _cli(database_url, "set-password", "cj.lead", "--generate")
    assert generated.returncode == 0, generated.stderr
    password = generated.stdout.rsplit(": ", 1)[1].strip()
    assert login(app.server.test_client(), "cj.lead", password).status_code == 302
    with session_scope() as db:
        stored = db.scalars(select(m.User.password_hash).where(m.User.username == "cj.lead")).one()
        events = db.scalars(select(m.AuditEvent.action).where(m.AuditEvent.field == "password")).all()
    assert password not in stored and events == ["reset-password", "reset-password"]


def test_set_password_refuses_as_the_page_does(database_url):
    short = _cli(database_url, "set-password", "cj.lead", "--password-stdin", stdin="short\n")
    assert short.returncode == 1 and "password: Enter a password of at least 8 characters." in short.stderr
    nobody = _cli(database_url, "set-password", "no.such.user", "--password-stdin", stdin="long-enough-1\n")
    assert nobody.returncode == 1 and "There is no user called 'no.such.user'." in nobody.stderr
    neither = _cli(database_url, "set-password", "cj.lead")
    assert neither.returncode == 2 and "--password-stdin" in neither.stderr


def test_deactivate_reactivate_and_list_users(database_url, app):
    lead = app.server.test_client()
    assert login(lead, "cj.lead").status_code == 302
    result = _cli(database_url, "deactivate", "cj.lead")
    assert result.returncode == 0, result.stderr
    assert "cannot sign in" in result.stdout
    assert lead.get("/").status_code == 302
    assert login(app.server.test_client(), "cj.lead").status_code == 401

    listing = _cli(database_url, "list-users")
    assert listing.returncode == 0, listing.stderr
    lines = {line.split()[0]: line for line in listing.stdout.splitlines()[1:]}
    assert set(lines) == {"admin", "cabinet.member", "cj.lead", "transition.lead"}
    assert lines["cj.lead"].rstrip().endswith("Deactivated") and "Customer Journey" in lines["cj.lead"]
    assert lines["admin"].rstrip().endswith("Active")

    assert _cli(database_url, "reactivate", "cj.lead").returncode == 0
    assert login(app.server.test_client(), "cj.lead").status_code == 302


def test_the_last_administrator_cannot_be_deactivated_from_the_command_line(database_url):
    result = _cli(database_url, "deactivate", "admin")
    assert result.returncode == 1
    assert (
        "active: admin is the last active administrator: make another user an administrator before you "
        "deactivate them." in result.stderr
    )
    with session_scope() as db:
        assert db.scalars(select(m.User.active).where(m.User.username == "admin")).one() is True


def test_end_sessions_signs_a_user_out_everywhere(database_url, app):
    clients = [app.server.test_client() for _ in range(2)]
    for client in clients:
        assert login(client, "transition.lead").status_code == 302
    result = _cli(database_url, "end-sessions", "transition.lead")
    assert result.returncode == 0, result.stderr
    assert "(2 open)" in result.stdout
    assert all(client.get("/").status_code == 302 for client in clients)


def test_create_user_takes_an_email(database_url):
    result = _cli(
        database_url,
        "create-user",
        "erin",
        "--role",
        "viewer",
        "--email",
        "erin@example.org",
        "--password-stdin",
        stdin="long-enough-pw\n",
    )
    assert result.returncode == 0, result.stderr
    bad = _cli(
        database_url,
        "create-user",
        "fred",
        "--role",
        "viewer",
        "--email",
        "fred",
        "--password-stdin",
        stdin="long-enough-pw\n",
    )
    assert bad.returncode == 1 and "email: Enter an email address like name@example.org" in bad.stderr
    with session_scope() as db:
        assert db.scalars(select(m.User.email).where(m.User.username == "erin")).one() == "erin@example.org"


def test_help_lists_the_user_commands():
    result = subprocess.run(
        [sys.executable, "-m", "dashboard", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    for command in ("create-user", "set-password", "deactivate", "reactivate", "end-sessions", "list-users"):
        assert command in result.stdout, command
