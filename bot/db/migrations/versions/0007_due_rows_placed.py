"""due rows placed by time of day on SQLite (see bot/db/due_placement.py)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-21 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.types
from bot.db.due_placement import FIRST_PLACED_ID, block_start, id_block

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_DUE = sa.table(
    "due_messages",
    sa.column("id", sa.Integer()),
    sa.column("next_due_at", bot.db.types.UTCDateTime()),
)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    # Rows with a small serial id move into the block of their time of day, after any rows
    # already placed there (a downgrade keeps placed ids); an id is never given out twice.
    rows = bind.execute(
        sa.select(_DUE.c.id, _DUE.c.next_due_at).order_by(_DUE.c.next_due_at, _DUE.c.id)
    ).all()
    next_free: dict[int, int] = {}
    for row_id, _ in rows:
        if row_id >= FIRST_PLACED_ID:
            start = block_start(row_id)
            next_free[start] = max(next_free.get(start, start), row_id + 1)
    moves = []
    for row_id, due_at in rows:
        if row_id >= FIRST_PLACED_ID:
            continue
        start = id_block(due_at)[0]
        new_id = next_free.get(start, start)
        next_free[start] = new_id + 1
        moves.append({"old": row_id, "new": new_id})
    if moves:
        move = sa.update(_DUE).where(_DUE.c.id == sa.bindparam("old"))
        bind.execute(move.values(id=sa.bindparam("new")), moves)


def downgrade() -> None:
    # Placed ids are valid ids for the code before this revision: nothing to undo.
    pass
