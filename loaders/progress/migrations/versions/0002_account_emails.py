"""Accounts gain an email: a reporter who logs in through OIDC (st.login) is mapped to a unit by it.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(sa.Column("email", sa.String(254), nullable=True))
    # several accounts without an email are fine: NULLs never collide in a unique index
    op.create_index("ix_accounts_email", "accounts", ["email"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_accounts_email", table_name="accounts")
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("email")
