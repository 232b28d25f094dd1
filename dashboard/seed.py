"""Loads the seed data transcribed from the source documents (data/seed/*.csv), once."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from collections.abc import Iterator
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


class SeedError(ValueError):
    """A seed file does not say what the loader expects (file, row and problem in the message)."""


def seed_digest(seed_dir: Path = SEED_DIR) -> str:
    digest = hashlib.sha256()
    for name in SEED_FILES:
        digest.update(name.encode())
        digest.update((seed_dir / name).read_bytes())
    return digest.hexdigest()


def already_seeded(session: Session) -> m.SeedRun | None:
    return session.scalars(select(m.SeedRun).order_by(m.SeedRun.id)).first()


def _rows(seed_dir: Path, name: str) -> Iterator[tuple[int, dict[str, str]]]:
    with (seed_dir / name).open(newline="", encoding="utf-8") as handle:
        for line_number, row in enumerate(csv.DictReader(handle), start=2):
            yield line_number, {key: (value or "").strip() for key, value in row.items() if key}


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


def _sourced(row: dict[str, str]) -> dict:
    return {
        "source": row.get("source", ""),
        "illustrative": _yes(row.get("illustrative", "")),
        "illustrative_note": _text(row.get("illustrative_note", "")),
    }


class _Loader:
    def __init__(self, session: Session, seed_dir: Path):
        self.session = session
        self.seed_dir = seed_dir
        self.count = 0
        self.by_key: dict[str, dict[str, object]] = {}
        self.pending_parents: list[tuple[str, m.Project, str]] = []

    def lookup(self, table: str, key: str, where: str):
        try:
            return self.by_key[table][key]
        except KeyError:
            raise SeedError(f"{where}: unknown {table} {key!r}") from None

    def remember(self, table: str, key: str, obj) -> None:
        bucket = self.by_key.setdefault(table, {})
        if key in bucket:
            raise SeedError(f"{table}: duplicate key {key!r}")
        bucket[key] = obj

    def add(self, obj) -> None:
        self.session.add(obj)
        self.count += 1

    def load(self) -> int:
        for name in SEED_FILES:
            build_row = getattr(self, name.removesuffix(".csv"))
            for line, row in _rows(self.seed_dir, name):
                where = f"{name} line {line}"
                try:
                    build_row(where, row)
                except SeedError:
                    raise
                except (KeyError, ValueError, ArithmeticError) as exc:
                    raise SeedError(f"{where}: {exc!r}") from exc
        for where, project, parent_key in self.pending_parents:
            project.parent = self.lookup("project", parent_key, where)
        return self.count

    def organisations(self, where: str, row: dict[str, str]) -> None:
        org = m.Organisation(
            key=row["key"], name=row["name"], kind=row.get("kind") or "council", **_sourced(row)
        )
        self.remember("organisation", row["key"], org)
        self.add(org)

    def programmes(self, where: str, row: dict[str, str]) -> None:
        programme = m.Programme(
            key=row["key"],
            organisation=self.lookup("organisation", row["organisation"], where),
            name=row["name"],
            description=row.get("description", ""),
            start_date=_date(row.get("start_date", "")),
            end_date=_date(row.get("end_date", "")),
            **_sourced(row),
        )
        self.remember("programme", row["key"], programme)
        self.add(programme)

    def projects(self, where: str, row: dict[str, str]) -> None:
        project = m.Project(
            key=row["key"],
            programme=self.lookup("programme", row["programme"], where),
            name=row["name"],
            kind=row.get("kind") or "project",
            description=row.get("description", ""),
            **_sourced(row),
        )
        self.remember("project", row["key"], project)
        self.add(project)
        if row.get("parent"):
            # Parents may be listed after their children: resolved once every project exists.
            self.pending_parents.append((where, project, row["parent"]))

    def baselines(self, where: str, row: dict[str, str]) -> None:
        project = self.lookup("project", row["project"], where)
        baseline = m.Baseline(
            project=project,
            name=row["name"],
            baseline_date=_date(row["baseline_date"]),
            source=row.get("source", ""),
        )
        # The first baseline listed for a project is the one milestones.csv's dates belong to.
        self.by_key.setdefault("first_baseline", {}).setdefault(row["project"], baseline)
        self.remember("baseline", row["key"], baseline)
        self.add(baseline)

    def milestones(self, where: str, row: dict[str, str]) -> None:
        milestone = m.Milestone(
            key=row["key"],
            project=self.lookup("project", row["project"], where),
            title=row["title"],
            owner=row.get("owner", ""),
            status=row.get("status") or "Not started",
            rag=_text(row.get("rag", "")),
            rag_reason=_text(row.get("rag_reason", "")),
            percent_complete=_int(row.get("percent_complete", "")) or 0,
            forecast_start=_date(row.get("forecast_start", "")),
            forecast_end=_date(row.get("forecast_end", "")),
            actual_start=_date(row.get("actual_start", "")),
            actual_end=_date(row.get("actual_end", "")),
            commentary=row.get("commentary", ""),
            **_sourced(row),
        )
        self.remember("milestone", row["key"], milestone)
        self.add(milestone)
        if row.get("baseline_end"):
            baseline = self.lookup("first_baseline", row["project"], where)
            self.add(
                m.MilestoneBaseline(
                    baseline=baseline,
                    milestone=milestone,
                    start_date=_date(row.get("baseline_start", "")),
                    end_date=_date(row["baseline_end"]),
                )
            )

    def recommendations(self, where: str, row: dict[str, str]) -> None:
        recommendation = m.Recommendation(
            number=row["number"],
            text=row["text"],
            sort_order=_int(row.get("sort_order", "")) or 0,
            source=row.get("source", ""),
        )
        if row.get("parent_number"):
            recommendation.parent = self.lookup("recommendation", row["parent_number"], where)
        self.remember("recommendation", row["number"], recommendation)
        self.add(recommendation)

    def consideration_areas(self, where: str, row: dict[str, str]) -> None:
        area = m.ConsiderationArea(
            key=row["key"],
            theme=row["theme"],
            kind=row["kind"],
            text=row["text"],
            sort_order=_int(row.get("sort_order", "")) or 0,
            source=row.get("source", ""),
        )
        self.remember("consideration", row["key"], area)
        self.add(area)

    def action_items(self, where: str, row: dict[str, str]) -> None:
        action = m.ActionItem(
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
            **_sourced(row),
        )
        action.areas = [
            self.lookup("consideration", key.strip(), where)
            for key in row.get("areas", "").split(";")
            if key.strip()
        ]
        self.remember("action", row["key"], action)
        self.add(action)

    def progress_notes(self, where: str, row: dict[str, str]) -> None:
        self.add(
            m.ProgressNote(
                action_item=self.lookup("action", row["action"], where),
                note_date=_date(row["note_date"]),
                text=row["text"],
                internal=_yes(row.get("internal", "")),
                author=row.get("author_role", ""),
                source=row.get("source", ""),
                illustrative=_yes(row.get("illustrative", "")),
            )
        )

    def areas(self, where: str, row: dict[str, str]) -> None:
        area = m.Area(key=row["key"], name=row["name"], kind=row["kind"], source=row.get("source", ""))
        self.remember("area", row["key"], area)
        self.add(area)

    def kpis(self, where: str, row: dict[str, str]) -> None:
        values_source = row.get("values_source") or "document"
        kpi = m.Kpi(
            code=row["code"],
            name=row["name"],
            definition=row.get("definition", ""),
            unit=row["unit"],
            polarity=row["polarity"],
            target=_float(row.get("target", "")),
            tolerance=_float(row.get("tolerance", "")),
            frequency=row.get("frequency", ""),
            outcome_area=row.get("outcome_area", ""),
            values_source=values_source,
            source=row.get("source", ""),
            illustrative=values_source == "illustrative",
        )
        self.remember("kpi", row["code"], kpi)
        self.add(kpi)

    def kpi_values(self, where: str, row: dict[str, str]) -> None:
        self.add(
            m.KpiValue(
                kpi=self.lookup("kpi", row["kpi"], where),
                area=self.lookup("area", row["area"], where),
                period_label=row["period_label"],
                period_start=_date(row["period_start"]),
                period_end=_date(row["period_end"]),
                value=_float(row.get("value", "")),
                note=_text(row.get("note", "")),
                **_sourced(row),
            )
        )

    def published_ranks(self, where: str, row: dict[str, str]) -> None:
        self.add(
            m.PublishedRank(
                kpi=self.lookup("kpi", row["kpi"], where),
                period_label=row["period_label"],
                rank=int(row["rank"]),
                source=row.get("source", ""),
            )
        )

    def saving_lines(self, where: str, row: dict[str, str]) -> None:
        milestone_key = row.get("depends_on_milestone", "")
        line = m.SavingLine(
            key=row["key"],
            project=self.lookup("project", row["project"], where),
            financial_year=parse_financial_year(row["financial_year"]),
            description=row["description"],
            category=row.get("category", ""),
            target=_money(row["target"]),
            forecast=_money(row.get("forecast", "")),
            realised=_money(row.get("realised", "")),
            confidence=_text(row.get("confidence", "")),
            confidence_reason=_text(row.get("confidence_reason", "")),
            fte=_float(row.get("fte", "")),
            depends_on_milestone=self.lookup("milestone", milestone_key, where) if milestone_key else None,
            **_sourced(row),
        )
        self.add(line)

    def benefits(self, where: str, row: dict[str, str]) -> None:
        kpi_code = row.get("kpi", "")
        self.add(
            m.Benefit(
                key=row["key"],
                project=self.lookup("project", row["project"], where),
                name=row["name"],
                owner=row.get("owner", ""),
                kpi=self.lookup("kpi", kpi_code, where) if kpi_code else None,
                baseline_value=_float(row.get("baseline_value", "")),
                baseline_label=row.get("baseline_label", ""),
                target_value=_float(row.get("target_value", "")),
                target_label=row.get("target_label", ""),
                target_date=_date(row.get("target_date", "")),
                source=row.get("source", ""),
                illustrative=_yes(row.get("illustrative", "")),
            )
        )

    def board_meetings(self, where: str, row: dict[str, str]) -> None:
        self.add(
            m.BoardMeeting(
                meeting_date=_date(row["meeting_date"]),
                title=row.get("title") or "Programme board",
                source=row.get("source", ""),
                illustrative=_yes(row.get("illustrative", "")),
            )
        )


def load_seed(session: Session, seed_dir: Path = SEED_DIR) -> int | None:
    """Load every seed file in the caller's transaction; None when the seed was loaded before."""
    if already_seeded(session) is not None:
        return None
    count = _Loader(session, seed_dir).load()
    count += tr.load_transition_documents(session) + tr.load_transition_illustrative(session)
    count += sa.load_self_assessment_documents(session) + sa.load_self_assessment_illustrative(session)
    session.add(m.SeedRun(seed_digest=seed_digest(seed_dir), row_count=count))
    session.flush()
    return count
