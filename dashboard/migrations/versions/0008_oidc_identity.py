"""users.oidc_subject: the identity provider's subject for a person who signs in with it

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05

A person who signs in with the council's OpenID Connect provider is known by the provider's
subject (`sub`), which never changes even when their name or email does. The first sign-in records
it; later sign-ins find the user by it. Unique, so one provider identity is one user.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("oidc_subject", sa.String(length=255), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_users_oidc_subject"), ["oidc_subject"])


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_users_oidc_subject"), type_="unique")
        batch_op.drop_column("oidc_subject")
