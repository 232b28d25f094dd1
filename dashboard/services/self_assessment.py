"""Self-assessment writes: the programme office records a domain's self-rated risk and commentary
for a year's assessment, one domain at a time, audited. A year already rated for a domain is
refused rather than overwritten: earlier judgements stay as they were made."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from dashboard import clock, policy
from dashboard import models as m
from dashboard.auth import require_role
from dashboard.db import session_scope
from dashboard.queries import params
from dashboard.services import rows
from dashboard.services.core import ConflictError, NotFoundError, ValidationError, audit, chosen, clean_text

__all__ = ["ConflictError", "NotFoundError", "ValidationError", "correct_rating", "record_rating"]

FIRST_YEAR = 2016  # the self-assessment completed 31 Oct 2016 (002)
COMMENTARY_MAX = 1000
ENTITY = "self_assessment_rating"


def _year(raw, today: dt.date, errors: dict[str, str]) -> int | None:
    text = str(raw).strip() if isinstance(raw, str | int) and not isinstance(raw, bool) else ""
    if not text:
        errors["year"] = "Enter the year of the assessment, for example 2026"
        return None
    if not (text.isdecimal() and text.isascii() and len(text) == 4):
        errors["year"] = f"The year must be four digits, for example 2026 (it is “{text[:20]}”)"
        return None
    year = int(text)
    if not FIRST_YEAR <= year <= today.year:
        errors["year"] = f"The year must be between {FIRST_YEAR} and {today.year}"
        return None
    return year


def record_rating(actor, domain_id, year, rating, commentary, today: dt.date | None = None) -> int:
    """A domain's rating in one year's assessment; returns the new row's id."""
    require_role(actor, policy.ADMIN)
    today = today or clock.today()
    errors: dict[str, str] = {}
    chosen_year = _year(year, today, errors)
    rating = chosen(rating)
    if rating not in m.SELF_ASSESSMENT_RATINGS:
        errors["rating"] = "Choose the risk level: Low risk, Medium risk or High risk"
    text = clean_text(commentary, "The commentary", "commentary", COMMENTARY_MAX, errors)
    if not text and "commentary" not in errors:
        errors["commentary"] = "Say in a sentence or two why the domain has this rating"
    raw_domain = chosen(domain_id)
    domain_key = params.row_id(raw_domain)
    with session_scope() as db:
        domain = db.get(m.SelfAssessmentDomain, domain_key) if domain_key is not None else None
        if domain is None:
            errors["domain"] = "Choose the domain"
        elif chosen_year is not None:
            existing = db.scalars(
                select(m.SelfAssessmentRating).where(
                    m.SelfAssessmentRating.domain_id == domain.id, m.SelfAssessmentRating.year == chosen_year
                )
            ).first()
            if existing is not None:
                errors["year"] = (
                    f"{domain.name} already has a rating for {chosen_year} ({existing.rating}): "
                    "each year's judgement is kept as it was made"
                )
        if errors:
            raise ValidationError(errors)
        row = m.SelfAssessmentRating(
            domain=domain,
            year=chosen_year,
            rating=rating,
            commentary=text,
            source=f"Recorded by {actor.username}",
            updated_by=actor.username,
        )
        db.add(row)
        try:
            db.flush()
        except IntegrityError as exc:
            raise ValidationError(
                {"year": "Someone has just recorded this domain's rating for that year"}
            ) from exc
        for field, value in (
            ("domain", domain.name),
            ("year", chosen_year),
            ("rating", rating),
            ("commentary", text),
        ):
            audit(db, actor, "create", ENTITY, row.id, field, None, value, version=row.version)
        return row.id


RATING = rows.Entity(
    m.SelfAssessmentRating,
    ENTITY,
    "self-assessment rating",
    {"rating": "Risk level", "commentary": "Commentary"},
    denied="Only the programme office may change self-assessment ratings.",
    project=lambda _row: None,  # no project owns the assessment: the programme office's alone
)


def correct_rating(actor, rating_id, rating, commentary, expected_version) -> int:
    """The programme office corrects a recorded rating (a typing slip, a late moderation), with the
    version check: someone else's correction since the form opened is a conflict. Returns the version."""
    require_role(actor, policy.ADMIN)
    errors: dict[str, str] = {}
    rating = chosen(rating)
    if rating not in m.SELF_ASSESSMENT_RATINGS:
        errors["rating"] = "Choose the risk level: Low risk, Medium risk or High risk"
    text = clean_text(commentary, "The commentary", "commentary", COMMENTARY_MAX, errors)
    if not text and "commentary" not in errors:
        errors["commentary"] = "Say in a sentence or two why the domain has this rating"
    row_id = rating_id if isinstance(rating_id, int) and not isinstance(rating_id, bool) else None
    version = (
        expected_version
        if isinstance(expected_version, int) and not isinstance(expected_version, bool)
        else None
    )
    if row_id is None or version is None:
        raise ValidationError({"rating": "Choose the rating to correct first"})

    def validate(_db, _row) -> None:
        if errors:
            raise ValidationError(errors)

    def edit(_db, row: m.SelfAssessmentRating) -> rows.Changes:
        changed = rows.changes(
            {"rating": row.rating, "commentary": row.commentary}, {"rating": rating, "commentary": text}
        )
        rows.assign(row, changed)
        if changed:
            row.illustrative = False
            row.illustrative_note = None
            row.source = f"Corrected by {actor.username}"
        return changed

    return rows.update_row(actor, RATING, row_id, version, edit, before_version_check=validate)
