"""Where a due row lies in SQLite's file: near the rows due at the same time of day.

SQLite keeps a table's rows in id order. A minute's tick reads and moves every row due in that
minute; with ids handed out in sign-up order those rows sit one per page all over the file, and
the tick reads and rewrites a page for each. So on SQLite each UTC minute of the day has a block
of ids, a row takes the next free id in the block of the time it is scheduled for, and the tick
then moves it from day to day without changing its id: a minute's rows share a few pages.

People keep their place when daylight saving moves their zone by an hour: they all move
together, so they still share pages. PostgreSQL keeps no order in a table, and its ids are 32-bit:
there ids stay plain serial numbers.
"""

from datetime import UTC, datetime

_BLOCK_BITS = 40
# Ids below the first block are rows from before placement; the blocks leave them alone.
FIRST_PLACED_ID = 1 << _BLOCK_BITS


def id_block(due_at: datetime) -> range:
    """The ids placed at `due_at`'s UTC minute of the day."""
    utc = due_at.astimezone(UTC)
    start = (utc.hour * 60 + utc.minute + 1) << _BLOCK_BITS
    return range(start, start + (1 << _BLOCK_BITS))


def block_start(row_id: int) -> int:
    """The first id of the block `row_id` (a placed id) is in."""
    return row_id >> _BLOCK_BITS << _BLOCK_BITS
