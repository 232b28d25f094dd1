"""Loads the seed data transcribed from the source documents (data/seed/*.csv), in three parts.

- **Reference data** (every database, production included): the places and the measures, that is
  the areas (Birmingham's ten constituencies, the city, its ASCOF comparator councils, the national
  and comparator averages, the teams the self-assessment reports on) and the KPI catalogue with each
  measure's unit and polarity. Areas and KPIs that only another council's document uses (Barnet's
  enquiry funnel) come with that council's documents instead, and the KPI definitions the documents
  do not give (the constituency KPIs, source "illustrative") are demonstration data. Targets and
  tolerances the documents do not give are left blank. The schema holds no financial-year calendar:
  financial years are computed (`domain/formatting.py`).
- **Documents** (`seed documents`, per organisation): the rows the source documents give, each
  citing its document and section: the organisation, its programmes, projects, baselines, milestones
  (title and the baseline dates the document gives), saving lines (target, FTE), benefits, the peer
  challenge letter's recommendations and points, the KPI values and ranks the documents print. A
  row belongs to the organisation of the document it cites (data/seed/documents.csv) or, inside a
  programme, to the programme's organisation.
- **Demo** (`seed demo`, never in production): the illustrative rows (action plan, progress notes,
  constituency and transition KPI values, board meetings, milestones whose dates no document gives)
  and the illustrative values of documented rows: a milestone's status, RAG, forecast and actual
  dates, a saving line's forecast, realised and confidence, a benefit's owner and target date, a
  KPI's target and tolerance. Which fields of a row are illustrative is its `illustrative_fields`
  column (kpis.csv: a KPI whose values_source is illustrative has an illustrative target and
  tolerance).

Every load is idempotent: a row already in the database (found by its natural key) is never added
twice, and illustrative values are only put on a documented row while all of them are still blank.
Loading everything into a new database adds the rows in the files' order, as one pass.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard import models as m
from dashboard import seed_self_assessment as sa
from dashboard import seed_transition as tr
from dashboard.config import SEED_DIR
from dashboard.domain.formatting import parse_financial_year

SEED_FILES = (
    "organisations.csv",
    "programmes.csv",
    "projects.csv",
    "baselines.csv",
    "milestones.csv",
    "recommendations.csv",
    "consideration_areas.csv",
    "action_items.csv",
    "progress_notes.csv",
    "areas.csv",
    "kpis.csv",
    "kpi_values.csv",
    "published_ranks.csv",
    "saving_lines.csv",
    "benefits.csv",
    "board_meetings.csv",
)
DOCUMENTS_FILE = "documents.csv"  # source document → the organisation it is about

REFERENCE = "reference"
# The product's council: its areas and KPI definitions are the reference data, and `seed documents`
# loads its documents when no organisation is named.
HOME_ORGANISATION = "bcc"
ILLUSTRATIVE_SOURCE = "illustrative"
# The values_source of a KPI whose values the documents do not give, once its illustrative values
# are gone: its figures are the ones the council records.
COUNCIL_VALUES = "council"

# What an illustrative field of a documented row holds when the documents give no value.
BLANK_VALUES: dict[str, dict[str, object]] = {
    "milestones": {
        "owner": "",
        "status": "Not started",
        "rag": None,
        "rag_reason": None,
        "percent_complete": 0,
        "forecast_start": None,
        "forecast_end": None,
        "actual_start": None,
        "actual_end": None,
        "commentary": "",
        "baseline_start": None,
    },
    "saving_lines": {"forecast": None, "realised": None, "confidence": None, "confidence_reason": None},
    "benefits": {"owner": "", "target_date": None},
    "kpis": {"target": None, "tolerance": None, "values_source": COUNCIL_VALUES},
}
KPI_ILLUSTRATIVE_FIELDS = frozenset({"target", "tolerance", "values_source"})


class SeedError(ValueError):
    """A seed file does not say what the loader expects (file, row and problem in the message)."""


@dataclass(frozen=True)
class Selection:
    """What to load besides the reference data (always loaded)."""

    organisations: frozenset[str] | None = frozenset()  # documented rows of these; None: every one
    demo: bool = False  # illustrative rows and values; implies the documents of every organisation

    def documents_of(self, organisation: str) -> bool:
        return self.demo or self.organisations is None or organisation in self.organisations


REFERENCE_ONLY = Selection()
EVERYTHING = Selection(organisations=None, demo=True)


def documents_of(organisations) -> Selection:
    return Selection(organisations=None if organisations is None else frozenset(organisations))


@dataclass
class LoadReport:
    """What a load did, per table (the table's name in the database)."""

    added: Counter = field(default_factory=Counter)  # rows added
    filled: Counter = field(default_factory=Counter)  # documented rows given their illustrative values

    @property
    def total(self) -> int:
        return sum(self.added.values()) + sum(self.filled.values())

    def lines(self) -> list[str]:
        """One line per table ("  milestones: 17 added"), in the order the tables were loaded."""
        tables = list(dict.fromkeys([*self.added, *self.filled]))
        lines = []
        for table in tables:
            parts = []
            if self.added[table]:
                parts.append(f"{self.added[table]:,} added")
            if self.filled[table]:
                parts.append(f"{self.filled[table]:,} given illustrative values")
            if parts:
                lines.append(f"  {table}: {', '.join(parts)}")
        return lines


def seed_digest(seed_dir: Path = SEED_DIR) -> str:
    digest = hashlib.sha256()
    for name in (DOCUMENTS_FILE, *SEED_FILES):
        digest.update(name.encode())
        digest.update((seed_dir / name).read_bytes())
    return digest.hexdigest()


def already_seeded(session: Session) -> m.SeedRun | None:
    return session.scalars(select(m.SeedRun).order_by(m.SeedRun.id)).first()


def _rows(seed_dir: Path, name: str) -> Iterator[tuple[int, dict[str, str]]]:
    with (seed_dir / name).open(newline="", encoding="utf-8") as handle:
        for line_number, row in enumerate(csv.DictReader(handle), start=2):
            yield line_number, {key: (value or "").strip() for key, value in row.items() if key}


def document_organisations(seed_dir: Path = SEED_DIR) -> dict[str, str]:
    """Each source document's file name → the key of the organisation it is about."""
    return {row["document"]: row["organisation"] for _line, row in _rows(seed_dir, DOCUMENTS_FILE)}


def organisation_keys(seed_dir: Path = SEED_DIR) -> list[str]:
    """The organisations the seed knows, in the file's order."""
    return list(organisation_names(seed_dir))


def organisation_names(seed_dir: Path = SEED_DIR) -> dict[str, str]:
    """Each organisation's key → its name, in the file's order."""
    return {row["key"]: row["name"] for _line, row in _rows(seed_dir, "organisations.csv")}


def _text(value: str) -> str | None:
    return value or None


def _date(value: str) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _int(value: str) -> int | None:
    return int(float(value)) if value else None


def _float(value: str) -> float | None:
    return float(value) if value else None


def _money(value: str) -> Decimal | None:
    return Decimal(value) if value else None


def _yes(value: str) -> bool:
    lowered = value.lower()
    if lowered in {"yes", "true", "1"}:
        return True
    if lowered in {"no", "false", "0", ""}:
        return False
    raise ValueError(f"expected yes or no, got {value!r}")


def _fields(value: str) -> frozenset[str]:
    return frozenset(part.strip() for part in value.split(";") if part.strip())


def illustrative_part(name: str, row: dict[str, str]) -> frozenset[str] | None:
    """Which fields of a seed row are illustrative: none when the documents give the whole row, None
    when they give none of it (the row is illustrative as a whole), else the fields its documented
    form leaves blank. A row flagged illustrative is wholly so unless it names its illustrative fields;
    one citing no document ("illustrative") is wholly so whatever it names; a milestone needs a
    baseline end, so one whose end no document gives is made up. kpis.csv has no illustrative column: a
    KPI whose values are illustrative has an illustrative target and tolerance too."""
    if name == "kpis.csv":
        flagged = row.get("values_source") == ILLUSTRATIVE_SOURCE
        row = {
            **row,
            "illustrative": "yes" if flagged else "no",
            "illustrative_fields": ";".join(sorted(KPI_ILLUSTRATIVE_FIELDS)) if flagged else "",
        }
    if row.get("source", "") == ILLUSTRATIVE_SOURCE:
        return None
    if not _yes(row.get("illustrative", "")):
        return frozenset()
    fields = _fields(row.get("illustrative_fields", ""))
    if not fields or (name == "milestones.csv" and "baseline_end" in fields):
        return None
    return fields


@dataclass(frozen=True)
class _Form:
    """How one seed row is loaded: whose data its documented form is (None: it has none, the whole
    row is illustrative) and which of its fields are illustrative."""

    owner: str | None
    illustrative_fields: frozenset[str] = frozenset()

    @property
    def demo_only(self) -> bool:
        return self.owner is None


class _Loader:
    def __init__(self, session: Session, seed_dir: Path, selection: Selection):
        self.session = session
        self.seed_dir = seed_dir
        self.selection = selection
        self.report = LoadReport()
        self.by_key: dict[str, dict[object, object]] = {}
        self.pending_parents: list[tuple[str, m.Project, str]] = []
        self.document_orgs = document_organisations(seed_dir)
        self.project_orgs = self._project_organisations()

    # -- what each row is -----------------------------------------------------------------------

    def _project_organisations(self) -> dict[str, str]:
        programmes = {row["key"]: row["organisation"] for _l, row in _rows(self.seed_dir, "programmes.csv")}
        return {row["key"]: programmes[row["programme"]] for _l, row in _rows(self.seed_dir, "projects.csv")}

    def cited(self, where: str, source: str) -> set[str]:
        """The organisations whose documents `source` cites."""
        return {org for document, org in self.document_orgs.items() if document in source}

    def by_document(self, where: str, row: dict[str, str]) -> str:
        orgs = self.cited(where, row.get("source", ""))
        if len(orgs) != 1:
            raise SeedError(f"{where}: cites documents of {len(orgs)} organisations; expected one")
        return orgs.pop()

    def of_project(self, where: str, row: dict[str, str], project_key: str) -> str:
        try:
            owner = self.project_orgs[project_key]
        except KeyError:
            raise SeedError(f"{where}: unknown project {project_key!r}") from None
        orgs = self.cited(where, row.get("source", ""))
        if orgs and orgs != {owner}:
            raise SeedError(f"{where}: cites another organisation's document than its project's ({owner})")
        return owner

    def place_or_measure(self, where: str, row: dict[str, str]) -> str:
        """Areas and KPI definitions are reference data unless only another council's document uses them."""
        orgs = self.cited(where, row.get("source", "")) - {HOME_ORGANISATION}
        if len(orgs) > 1:
            raise SeedError(f"{where}: cites documents of {len(orgs)} other organisations")
        return orgs.pop() if orgs else REFERENCE

    def form(self, row: dict[str, str], owner: Callable[[], str]) -> _Form:
        fields = illustrative_part(self.current_file, row)
        return _Form(None) if fields is None else _Form(owner(), fields)

    # -- bookkeeping ----------------------------------------------------------------------------

    def lookup(self, table: str, key, where: str):
        try:
            return self.by_key[table][key]
        except KeyError:
            raise SeedError(f"{where}: unknown {table} {key!r}") from None

    def remember(self, table: str, key, obj) -> None:
        bucket = self.by_key.setdefault(table, {})
        if key in bucket:
            raise SeedError(f"{table}: duplicate key {key!r}")
        bucket[key] = obj

    def add(self, obj) -> None:
        self.session.add(obj)
        self.report.added[obj.__tablename__] += 1

    def wanted(self, form: _Form) -> bool:
        """Whether this row is loaded at all by the selection."""
        if form.demo_only:
            return self.selection.demo
        return form.owner == REFERENCE or self.selection.documents_of(form.owner)

    def sourced(self, row: dict[str, str], form: _Form) -> dict:
        """source/illustrative/illustrative_note of the form being loaded."""
        if form.illustrative_fields and not self.selection.demo:
            return {"source": row.get("source", ""), "illustrative": False, "illustrative_note": None}
        return {
            "source": row.get("source", ""),
            "illustrative": _yes(row.get("illustrative", "")) or form.demo_only,
            "illustrative_note": _text(row.get("illustrative_note", "")),
        }

    def values(self, table: str, form: _Form, full: dict) -> dict:
        """The row's values as loaded: its illustrative fields blank unless the demo is loaded."""
        if self.selection.demo:
            return full
        blanks = BLANK_VALUES.get(table, {})
        return {
            name: blanks[name] if name in form.illustrative_fields else value for name, value in full.items()
        }

    def fill(self, table: str, obj, form: _Form, full: dict, row: dict[str, str], extra_blank=()) -> None:
        """Give an existing documented row its illustrative values, when the demo is loaded and every
        one of them is still blank (a value someone has entered is never overwritten)."""
        if not (self.selection.demo and form.illustrative_fields) or obj.illustrative:
            return
        blanks = BLANK_VALUES[table]
        names = [name for name in form.illustrative_fields if name in full]
        if any(getattr(obj, name) != blanks[name] for name in names) or any(not ok() for ok in extra_blank):
            return
        for name in names:
            setattr(obj, name, full[name])
        obj.illustrative = True
        obj.illustrative_note = _text(row.get("illustrative_note", ""))
        self.report.filled[table] += 1

    def existing(self, table: str, model, key: Callable) -> dict:
        """The rows of `table` already in the database, by natural key (read once per load)."""
        name = f"existing:{table}"
        if name not in self.by_key:
            self.by_key[name] = {key(obj): obj for obj in self.session.scalars(select(model))}
        return self.by_key[name]

    # -- the load -------------------------------------------------------------------------------

    def load(self) -> LoadReport:
        for name in SEED_FILES:
            self.current_file = name
            build_row = getattr(self, name.removesuffix(".csv"))
            for line, row in _rows(self.seed_dir, name):
                where = f"{name} line {line}"
                try:
                    build_row(where, row)
                except SeedError:
                    raise
                except (KeyError, ValueError, ArithmeticError) as exc:
                    raise SeedError(f"{where}: {exc!r}") from exc
            # Before anything reads the database again (and so flushes the new projects): a project
            # inserted without its parent would be updated later, a version further on.
            for where, project, parent_key in self.pending_parents:
                project.parent = self.lookup("project", parent_key, where)
            self.pending_parents.clear()
        return self.report

    def organisations(self, where: str, row: dict[str, str]) -> None:
        form = self.form(row, lambda: row["key"])
        if not self.wanted(form):
            return
        found = self.existing("organisations", m.Organisation, lambda o: o.key).get(row["key"])
        if found is None:
            found = m.Organisation(
                key=row["key"], name=row["name"], kind=row.get("kind") or "council", **self.sourced(row, form)
            )
            self.add(found)
        self.remember("organisation", row["key"], found)

    def programmes(self, where: str, row: dict[str, str]) -> None:
        form = self.form(row, lambda: row["organisation"])
        if not self.wanted(form):
            return
        found = self.existing("programmes", m.Programme, lambda p: p.key).get(row["key"])
        if found is None:
            found = m.Programme(
                key=row["key"],
                organisation=self.lookup("organisation", row["organisation"], where),
                name=row["name"],
                description=row.get("description", ""),
                start_date=_date(row.get("start_date", "")),
                end_date=_date(row.get("end_date", "")),
                **self.sourced(row, form),
            )
            self.add(found)
        self.remember("programme", row["key"], found)

    def projects(self, where: str, row: dict[str, str]) -> None:
        form = self.form(row, lambda: self.of_project(where, row, row["key"]))
        if not self.wanted(form):
            return
        found = self.existing("projects", m.Project, lambda p: p.key).get(row["key"])
        if found is None:
            found = m.Project(
                key=row["key"],
                programme=self.lookup("programme", row["programme"], where),
                name=row["name"],
                kind=row.get("kind") or "project",
                description=row.get("description", ""),
                **self.sourced(row, form),
            )
            self.add(found)
            if row.get("parent"):
                # Parents may be listed after their children: resolved once every project exists.
                self.pending_parents.append((where, found, row["parent"]))
        self.remember("project", row["key"], found)

    def baselines(self, where: str, row: dict[str, str]) -> None:
        form = self.form(row, lambda: self.of_project(where, row, row["project"]))
        if not self.wanted(form):
            return
        project = self.lookup("project", row["project"], where)
        found = self.existing("baselines", m.Baseline, lambda b: (b.project_id, b.name)).get(
            (project.id, row["name"])
        )
        if found is None:
            found = m.Baseline(
                project=project,
                name=row["name"],
                baseline_date=_date(row["baseline_date"]),
                source=row.get("source", ""),
            )
            self.add(found)
        # The first baseline listed for a project is the one milestones.csv's dates belong to.
        self.by_key.setdefault("first_baseline", {}).setdefault(row["project"], found)
        self.remember("baseline", row["key"], found)

    def milestones(self, where: str, row: dict[str, str]) -> None:
        form = self.form(row, lambda: self.of_project(where, row, row["project"]))
        if not self.wanted(form):
            return
        full = {
            "owner": row.get("owner", ""),
            "status": row.get("status") or "Not started",
            "rag": _text(row.get("rag", "")),
            "rag_reason": _text(row.get("rag_reason", "")),
            "percent_complete": _int(row.get("percent_complete", "")) or 0,
            "forecast_start": _date(row.get("forecast_start", "")),
            "forecast_end": _date(row.get("forecast_end", "")),
            "actual_start": _date(row.get("actual_start", "")),
            "actual_end": _date(row.get("actual_end", "")),
            "commentary": row.get("commentary", ""),
        }
        baseline_start = _date(row.get("baseline_start", ""))
        if "baseline_start" in form.illustrative_fields and not self.selection.demo:
            baseline_start = None
        found = self.existing("milestones", m.Milestone, lambda ms: ms.key).get(row["key"])
        if found is not None:
            dates = self._seed_baseline_dates(found, row, where)

            def start_blank() -> bool:
                return "baseline_start" not in form.illustrative_fields or (
                    dates is not None and dates.start_date is None
                )

            was_illustrative = found.illustrative
            self.fill("milestones", found, form, full, row, extra_blank=(start_blank,))
            if found.illustrative and not was_illustrative and "baseline_start" in form.illustrative_fields:
                dates.start_date = baseline_start
            self.remember("milestone", row["key"], found)
            return
        milestone = m.Milestone(
            key=row["key"],
            project=self.lookup("project", row["project"], where),
            title=row["title"],
            **self.values("milestones", form, full),
            **self.sourced(row, form),
        )
        self.remember("milestone", row["key"], milestone)
        self.add(milestone)
        if row.get("baseline_end"):
            baseline = self.lookup("first_baseline", row["project"], where)
            self.add(
                m.MilestoneBaseline(
                    baseline=baseline,
                    milestone=milestone,
                    start_date=baseline_start,
                    end_date=_date(row["baseline_end"]),
                )
            )

    def _seed_baseline_dates(self, milestone: m.Milestone, row: dict[str, str], where: str):
        """The milestone's dates in the baseline milestones.csv's dates belong to (None if it has none)."""
        baseline = self.by_key.get("first_baseline", {}).get(row["project"])
        return next((dates for dates in milestone.baseline_dates if dates.baseline is baseline), None)

    def recommendations(self, where: str, row: dict[str, str]) -> None:
        form = self.form(row, lambda: self.by_document(where, row))
        if not self.wanted(form):
            return
        found = self.existing("recommendations", m.Recommendation, lambda r: r.number).get(row["number"])
        if found is None:
            found = m.Recommendation(
                number=row["number"],
                text=row["text"],
                sort_order=_int(row.get("sort_order", "")) or 0,
                source=row.get("source", ""),
            )
            if row.get("parent_number"):
                found.parent = self.lookup("recommendation", row["parent_number"], where)
            self.add(found)
        self.remember("recommendation", row["number"], found)

    def consideration_areas(self, where: str, row: dict[str, str]) -> None:
        form = self.form(row, lambda: self.by_document(where, row))
        if not self.wanted(form):
            return
        found = self.existing("consideration_areas", m.ConsiderationArea, lambda a: a.key).get(row["key"])
        if found is None:
            found = m.ConsiderationArea(
                key=row["key"],
                theme=row["theme"],
                kind=row["kind"],
                text=row["text"],
                sort_order=_int(row.get("sort_order", "")) or 0,
                source=row.get("source", ""),
            )
            self.add(found)
        self.remember("consideration", row["key"], found)

    def action_items(self, where: str, row: dict[str, str]) -> None:
        form = self.form(row, lambda: self.by_document(where, row))
        if not self.wanted(form):
            return
        found = self.existing("action_items", m.ActionItem, lambda a: a.key).get(row["key"])
        if found is None:
            found = m.ActionItem(
                key=row["key"],
                recommendation=self.lookup("recommendation", row["recommendation"], where),
                project=self.lookup("project", row["project"], where) if row.get("project") else None,
                title=row["title"],
                owner=row.get("owner", ""),
                due_date=_date(row.get("due_date", "")),
                status=row.get("status") or "Not started",
                rag=_text(row.get("rag", "")),
                percent_complete=_int(row.get("percent_complete", "")) or 0,
                evidence=row.get("evidence", ""),
                evidence_status=row.get("evidence_status") or "none",
                **self.sourced(row, form),
            )
            found.areas = [
                self.lookup("consideration", key.strip(), where)
                for key in row.get("areas", "").split(";")
                if key.strip()
            ]
            self.add(found)
        self.remember("action", row["key"], found)

    def progress_notes(self, where: str, row: dict[str, str]) -> None:
        form = self.form(row, lambda: self.by_document(where, row))
        if not self.wanted(form):
            return
        action = self.lookup("action", row["action"], where)
        note_date, text = _date(row["note_date"]), row["text"]
        found = self.existing(
            "progress_notes", m.ProgressNote, lambda n: (n.action_item_id, n.note_date, n.text)
        ).get((action.id, note_date, text))
        if found is None:
            self.add(
                m.ProgressNote(
                    action_item=action,
                    note_date=note_date,
                    text=text,
                    internal=_yes(row.get("internal", "")),
                    author=row.get("author_role", ""),
                    source=row.get("source", ""),
                    illustrative=_yes(row.get("illustrative", "")),
                )
            )

    def areas(self, where: str, row: dict[str, str]) -> None:
        form = self.form(row, lambda: self.place_or_measure(where, row))
        if not self.wanted(form):
            return
        found = self.existing("areas", m.Area, lambda a: a.key).get(row["key"])
        if found is None:
            found = m.Area(key=row["key"], name=row["name"], kind=row["kind"], source=row.get("source", ""))
            self.add(found)
        self.remember("area", row["key"], found)

    def kpis(self, where: str, row: dict[str, str]) -> None:
        values_source = row.get("values_source") or "document"
        form = self.form(row, lambda: self.place_or_measure(where, row))
        if not self.wanted(form):
            return
        full = {
            "target": _float(row.get("target", "")),
            "tolerance": _float(row.get("tolerance", "")),
            "values_source": values_source,
        }
        found = self.existing("kpis", m.Kpi, lambda k: k.code).get(row["code"])
        if found is not None:
            self.fill("kpis", found, form, full, row)
            self.remember("kpi", row["code"], found)
            return
        loaded = self.values("kpis", form, full)
        kpi = m.Kpi(
            code=row["code"],
            name=row["name"],
            definition=row.get("definition", ""),
            unit=row["unit"],
            polarity=row["polarity"],
            frequency=row.get("frequency", ""),
            outcome_area=row.get("outcome_area", ""),
            source=row.get("source", ""),
            illustrative=loaded["values_source"] == ILLUSTRATIVE_SOURCE,
            **loaded,
        )
        self.remember("kpi", row["code"], kpi)
        self.add(kpi)

    def kpi_values(self, where: str, row: dict[str, str]) -> None:
        form = self.form(row, lambda: self.by_document(where, row))
        if not self.wanted(form):
            return
        kpi = self.lookup("kpi", row["kpi"], where)
        area = self.lookup("area", row["area"], where)
        start, end = _date(row["period_start"]), _date(row["period_end"])
        existing = self.existing(
            "kpi_values", m.KpiValue, lambda v: (v.kpi_id, v.area_id, v.period_start, v.period_end)
        )
        if (kpi.id, area.id, start, end) in existing:
            return
        self.add(
            m.KpiValue(
                kpi=kpi,
                area=area,
                period_label=row["period_label"],
                period_start=start,
                period_end=end,
                value=_float(row.get("value", "")),
                note=_text(row.get("note", "")),
                **self.sourced(row, form),
            )
        )

    def published_ranks(self, where: str, row: dict[str, str]) -> None:
        form = self.form(row, lambda: self.by_document(where, row))
        if not self.wanted(form):
            return
        kpi = self.lookup("kpi", row["kpi"], where)
        existing = self.existing("published_ranks", m.PublishedRank, lambda r: (r.kpi_id, r.period_label))
        if (kpi.id, row["period_label"]) in existing:
            return
        self.add(
            m.PublishedRank(
                kpi=kpi,
                period_label=row["period_label"],
                rank=int(row["rank"]),
                source=row.get("source", ""),
            )
        )

    def saving_lines(self, where: str, row: dict[str, str]) -> None:
        form = self.form(row, lambda: self.of_project(where, row, row["project"]))
        if not self.wanted(form):
            return
        full = {
            "forecast": _money(row.get("forecast", "")),
            "realised": _money(row.get("realised", "")),
            "confidence": _text(row.get("confidence", "")),
            "confidence_reason": _text(row.get("confidence_reason", "")),
        }
        found = self.existing("saving_lines", m.SavingLine, lambda s: s.key).get(row["key"])
        if found is not None:
            self.fill("saving_lines", found, form, full, row)
            return
        milestone_key = row.get("depends_on_milestone", "")
        self.add(
            m.SavingLine(
                key=row["key"],
                project=self.lookup("project", row["project"], where),
                financial_year=parse_financial_year(row["financial_year"]),
                description=row["description"],
                category=row.get("category", ""),
                target=_money(row["target"]),
                fte=_float(row.get("fte", "")),
                depends_on_milestone=self.lookup("milestone", milestone_key, where)
                if milestone_key
                else None,
                **self.values("saving_lines", form, full),
                **self.sourced(row, form),
            )
        )

    def benefits(self, where: str, row: dict[str, str]) -> None:
        form = self.form(row, lambda: self.of_project(where, row, row["project"]))
        if not self.wanted(form):
            return
        full = {"owner": row.get("owner", ""), "target_date": _date(row.get("target_date", ""))}
        found = self.existing("benefits", m.Benefit, lambda b: b.key).get(row["key"])
        if found is not None:
            self.fill("benefits", found, form, full, row)
            return
        kpi_code = row.get("kpi", "")
        sourced = self.sourced(row, form)
        sourced.pop("illustrative_note")  # benefits.csv has no note column
        self.add(
            m.Benefit(
                key=row["key"],
                project=self.lookup("project", row["project"], where),
                name=row["name"],
                kpi=self.lookup("kpi", kpi_code, where) if kpi_code else None,
                baseline_value=_float(row.get("baseline_value", "")),
                baseline_label=row.get("baseline_label", ""),
                target_value=_float(row.get("target_value", "")),
                target_label=row.get("target_label", ""),
                **self.values("benefits", form, full),
                **sourced,
            )
        )

    def board_meetings(self, where: str, row: dict[str, str]) -> None:
        form = self.form(row, lambda: self.by_document(where, row))
        if not self.wanted(form):
            return
        meeting_date = _date(row["meeting_date"])
        if meeting_date in self.existing("board_meetings", m.BoardMeeting, lambda b: b.meeting_date):
            return
        self.add(
            m.BoardMeeting(
                meeting_date=meeting_date,
                title=row.get("title") or "Programme board",
                source=row.get("source", ""),
                illustrative=_yes(row.get("illustrative", "")),
            )
        )


def load(session: Session, selection: Selection, seed_dir: Path = SEED_DIR) -> LoadReport:
    """Load the reference data and what `selection` asks for, in the caller's transaction; rows
    already there are kept as they are. Records the load (seed_runs) when it added anything."""
    unknown = set(selection.organisations or ()) - set(organisation_keys(seed_dir))
    if unknown:
        raise SeedError(f"no organisation called {', '.join(sorted(unknown))} in the seed data")
    report = _Loader(session, seed_dir, selection).load()
    if selection.documents_of(HOME_ORGANISATION):  # the Transition dashboard and the self-assessment
        report.added.update(
            tr.load_transition_documents(session) + sa.load_self_assessment_documents(session)
        )
    if selection.demo:
        report.added.update(
            tr.load_transition_illustrative(session) + sa.load_self_assessment_illustrative(session)
        )
    if report.total:
        session.add(m.SeedRun(seed_digest=seed_digest(seed_dir), row_count=report.total))
    session.flush()
    return report


@dataclass(frozen=True)
class DocumentedForms:
    """Which illustrative rows a seed has a documented form of, read from the seed files: by table,
    each row's key → the fields that are illustrative (cleared, not deleted, by purge-illustrative);
    and each project's baseline that milestones.csv's dates belong to (by name)."""

    fields: dict[str, dict[str, frozenset[str]]]
    seed_baselines: dict[str, str]


def documented_forms(seed_dir: Path = SEED_DIR) -> DocumentedForms:
    fields: dict[str, dict[str, frozenset[str]]] = {}
    for name, key in (("milestones", "key"), ("saving_lines", "key"), ("benefits", "key"), ("kpis", "code")):
        for _line, row in _rows(seed_dir, f"{name}.csv"):
            part = illustrative_part(f"{name}.csv", row)
            if part:
                fields.setdefault(name, {})[row[key]] = part
    baselines: dict[str, str] = {}
    for _line, row in _rows(seed_dir, "baselines.csv"):
        baselines.setdefault(row["project"], row["name"])
    return DocumentedForms(fields, baselines)
