"""The log of 催报 reminders: what was sent to whom, through which channel, when, and whether it arrived.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("channel", sa.String(16), nullable=False),  # dingtalk, wecom, email
        sa.Column("recipient", sa.String(256), nullable=False),  # the group robot, or an email address
        sa.Column("district", sa.String(64), nullable=False, server_default=""),
        sa.Column("unit", sa.String(128), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),  # sent, failed
        sa.Column("detail", sa.Text, nullable=False, server_default=""),
        sa.Column("sent_by", sa.String(128), nullable=False),
        sa.Column("sent_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_reminders_unit", "reminders", ["district", "unit", "sent_at"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE TRIGGER reminders_append_only BEFORE UPDATE OR DELETE ON reminders "
                   "FOR EACH ROW EXECUTE FUNCTION refuse_change()")
    else:
        for action in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER reminders_no_{action.lower()} BEFORE {action} ON reminders "
                       "BEGIN SELECT RAISE(ABORT, 'reminders is append-only: record a new row instead'); END")


def downgrade() -> None:
    op.drop_table("reminders")
