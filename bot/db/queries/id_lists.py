"""Claimed row ids bound as one parameter, and the SQL that reads them back.

A batch's rows are sent as one ordered list, group after group, with the position where each
group ends. Each row then finds its group by comparing its position with those ends: a few
integer comparisons, where a membership test per group cost a lookup in each group's id set.
"""

import json
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Integer,
    String,
    Subquery,
    Table,
    any_,
    bindparam,
    case,
    func,
    select,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

from bot.db.models import DueMessage

_FEWEST_CASES = 32


class IdList(TypeDecorator[Sequence[int]]):
    """Row ids as one parameter: an integer array on PostgreSQL, JSON text on SQLite."""

    impl = String
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        postgres = dialect.name == "postgresql"
        return dialect.type_descriptor(ARRAY(Integer) if postgres else String())

    def process_bind_param(self, value: Sequence[int] | None, dialect: Dialect) -> Any:
        ids = list(value or ())
        return ids if dialect.name == "postgresql" else json.dumps(ids)


def padded(count: int) -> int:
    """How many cases a statement for `count` groups gets: a power of two, and at least
    enough for a usual minute's groups. So statements come in few shapes, each built and
    compiled once; the spare cases match no row and cost next to nothing."""
    return max(_FEWEST_CASES, 1 << (count - 1).bit_length()) if count else 0


def in_order(groups: Sequence[Sequence[int]]) -> tuple[list[int], list[int]]:
    """The groups' ids as one list, and the position just after each group's last id."""
    ids: list[int] = []
    ends = []
    for group in groups:
        ids.extend(group)
        ends.append(len(ids))
    return ids, ends


def listed(param: str, *, dialect: str) -> Subquery:
    """The ids bound to `param` as rows: `id`, and `pos`, its 0-based position in the list."""
    ids = bindparam(param, type_=IdList())
    if dialect == "postgresql":
        # Named columns: AS listed_ids(id, ordinality).
        rows = (
            func.unnest(ids)
            .table_valued("id", with_ordinality="ordinality", name="listed_ids")
            .render_derived()
        )
        return select(rows.c.id, (rows.c.ordinality - 1).label("pos")).subquery("listed")
    items = func.json_each(ids).table_valued("value", "key")
    return select(items.c.value.label("id"), items.c.key.label("pos")).subquery("listed")


def by_group(
    position: ColumnElement[int], slots: int, param: str, type_: TypeEngine[Any]
) -> ColumnElement[Any]:
    """SQL: `param`_n for the row at `position`, n its group (the first whose `end_`n is past
    it); NULL past the last group."""
    return case(
        *(
            (
                position < bindparam(f"end_{n}", type_=Integer()),
                bindparam(f"{param}_{n}", type_=type_),
            )
            for n in range(slots)
        )
    )


def group_ends(ends: Sequence[int], slots: int) -> dict[str, int]:
    """The `end_`n parameters; spare cases end where the last group does, so they match no row."""
    last = ends[-1] if ends else 0
    return {f"end_{n}": ends[n] if n < len(ends) else last for n in range(slots)}


def due_id_in(param: str, *, dialect: str) -> ColumnElement[bool]:
    """`due_messages.id` is in the id list bound to `param`."""
    ids = bindparam(param, type_=IdList())
    column = due_table().c.id
    if dialect == "postgresql":
        return column == any_(ids)
    return column.in_(select(func.json_each(ids).table_valued("value").c.value))


def due_table() -> Table:
    return cast(Table, DueMessage.__table__)
