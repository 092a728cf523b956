"""A faithful fake Telegram Bot API server with simulated users (demo, tests, benchmarks)."""

from bot.emulator.errors import ApiError
from bot.emulator.limits import RateLimits, SendStats
from bot.emulator.server import FakeBotApi
from bot.emulator.state import MessageSource, StoredFile
from bot.emulator.user import FakeUser

__all__ = [
    "ApiError",
    "FakeBotApi",
    "FakeUser",
    "MessageSource",
    "RateLimits",
    "SendStats",
    "StoredFile",
]
