"""Update windows before board meetings and the reminders sent for them

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-05

Each board meeting may carry the moment its updates are due (set by an admin; none means noon, UK
time, two working days before). Every reminder email sent to a lead is kept, so a lead is reminded
once per meeting unless someone asks again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("board_meetings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("updates_due_at", sa.DateTime(), nullable=True))
    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.Column("sent_by", sa.String(length=80), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("items", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["board_meetings.id"],
            name=op.f("fk_reminders_meeting_id_board_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_reminders_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminders")),
    )
    with op.batch_alter_table("reminders", schema=None) as batch_op:
        batch_op.create_index("ix_reminders_meeting_user", ["meeting_id", "user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reminders_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("reminders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reminders_user_id"))
        batch_op.drop_index("ix_reminders_meeting_user")
    op.drop_table("reminders")
    with op.batch_alter_table("board_meetings", schema=None) as batch_op:
        batch_op.drop_column("updates_due_at")
