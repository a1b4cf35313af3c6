"""tickets: the status index also holds user_id

A villager's open ticket is looked up for nearly every message (``status = 'open' AND user_id =
?``). With one index on each column, SQLite and PostgreSQL (with no statistics yet, and in its
generic plan for a prepared statement) chose the status index: every open ticket of every
villager was read, per message. (status, user_id) answers that look-up from the index, and still
serves every "open tickets" query as the status index did.

Revision ID: 0005_ticket_lookup_index
Revises: 0004_media
"""
from typing import Sequence, Union

from alembic import op

revision: str = "0005_ticket_lookup_index"
down_revision: Union[str, Sequence[str], None] = "0004_media"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_index("ix_tickets_status_user_id", "tickets", ["status", "user_id"])
    op.drop_index("ix_tickets_status", table_name="tickets")


def downgrade() -> None:
    op.create_index("ix_tickets_status", "tickets", ["status"])
    op.drop_index("ix_tickets_status_user_id", table_name="tickets")
