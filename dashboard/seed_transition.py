"""Seed rows for the Transition performance dashboard (data/transition/*.csv), from 004.

`load_transition_documents` loads what the Cabinet report gives: the four outcomes and the cost and
activity group (§5.2.6–5.2.7), which milestones serve which outcome, and the aligned spend of
£22.8m in 2018/19 (§4.2.4). `load_transition_illustrative` loads what it does not: the measures
under each outcome (Appendix 6, the dashboard itself, is not in the document), their cohorts and
their values, all flagged illustrative. The illustrative loader needs the documented rows and the
KPIs of data/seed/kpis.csv to be loaded first. Every load skips rows already there (by key), so
loading again changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard import models as m
from dashboard.config import SEED_DIR

TRANSITION_DIR = SEED_DIR.parent / "transition"
PROJECT_KEY = "transition"


class SeedRowError(ValueError):
    """A Transition seed file names something that is not there (file, row and problem)."""


def read_rows(path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """Each row of a CSV seed file with where it is ("outcomes.csv line 3"), values stripped."""
    with path.open(newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            yield f"{path.name} line {line}", {k: (v or "").strip() for k, v in row.items() if k}


def yes(value: str) -> bool:
    if value.lower() in {"yes", "true", "1"}:
        return True
    if value.lower() in {"no", "false", "0", ""}:
        return False
    raise ValueError(f"expected yes or no, got {value!r}")


def _number(value: str) -> float | None:
    return float(value) if value else None


def _find(session: Session, model, **given):
    """The row with these values, or None: every load skips what is already there."""
    return session.scalars(select(model).filter_by(**given)).first()


def _one(session: Session, model, where: str, **given):
    row = session.scalars(select(model).filter_by(**given)).first()
    if row is None:
        raise SeedRowError(f"{where}: no {model.__tablename__} with {given}")
    return row


def _kpi(row: dict[str, str]) -> m.Kpi:
    values_source = row.get("values_source") or "document"
    return m.Kpi(
        code=row["code"],
        name=row["name"],
        definition=row.get("definition", ""),
        unit=row["unit"],
        polarity=row["polarity"],
        target=_number(row.get("target", "")),
        tolerance=_number(row.get("tolerance", "")),
        frequency=row.get("frequency", ""),
        outcome_area=row.get("outcome_area", ""),
        values_source=values_source,
        source=row.get("source", ""),
        illustrative=values_source == "illustrative",
    )


def load_kpi_rows(session: Session, seed_dir: Path, illustrative: bool) -> Counter:
    """The KPIs and city values of `seed_dir`'s kpis.csv and kpi_values.csv that are (or are not) illustrative."""
    added: Counter = Counter()
    for _where, row in read_rows(seed_dir / "kpis.csv"):
        if (row.get("values_source") == "illustrative") != illustrative:
            continue
        if _find(session, m.Kpi, code=row["code"]) is not None:
            continue
        session.add(_kpi(row))
        added["kpis"] += 1
    session.flush()
    for where, row in read_rows(seed_dir / "kpi_values.csv"):
        if yes(row.get("illustrative", "")) != illustrative:
            continue
        kpi = _one(session, m.Kpi, where, code=row["kpi"])
        area = _one(session, m.Area, where, key=row["area"])
        start = dt.date.fromisoformat(row["period_start"])
        end = dt.date.fromisoformat(row["period_end"])
        if _find(session, m.KpiValue, kpi_id=kpi.id, area_id=area.id, period_start=start, period_end=end):
            continue
        session.add(
            m.KpiValue(
                kpi=kpi,
                area=area,
                period_label=row["period_label"],
                period_start=start,
                period_end=end,
                value=_number(row.get("value", "")),
                note=row.get("note") or None,
                source=row.get("source", ""),
                illustrative=illustrative,
                illustrative_note="Illustrative: not in the source documents" if illustrative else None,
            )
        )
        added["kpi_values"] += 1
    return added


def _load_measures(session: Session, seed_dir: Path, illustrative: bool) -> Counter:
    added: Counter = Counter()
    project = None
    for where, row in read_rows(seed_dir / "measures.csv"):
        if yes(row.get("illustrative", "")) != illustrative:
            continue
        if _find(session, m.TransitionMeasure, key=row["key"]) is not None:
            continue
        project = project or _one(session, m.Project, where, key=PROJECT_KEY)
        session.add(
            m.TransitionMeasure(
                key=row["key"],
                outcome=_one(session, m.TransitionOutcome, where, key=row["outcome"]),
                kpi=_one(session, m.Kpi, where, code=row["kpi"]),
                project=project,
                cohort=row.get("cohort", ""),
                services=row.get("services", ""),
                value_format=row.get("value_format") or "unit",
                sort_order=int(row.get("sort_order") or 0),
                source=row.get("source", ""),
                illustrative=illustrative,
                illustrative_note=row.get("illustrative_note") or None,
            )
        )
        added["transition_measures"] += 1
    return added


def load_transition_documents(session: Session, seed_dir: Path = TRANSITION_DIR) -> Counter:
    """The documented rows (004): outcomes, milestone ↔ outcome links, the aligned spend measure."""
    added: Counter = Counter()
    outcomes: dict[str, m.TransitionOutcome] = {}
    for _where, row in read_rows(seed_dir / "outcomes.csv"):
        found = _find(session, m.TransitionOutcome, key=row["key"])
        if found is not None:
            outcomes[row["key"]] = found
            continue
        outcome = m.TransitionOutcome(
            key=row["key"],
            name=row["name"],
            kind=row["kind"],
            sort_order=int(row["sort_order"]),
            source=row["source"],
        )
        outcomes[row["key"]] = outcome
        session.add(outcome)
        added["transition_outcomes"] += 1
    session.flush()
    for where, row in read_rows(seed_dir / "milestone_outcomes.csv"):
        if row["outcome"] not in outcomes:
            raise SeedRowError(f"{where}: unknown outcome {row['outcome']!r}")
        milestone = _find(session, m.Milestone, key=row["milestone"])
        if milestone is None:
            continue  # a milestone only the demonstration data has: linked when that is loaded
        if milestone not in outcomes[row["outcome"]].milestones:
            outcomes[row["outcome"]].milestones.append(milestone)
            added["transition_milestone_outcomes"] += 1
    added += load_kpi_rows(session, seed_dir, illustrative=False)
    session.flush()
    added += _load_measures(session, seed_dir, illustrative=False)
    session.flush()
    return added


def load_transition_illustrative(session: Session, seed_dir: Path = TRANSITION_DIR) -> Counter:
    """The illustrative rows: the measures under each outcome, the caseload and personal budget
    measures and their values (the document gives none of them)."""
    added = load_kpi_rows(session, seed_dir, illustrative=True)
    session.flush()
    added += _load_measures(session, seed_dir, illustrative=True)
    session.flush()
    return added
