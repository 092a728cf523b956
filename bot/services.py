"""What every handler needs, handed over once through the Application (no globals)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot, JobQueue

from bot.coaching.ladders import Track, build_tracks
from bot.config import Clinic
from bot.content.schema import Content
from bot.db.engine import SessionFactory
from scheduler.due_watch import DueWatch, share_watch

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """Now, in UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class Services:
    session_factory: SessionFactory
    content: Content
    clock: Clock = system_clock
    # The reminder tick's earliest due time, lowered by the flows that schedule a reminder.
    due_watch: DueWatch = field(default_factory=DueWatch)
    # Named in the advice to see a physical therapist (settings CLINIC_NAME, CLINIC_CONTACT).
    clinic: Clinic = field(default_factory=Clinic)

    def __post_init__(self) -> None:
        share_watch(self.session_factory, self.due_watch)

    @cached_property
    def tracks(self) -> dict[str, Track]:
        """The content's progression tracks, built once."""
        return build_tracks(self.content)


_SERVICES_KEY = "services"


AnyDict = dict[Any, Any]


class CoachContext(CallbackContext[ExtBot[Any], AnyDict, AnyDict, AnyDict]):
    """The callback context, with typed access to the coach's services."""

    @property
    def services(self) -> Services:
        services = self.application.bot_data[_SERVICES_KEY]
        assert isinstance(services, Services)
        return services


CoachApplication = Application[ExtBot[Any], CoachContext, AnyDict, AnyDict, AnyDict, JobQueue[Any]]


def attach_services(application: CoachApplication, services: Services) -> None:
    """Make `services` reachable from every handler's context."""
    application.bot_data[_SERVICES_KEY] = services
