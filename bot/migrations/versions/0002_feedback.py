"""feedback: villagers rate closed tickets and say whether a service card was the right one

Revision ID: 0002_feedback
Revises: 0001
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0002_feedback"
down_revision: Union[str, Sequence[str], None] = "0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # Plain add_column (no table rebuild on SQLite: other tables reference tickets).
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.add_column(sa.Column("rating", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("rating_asked_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("rated_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("inquiries") as batch_op:
        batch_op.add_column(sa.Column("helpful", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("feedback_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("inquiries") as batch_op:
        batch_op.drop_column("feedback_at")
        batch_op.drop_column("helpful")
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.drop_column("rated_at")
        batch_op.drop_column("rating_asked_at")
        batch_op.drop_column("rating")
