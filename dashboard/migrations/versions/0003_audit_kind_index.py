"""audit_events: an index on (entity, field, at) for the changes since a board

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23

The overview lists the changes of a dozen (entity, field) kinds since the last board. With only the
(entity, entity_id) and (at) indexes, SQLite read every audit event of each kind's entity once per
kind (1.2 s at 200,000 events); with this one each kind is a range search from the date.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index("ix_audit_events_entity_field_at", ["entity", "field", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_events_entity_field_at")
