"""outbound_messages: one index on (status, next_attempt_at) for the rows due

Every worker's sweeper looks for outbox rows due for an attempt once a second (``status =
'pending' AND next_attempt_at <= now``, the oldest first). With an index on each column alone,
SQLite and PostgreSQL (no statistics yet, or a prepared statement's generic plan) read it
through next_attempt_at or status, which means every row ever sent, since all are past their
next_attempt_at and old index entries of 'pending' stay until vacuum. Under ``make bench`` on
PostgreSQL that was ~65 index entries read per delivery, growing with the table. The two
indexes become one on (status, next_attempt_at): the look-up reads only pending rows, the
"pending/failed" counts still have status first, and each new row updates one index less.

Revision ID: 0006_outbox_due_index
Revises: 0005_ticket_lookup_index
"""
from typing import Sequence, Union

from alembic import op

revision: str = "0006_outbox_due_index"
down_revision: Union[str, Sequence[str], None] = "0005_ticket_lookup_index"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_index("ix_outbound_messages_status_next_attempt_at", "outbound_messages", ["status", "next_attempt_at"])
    op.drop_index("ix_outbound_messages_status", table_name="outbound_messages")
    op.drop_index("ix_outbound_messages_next_attempt_at", table_name="outbound_messages")


def downgrade() -> None:
    op.create_index("ix_outbound_messages_next_attempt_at", "outbound_messages", ["next_attempt_at"])
    op.create_index("ix_outbound_messages_status", "outbound_messages", ["status"])
    op.drop_index("ix_outbound_messages_status_next_attempt_at", table_name="outbound_messages")
