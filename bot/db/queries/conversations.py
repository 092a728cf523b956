"""Conversation states of python-telegram-bot's ConversationHandlers."""

import json

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import ConversationState

ConversationKey = tuple[int | str, ...]


def _encode_key(key: ConversationKey) -> str:
    return json.dumps(list(key))


def _decode_key(text: str) -> ConversationKey:
    return tuple(json.loads(text))


async def load_conversation_states(
    session: AsyncSession, *, name: str
) -> dict[ConversationKey, object]:
    """All stored states of one conversation."""
    result = await session.execute(
        select(ConversationState.key, ConversationState.state).where(ConversationState.name == name)
    )
    return {_decode_key(key): json.loads(state) for key, state in result.all()}


async def save_conversation_state(
    session: AsyncSession, *, name: str, key: ConversationKey, state: object | None
) -> None:
    """Store a conversation's state, or forget it when it has ended (None)."""
    encoded = _encode_key(key)
    if state is None:
        await session.execute(
            delete(ConversationState).where(
                ConversationState.name == name, ConversationState.key == encoded
            )
        )
        return
    user_id = key[-1] if key and isinstance(key[-1], int) else None
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    values = {"name": name, "key": encoded, "user_telegram_id": user_id, "state": json.dumps(state)}
    statement = insert(ConversationState).values(**values)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[ConversationState.name, ConversationState.key],
            set_={"state": statement.excluded.state},
        )
    )
