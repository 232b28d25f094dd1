"""The Transition and self-assessment seed loaders: documented and illustrative rows apart, each row
citing its document, and loading again changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from dashboard import models as m
from dashboard.db import session_scope
from dashboard.seed_self_assessment import load_self_assessment_documents, load_self_assessment_illustrative
from dashboard.seed_transition import load_transition_documents, load_transition_illustrative

TABLES = (
    m.TransitionOutcome,
    m.TransitionMeasure,
    m.SelfAssessmentDomain,
    m.SelfAssessmentFinding,
    m.SelfAssessmentRating,
    m.Kpi,
    m.KpiValue,
)


def counts() -> tuple:
    with session_scope() as db:
        links = db.scalar(select(func.count()).select_from(m.transition_milestone_outcomes))
        kpi_links = db.scalar(select(func.count()).select_from(m.self_assessment_domain_kpis))
        return (*(db.scalar(select(func.count()).select_from(t)) for t in TABLES), links, kpi_links)


def test_loading_again_changes_nothing(database_url):
    before = counts()
    with session_scope() as db:
        added = (
            load_transition_documents(db)
            + load_transition_illustrative(db)
            + load_self_assessment_documents(db)
            + load_self_assessment_illustrative(db)
        )
    assert sum(added.values()) == 0
    assert counts() == before


def test_documented_rows_cite_their_document_and_the_rest_are_illustrative(database_url):
    with session_scope() as db:
        for outcome in db.scalars(select(m.TransitionOutcome)):
            assert outcome.source.startswith("004_9d5ac98048598af2.txt §5.2") and not outcome.illustrative
        measures = {measure.kpi.code: measure for measure in db.scalars(select(m.TransitionMeasure))}
        # 004 §4.2.4 gives the aligned spend; no measure under the outcomes is in the report.
        assert not measures["TR-ALIGNED-SPEND"].illustrative
        assert all(measure.illustrative for code, measure in measures.items() if code != "TR-ALIGNED-SPEND")
        for finding in db.scalars(select(m.SelfAssessmentFinding)):
            assert finding.source.startswith("002_8bcc04880fb45fa7.txt ") and not finding.illustrative
        # 002 rates no domain: every seeded rating is illustrative.
        assert all(rating.illustrative for rating in db.scalars(select(m.SelfAssessmentRating)))
