"""kpi_series: each KPI × area series' standing, kept by the write path

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "kpi_series",
        sa.Column("kpi_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("latest_period", sa.String(length=60), nullable=True),
        sa.Column("latest_value", sa.Float(), nullable=True),
        sa.Column("rag", sa.String(length=10), nullable=True),
        sa.Column("red_periods", sa.Integer(), nullable=False),
        sa.Column("variation", sa.String(length=20), nullable=True),
        sa.Column("why", sa.Text(), nullable=False),
        sa.Column("is_exception", sa.Boolean(), nullable=False),
        sa.Column("illustrative", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_id"], ["areas.id"], name=op.f("fk_kpi_series_area_id_areas"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["kpi_id"], ["kpis.id"], name=op.f("fk_kpi_series_kpi_id_kpis"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("kpi_id", "area_id", name=op.f("pk_kpi_series")),
    )
    with op.batch_alter_table("kpi_series", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kpi_series_is_exception"), ["is_exception"], unique=False)

    # A database upgraded from 0001 already holds values: compute every series' standing once.
    from dashboard.services import kpi_series

    kpi_series.refresh(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("kpi_series", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kpi_series_is_exception"))
    op.drop_table("kpi_series")
