"""`python -m dashboard import KIND FILE [--check]`: the same import as the admin page, run as the system."""

from __future__ import annotations

import sys
from pathlib import Path

KINDS = ("milestones", "actions", "savings", "kpi_values")
KIND_ALIASES = {
    "kpi": "kpi_values",
    "kpis": "kpi_values",
    "kpi-values": "kpi_values",
    "milestone": "milestones",
    "action": "actions",
    "saving": "savings",
}


def kind_name(text: str) -> str:
    """The kind a command line names: 'kpi_values', 'kpi-values', 'KPIs' → 'kpi_values'."""
    written = text.strip().lower()
    return KIND_ALIASES.get(written, written.replace("-", "_"))


def kind_help() -> str:
    """Every name the command line accepts for each kind, for its help."""
    names = []
    for kind in KINDS:
        written = {kind.replace("_", "-"), *(alias for alias, name in KIND_ALIASES.items() if name == kind)}
        aliases = sorted(written - {kind})
        names.append(f"{kind} (or {', '.join(aliases)})" if aliases else kind)
    return "what the spreadsheet holds: " + "; ".join(names)


def run_import(kind: str, path, dry_run: bool, sheet: str | None = None) -> int:
    """Check (and unless `dry_run`, import) a file; prints the plain-words report. 0 = good file, 1 = bad."""
    from dashboard import db, services
    from dashboard.services import importer

    db.get_engine()  # configures from DATABASE_URL unless already configured
    name = kind_name(kind)
    if name not in importer.KINDS:
        print(f"Unknown kind {kind!r}: choose one of {', '.join(importer.KINDS)}.", file=sys.stderr)
        return 1
    file = Path(path)
    try:
        content = file.read_bytes()
    except OSError as exc:
        print(f"Could not read {file}: {exc.strerror or exc}.", file=sys.stderr)
        return 1
    if dry_run:
        report = importer.check_file(name, file.name, content, sheet=sheet)
    else:
        report = importer.import_file(services.SYSTEM, name, file.name, content, sheet=sheet)
    from dashboard.reports import import_preview

    stream = sys.stdout if report.ok else sys.stderr
    for line in import_preview.lines(report):
        print(line, file=stream)
    if report.ok and dry_run:
        print("Checked only (--check): nothing was imported.")
    return 0 if report.ok else 1
