"""audit_events: an index on (username, at)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05

The audit page offers each person who has changed anything. Found with DISTINCT, that read every
change in the trail (35 ms at 200,000 changes, and ten times that at 2 million); with this index it
is one step through the index per person. The audit page's person filter, newest first, reads the
same index.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index("ix_audit_events_username_at", ["username", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_events_username_at")
