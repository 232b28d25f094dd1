"""milestones, action_items: indexes the overview's and the milestones page's counts read instead of the rows

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05

The overview counts every current milestone (by status, RAG, end date and project) and, with the
actions, the open ones not updated for two weeks, by owner; the milestones page counts the current
milestones too. Each count read every row of the table, titles and commentary included: with 100,000
milestones the overview's counts took 120 ms. Partial indexes holding just the columns counted let
PostgreSQL answer from the index (index-only scans): the owners' counts read only the open items
not updated since the cut-off (51 ms → 7 ms), the milestone counts a third less.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CLOSED = "status NOT IN ('Complete', 'Cancelled')"


def _where(postgresql: str, sqlite: str) -> dict:
    return {"postgresql_where": sa.text(postgresql), "sqlite_where": sa.text(sqlite)}


def upgrade() -> None:
    with op.batch_alter_table("milestones", schema=None) as batch_op:
        batch_op.create_index(
            "ix_milestones_current_counts",
            [
                "project_id",
                "status",
                "rag",
                "illustrative",
                "actual_end",
                "forecast_end",
                "updated_at",
                "id",
                "retired",
            ],
            unique=False,
            **_where("retired IS false", "retired IS 0"),
        )
        batch_op.create_index(
            "ix_milestones_open_updated",
            ["updated_at", "owner"],
            unique=False,
            **_where(f"retired IS false AND {CLOSED}", f"retired IS 0 AND {CLOSED}"),
        )
    with op.batch_alter_table("action_items", schema=None) as batch_op:
        batch_op.create_index(
            "ix_action_items_open_updated", ["updated_at", "owner"], unique=False, **_where(CLOSED, CLOSED)
        )


def downgrade() -> None:
    with op.batch_alter_table("action_items", schema=None) as batch_op:
        batch_op.drop_index("ix_action_items_open_updated")
    with op.batch_alter_table("milestones", schema=None) as batch_op:
        batch_op.drop_index("ix_milestones_open_updated")
        batch_op.drop_index("ix_milestones_current_counts")
