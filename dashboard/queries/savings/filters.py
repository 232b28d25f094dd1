"""The /savings filters: the URL's filters, their SQL conditions, the organisation shown and the choices."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from dashboard import models as m
from dashboard.db import session_scope
from dashboard.domain.formatting import financial_year_label, parse_financial_year
from dashboard.queries.milestones import plan_conditions
from dashboard.queries.params import LinkedFilters, QueryParams, present

CATEGORY_LABELS = {
    "workforce": "Workforce",
    "savings_target": "Savings target",
    "efficiency": "Efficiency",
}


LINES_PER_PAGE = 100  # saving lines drawn per page of the table (as the milestones page); totals and downloads count them all
LAST_PAGE = 999_999  # a link's page number past this reads as page 1


@dataclass(frozen=True)
class SavingFilters(LinkedFilters):
    """The /savings view's filters; each one lives in the URL's query string."""

    organisation: str | None = None
    programme: str | None = None
    project: str | None = None
    financial_year: int | None = None
    category: str | None = None
    confidence: str | None = None  # a confidence level, or "none"
    at_risk: bool = False
    owed: bool = False  # owed by the signed-in user for the next board (queries/update_window.py)
    page: int = 1  # which page of LINES_PER_PAGE lines the table draws

    @classmethod
    def from_query(cls, query: dict[str, str | list[str] | None]) -> SavingFilters:
        """Read filters from URL parameters, ignoring anything malformed rather than failing."""
        params = QueryParams(query)
        year = None
        if params.text("fy"):
            try:
                year = parse_financial_year(params.text("fy"))
            except ValueError:
                year = None
            if year is None or not 1990 <= year <= 2100:
                params.ignore("fy", "not a financial year like 2019/20, from 1990/91 to 2100/01")
                year = None
        return cls(
            page=params.page("page", LAST_PAGE),
            organisation=params.text("org"),
            programme=params.text("programme"),
            project=params.text("project"),
            financial_year=year,
            category=params.choice("category", CATEGORY_LABELS, "not one of the categories"),
            confidence=params.choice(
                "confidence", (*m.CONFIDENCE_LEVELS, "none"), "not one of the confidence levels, or none"
            ),
            at_risk=params.flag("at_risk"),
            owed=params.flag("owed"),
        )

    def to_query(self) -> dict[str, str]:
        values = {
            "org": self.organisation,
            "programme": self.programme,
            "project": self.project,
            "fy": financial_year_label(self.financial_year) if self.financial_year is not None else None,
            "category": self.category,
            "confidence": self.confidence,
            "at_risk": "1" if self.at_risk else None,
            "owed": "1" if self.owed else None,
            "page": str(self.page) if self.page != 1 else None,
        }
        return present(values)


def line_conditions(filters: SavingFilters) -> list:
    """WHERE conditions for every filter but the at-risk flag, over saving lines joined to their project,
    programme and organisation."""
    conditions = plan_conditions(filters)
    if filters.financial_year is not None:
        conditions.append(m.SavingLine.financial_year == filters.financial_year)
    if filters.category:
        conditions.append(m.SavingLine.category == filters.category)
    if filters.confidence == "none":
        conditions.append(m.SavingLine.confidence.is_(None))
    elif filters.confidence:
        conditions.append(m.SavingLine.confidence == filters.confidence)
    if filters.owed:
        from dashboard import clock
        from dashboard.queries.update_window import owed_conditions  # it reads the milestones' statuses

        conditions.extend(owed_conditions("saving", clock.today()))
    return conditions


def organisation_for(filters: SavingFilters) -> str | None:
    """The organisation whose savings the page shows: the one chosen, else the chosen project's or
    programme's, else the first (by name) that has saving lines. None when no line is recorded.

    Figures of different organisations are never added together, so the page always shows one.
    """
    if filters.organisation:
        return filters.organisation
    with session_scope() as db:
        if filters.project or filters.programme:
            owner = (
                select(m.Organisation.key)
                .join(m.Programme, m.Programme.organisation_id == m.Organisation.id)
                .join(m.Project, m.Project.programme_id == m.Programme.id)
            )
            owner = owner.where(
                m.Project.key == filters.project if filters.project else m.Programme.key == filters.programme
            )
            found = db.scalars(owner.limit(1)).first()
            if found is not None:
                return found
        with_lines = (
            select(m.Organisation.key)
            .join(m.Programme, m.Programme.organisation_id == m.Organisation.id)
            .join(m.Project, m.Project.programme_id == m.Programme.id)
            .where(m.Project.id.in_(select(m.SavingLine.project_id)))
            .order_by(m.Organisation.name, m.Organisation.key)
            .limit(1)
        )
        return db.scalars(with_lines).first()


def organisations_with_lines_statement():
    """(key, name) of each organisation that has saving lines, each once, in no order."""
    return select(m.Organisation.key, m.Organisation.name).where(
        m.Organisation.id.in_(
            select(m.Programme.organisation_id)
            .join(m.Project, m.Project.programme_id == m.Programme.id)
            .join(m.SavingLine, m.SavingLine.project_id == m.Project.id)
        )
    )


def saving_filter_options() -> dict[str, list[dict[str, str]]]:
    """Choices for the filter bar, from the database."""
    with session_scope() as db:
        organisations = db.execute(organisations_with_lines_statement().order_by(m.Organisation.name)).all()
        programmes = db.execute(
            select(m.Programme.key, m.Programme.name)
            .where(
                m.Programme.id.in_(
                    select(m.Project.programme_id).join(m.SavingLine, m.SavingLine.project_id == m.Project.id)
                )
            )
            .order_by(m.Programme.name)
        ).all()
        with_lines = select(m.SavingLine.project_id)
        projects = db.execute(
            select(m.Project.key, m.Project.name)
            .where(
                m.Project.id.in_(with_lines)
                | m.Project.id.in_(select(m.Project.parent_id).where(m.Project.id.in_(with_lines)))
            )
            .order_by(m.Project.name)
        ).all()
        years = db.scalars(
            select(m.SavingLine.financial_year).distinct().order_by(m.SavingLine.financial_year)
        ).all()
        categories = db.scalars(
            select(m.SavingLine.category).distinct().order_by(m.SavingLine.category)
        ).all()
    return {
        "organisations": [{"label": name, "value": key} for key, name in organisations],
        "programmes": [{"label": name, "value": key} for key, name in programmes],
        "projects": [{"label": name, "value": key} for key, name in projects],
        "years": [
            {"label": financial_year_label(year), "value": financial_year_label(year)} for year in years
        ],
        "categories": [
            {"label": CATEGORY_LABELS.get(category, category), "value": category}
            for category in categories
            if category
        ],
    }
