"""kpi_values: an index on (area_id, kpi_id) in place of the one on area_id

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02

The benchmarking page finds its measures as the KPIs with values for comparator councils. There are
few such values (660 of 500,000 in a large database), but PostgreSQL's estimate for "values of the
comparator areas" assumed each area holds an even share, so it read the whole table (64 ms each time
the page asked). With this index it looks up each comparator area's KPIs (under 1 ms). The index
starts with area_id, so it also serves everything the area_id index did.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("kpi_values", schema=None) as batch_op:
        batch_op.create_index("ix_kpi_values_area_kpi", ["area_id", "kpi_id"], unique=False)
        batch_op.drop_index("ix_kpi_values_area_id")


def downgrade() -> None:
    with op.batch_alter_table("kpi_values", schema=None) as batch_op:
        batch_op.create_index("ix_kpi_values_area_id", ["area_id"], unique=False)
        batch_op.drop_index("ix_kpi_values_area_kpi")
