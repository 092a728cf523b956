"""Conversation states kept in our own SQL tables, so a restart resumes a routine."""

from typing import Any

from telegram.ext import BasePersistence, PersistenceInput
from telegram.ext._utils.types import CDCData, ConversationDict, ConversationKey

from bot.db.engine import SessionFactory
from bot.db.queries.conversations import load_conversation_states, save_conversation_state

_NOTHING_BUT_CONVERSATIONS = PersistenceInput(
    bot_data=False, chat_data=False, user_data=False, callback_data=False
)
# Conversation states reach us on PTB's persistence tick; a short one keeps a crash's loss tiny.
_UPDATE_INTERVAL_SECONDS = 1.0


class SqlPersistence(BasePersistence[dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """Only conversation states are persisted; everything else lives in the database proper."""

    def __init__(self, session_factory: SessionFactory) -> None:
        super().__init__(
            store_data=_NOTHING_BUT_CONVERSATIONS, update_interval=_UPDATE_INTERVAL_SECONDS
        )
        self._session_factory = session_factory

    async def get_conversations(self, name: str) -> ConversationDict:
        async with self._session_factory() as session:
            states = await load_conversation_states(session, name=name)
        return dict(states)

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        async with self._session_factory.begin() as session:
            await save_conversation_state(session, name=name, key=key, state=new_state)

    async def get_user_data(self) -> dict[int, dict[Any, Any]]:
        return {}

    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        return {}

    async def get_bot_data(self) -> dict[Any, Any]:
        return {}

    async def get_callback_data(self) -> CDCData | None:
        return None

    async def update_user_data(self, user_id: int, data: dict[Any, Any]) -> None:
        return None

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        return None

    async def update_bot_data(self, data: dict[Any, Any]) -> None:
        return None

    async def update_callback_data(self, data: CDCData) -> None:
        return None

    async def drop_chat_data(self, chat_id: int) -> None:
        return None

    async def drop_user_data(self, user_id: int) -> None:
        return None

    async def refresh_user_data(self, user_id: int, user_data: dict[Any, Any]) -> None:
        return None

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:
        return None

    async def refresh_bot_data(self, bot_data: dict[Any, Any]) -> None:
        return None

    async def flush(self) -> None:
        return None
