"""Login limits in the database, shared by every replica: one counter per account and per client address.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a counter, not a record of what people wrote: updated in place (the attempts themselves stay in login_attempts)
    op.create_table(
        "login_counters",
        sa.Column("key", sa.String(200), primary_key=True),  # account:… or address:…
        sa.Column("window_start", sa.DateTime, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("login_counters")
