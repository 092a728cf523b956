"""due messages indexed in claim order (next_due_at, id)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 11:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The tick claims in (next_due_at, id) order. With next_due_at alone PostgreSQL sorted every
    # row due at one instant for each batch; this index lets a claim stop after its batch.
    op.create_index("ix_due_messages_next_due_at_id", "due_messages", ["next_due_at", "id"])
    op.drop_index("ix_due_messages_next_due_at", table_name="due_messages")


def downgrade() -> None:
    op.create_index("ix_due_messages_next_due_at", "due_messages", ["next_due_at"])
    op.drop_index("ix_due_messages_next_due_at_id", table_name="due_messages")
