"""the weekly summary's day per person (Sunday unless they chose another, NULL for none)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-21 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # People already in the programme get Sunday, like everyone new; the startup resync puts
    # their first summary in the schedule.
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(
            sa.Column("summary_weekday", sa.SmallInteger(), nullable=True, server_default="6")
        )


def downgrade() -> None:
    # The code before this revision knows no such kind, not even in its send log.
    op.execute("DELETE FROM due_messages WHERE kind = 'weekly_summary'")
    op.execute("DELETE FROM sent_messages WHERE kind = 'weekly_summary'")
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("summary_weekday")
