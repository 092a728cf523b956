"""reminder days and pause, a send log that doubles as the send queue

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.types

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

QUEUED_ONLY = sa.text("status = 'queued'")


def upgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(
            sa.Column("reminder_days", sa.String(7), nullable=False, server_default="0123456")
        )
        batch_op.add_column(
            sa.Column("reminders_paused", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("reminders_resume_on", sa.Date(), nullable=True))
    # Claims are now held by the claiming transaction (row locks), not by a lease.
    with op.batch_alter_table("due_messages") as batch_op:
        batch_op.drop_column("claimed_until")
        batch_op.drop_column("attempts")
    # Nothing sent messages before this revision, so the log is empty; due_at needs no backfill.
    op.execute("DELETE FROM sent_messages")
    with op.batch_alter_table("sent_messages") as batch_op:
        batch_op.add_column(
            sa.Column("due_at", bot.db.types.UTCDateTime(timezone=True), nullable=False)
        )
        batch_op.add_column(sa.Column("response", sa.String(10), nullable=True))
        batch_op.add_column(
            sa.Column("responded_at", bot.db.types.UTCDateTime(timezone=True), nullable=True)
        )
    op.create_index(
        "ix_sent_messages_queued",
        "sent_messages",
        ["status"],
        sqlite_where=QUEUED_ONLY,
        postgresql_where=QUEUED_ONLY,
    )


def downgrade() -> None:
    op.drop_index("ix_sent_messages_queued", table_name="sent_messages")
    with op.batch_alter_table("sent_messages") as batch_op:
        batch_op.drop_column("responded_at")
        batch_op.drop_column("response")
        batch_op.drop_column("due_at")
    with op.batch_alter_table("due_messages") as batch_op:
        batch_op.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(
            sa.Column("claimed_until", bot.db.types.UTCDateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("reminders_resume_on")
        batch_op.drop_column("reminders_paused")
        batch_op.drop_column("reminder_days")
