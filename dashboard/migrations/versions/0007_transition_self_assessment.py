"""The Transition performance dashboard's outcomes and measures, and the self-assessment's domains,
findings and yearly ratings

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04

Transition measures are KPIs (their values and SPC trends are the KPIs'), grouped under the four
outcomes of 004 §5.2.7 and the cost and activity measures of §5.2.6; milestones are linked to the
outcomes they serve. Self-assessment domains (002) hold their findings, each answered by a peer
challenge recommendation (001), the KPIs that evidence them, and one rating per domain per year.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "self_assessment_domains",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=200), server_default="", nullable=False),
        sa.Column("illustrative", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("illustrative_note", sa.String(length=400), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_self_assessment_domains")),
        sa.UniqueConstraint("key", name=op.f("uq_self_assessment_domains_key")),
    )
    op.create_table(
        "transition_outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=200), server_default="", nullable=False),
        sa.Column("illustrative", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("illustrative_note", sa.String(length=400), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transition_outcomes")),
        sa.UniqueConstraint("key", name=op.f("uq_transition_outcomes_key")),
    )
    op.create_table(
        "self_assessment_domain_kpis",
        sa.Column("domain_id", sa.Integer(), nullable=False),
        sa.Column("kpi_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["domain_id"],
            ["self_assessment_domains.id"],
            name=op.f("fk_self_assessment_domain_kpis_domain_id_self_assessment_domains"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["kpi_id"],
            ["kpis.id"],
            name=op.f("fk_self_assessment_domain_kpis_kpi_id_kpis"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("domain_id", "kpi_id", name=op.f("pk_self_assessment_domain_kpis")),
    )
    op.create_table(
        "self_assessment_findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("domain_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("recommendation_id", sa.Integer(), nullable=True),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=200), server_default="", nullable=False),
        sa.Column("illustrative", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("illustrative_note", sa.String(length=400), nullable=True),
        sa.ForeignKeyConstraint(
            ["domain_id"],
            ["self_assessment_domains.id"],
            name=op.f("fk_self_assessment_findings_domain_id_self_assessment_domains"),
        ),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["recommendations.id"],
            name=op.f("fk_self_assessment_findings_recommendation_id_recommendations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_self_assessment_findings")),
    )
    with op.batch_alter_table("self_assessment_findings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_self_assessment_findings_domain_id"), ["domain_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_self_assessment_findings_recommendation_id"), ["recommendation_id"], unique=False
        )

    op.create_table(
        "self_assessment_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("domain_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("rating", sa.String(length=20), nullable=False),
        sa.Column("commentary", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=200), server_default="", nullable=False),
        sa.Column("illustrative", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("illustrative_note", sa.String(length=400), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("updated_by", sa.String(length=80), server_default="seed", nullable=False),
        sa.ForeignKeyConstraint(
            ["domain_id"],
            ["self_assessment_domains.id"],
            name=op.f("fk_self_assessment_ratings_domain_id_self_assessment_domains"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_self_assessment_ratings")),
        sa.UniqueConstraint("domain_id", "year", name="uq_self_assessment_ratings_domain_year"),
    )
    with op.batch_alter_table("self_assessment_ratings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_self_assessment_ratings_domain_id"), ["domain_id"], unique=False)

    op.create_table(
        "transition_measures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("outcome_id", sa.Integer(), nullable=False),
        sa.Column("kpi_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("cohort", sa.String(length=40), nullable=False),
        sa.Column("services", sa.String(length=200), nullable=False),
        sa.Column("value_format", sa.String(length=20), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("retired", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("source", sa.String(length=200), server_default="", nullable=False),
        sa.Column("illustrative", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("illustrative_note", sa.String(length=400), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("updated_by", sa.String(length=80), server_default="seed", nullable=False),
        sa.ForeignKeyConstraint(["kpi_id"], ["kpis.id"], name=op.f("fk_transition_measures_kpi_id_kpis")),
        sa.ForeignKeyConstraint(
            ["outcome_id"],
            ["transition_outcomes.id"],
            name=op.f("fk_transition_measures_outcome_id_transition_outcomes"),
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_transition_measures_project_id_projects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transition_measures")),
        sa.UniqueConstraint("key", name=op.f("uq_transition_measures_key")),
        sa.UniqueConstraint("kpi_id", name=op.f("uq_transition_measures_kpi_id")),
    )
    with op.batch_alter_table("transition_measures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_transition_measures_outcome_id"), ["outcome_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_transition_measures_project_id"), ["project_id"], unique=False)

    op.create_table(
        "transition_milestone_outcomes",
        sa.Column("milestone_id", sa.Integer(), nullable=False),
        sa.Column("outcome_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["milestone_id"],
            ["milestones.id"],
            name=op.f("fk_transition_milestone_outcomes_milestone_id_milestones"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["outcome_id"],
            ["transition_outcomes.id"],
            name=op.f("fk_transition_milestone_outcomes_outcome_id_transition_outcomes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("milestone_id", "outcome_id", name=op.f("pk_transition_milestone_outcomes")),
    )


def downgrade() -> None:
    op.drop_table("transition_milestone_outcomes")
    with op.batch_alter_table("transition_measures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_transition_measures_project_id"))
        batch_op.drop_index(batch_op.f("ix_transition_measures_outcome_id"))

    op.drop_table("transition_measures")
    with op.batch_alter_table("self_assessment_ratings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_self_assessment_ratings_domain_id"))

    op.drop_table("self_assessment_ratings")
    with op.batch_alter_table("self_assessment_findings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_self_assessment_findings_recommendation_id"))
        batch_op.drop_index(batch_op.f("ix_self_assessment_findings_domain_id"))

    op.drop_table("self_assessment_findings")
    op.drop_table("self_assessment_domain_kpis")
    op.drop_table("transition_outcomes")
    op.drop_table("self_assessment_domains")
