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

_CHUNK = 20_000
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
    # A chunk at a time, in old id order, so a million people need little memory.
    last_taken: dict[int, int] = {}
    for (row_id,) in bind.execute(sa.select(_DUE.c.id).where(_DUE.c.id >= FIRST_PLACED_ID)):
        start = block_start(row_id)
        last_taken[start] = max(last_taken.get(start, row_id), row_id)
    move = sa.update(_DUE).where(_DUE.c.id == sa.bindparam("old")).values(id=sa.bindparam("new"))
    after = 0
    while True:
        chunk = bind.execute(
            sa.select(_DUE.c.id, _DUE.c.next_due_at)
            .where(_DUE.c.id > after, _DUE.c.id < FIRST_PLACED_ID)
            .order_by(_DUE.c.id)
            .limit(_CHUNK)
        ).all()
        if not chunk:
            return
        moves = []
        for row_id, due_at in chunk:
            start = id_block(due_at)[0]
            last_taken[start] = last_taken.get(start, start - 1) + 1
            moves.append({"old": row_id, "new": last_taken[start]})
        bind.execute(move, moves)
        after = chunk[-1][0]


def downgrade() -> None:
    # Placed ids are valid ids for the code before this revision: nothing to undo.
    pass
