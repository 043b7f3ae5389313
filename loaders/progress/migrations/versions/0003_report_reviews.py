"""Reviews of reports (审核): the office marks a report 已审核 or 退回 with a reason; append-only like the reports.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id"), nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),  # approved, returned
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        sa.Column("reviewed_by", sa.String(128), nullable=False),
        sa.Column("reviewed_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_reviews_report_id", "reviews", ["report_id"])
    # a review is never changed or removed: a later review of the same report decides
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE TRIGGER reviews_append_only BEFORE UPDATE OR DELETE ON reviews "
                   "FOR EACH ROW EXECUTE FUNCTION refuse_change()")
    else:
        for action in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER reviews_no_{action.lower()} BEFORE {action} ON reviews "
                       "BEGIN SELECT RAISE(ABORT, 'reviews is append-only: record a new row instead'); END")


def downgrade() -> None:
    # the reviews are lost with the table: export them first (python -m loaders export writes reviews.csv)
    op.drop_table("reviews")
