"""The curated tables in the database: every saved version of every table, shared by every replica.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05

A store (one per curated folder; `data/curated` for the bundled one) points at its current
version; a version is a row set of one file per curated table, each file's bytes kept once
(curated_blobs, by checksum), with who saved it, when and why. Versions are never changed
or deleted; a save or a restore adds one and moves the store's pointer, in one transaction.

Downgrade drops the three tables and with them every version saved since the upgrade. There
is no way back to data/history/: export first (`python -m loaders history` lists the versions,
`python -m loaders restore` then `export` writes any of them as CSV files).
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "curated_blobs",
        sa.Column("checksum", sa.String(64), primary_key=True),  # sha256 of the bytes
        sa.Column("data", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "curated_versions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("store", sa.String(500), nullable=False, index=True),
        sa.Column("version", sa.String(64), nullable=False),  # the name people see and restore by
        sa.Column("saved_at", sa.String(40), nullable=False),  # ISO 8601, UTC
        sa.Column("action", sa.Text, nullable=False),  # what made this version: 导入 …, 恢复到 …, 初始数据 …
        sa.Column("saved_by", sa.String(200), nullable=False, server_default=""),
        sa.Column("documents", sa.Text, nullable=False),  # JSON list of the notices' doc_no
        sa.Column("tasks", sa.Integer, nullable=False),
        sa.Column("checksums", sa.Text, nullable=False),  # JSON {table: sha256}, sorted
        sa.UniqueConstraint("store", "version", name="uq_curated_versions_store_version"),
    )
    op.create_table(
        "curated_files",
        sa.Column("version_id", sa.Integer, sa.ForeignKey("curated_versions.id"), primary_key=True),
        sa.Column("name", sa.String(64), primary_key=True),  # the table: documents, tasks, …
        sa.Column("checksum", sa.String(64), sa.ForeignKey("curated_blobs.checksum"), nullable=False),
    )
    op.create_table(
        "curated_stores",
        sa.Column("name", sa.String(500), primary_key=True),
        sa.Column("uid", sa.String(32), nullable=False),  # written into each folder's .version with the version
        sa.Column("head", sa.Integer, sa.ForeignKey("curated_versions.id"), nullable=True),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("note", sa.Text, nullable=False, server_default=""),  # what the first start moved in, in words
    )


def downgrade() -> None:
    for table in ("curated_stores", "curated_files", "curated_versions", "curated_blobs"):
        op.drop_table(table)
