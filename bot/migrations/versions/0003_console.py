"""Web console: accounts, audit log, catalogue history.

Revision ID: 0003_console
Revises: 0002_feedback
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0003_console"
down_revision: Union[str, Sequence[str], None] = "0002_feedback"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "console_users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("session_token", sa.String(64), nullable=False),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("target", sa.String(128)),
        sa.Column("detail", sa.Text()),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_username", "audit_log", ["username"])
    op.create_table(
        "catalogue_versions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
        sa.Column("saved_by", sa.String(64), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("summary", sa.String(255)),
        sa.Column("content", sa.Text(), nullable=False),
    )
    op.create_index("ix_catalogue_versions_saved_at", "catalogue_versions", ["saved_at"])
    op.create_index("ix_catalogue_versions_sha256", "catalogue_versions", ["sha256"])


def downgrade() -> None:
    op.drop_table("catalogue_versions")
    op.drop_index("ix_audit_log_username", "audit_log")
    op.drop_index("ix_audit_log_at", "audit_log")
    op.drop_table("audit_log")
    op.drop_table("console_users")
