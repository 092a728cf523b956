"""The reminder machinery of a running bot: the tick, the bulk sender, recovery and resync."""

import asyncio
import logging
from datetime import timedelta

from telegram import Bot
from telegram.request import HTTPXRequest

from bot.config import Settings
from bot.delivery import ReminderDelivery
from bot.flows.resync import resync_schedules
from bot.services import CoachApplication, CoachContext, Services
from scheduler.budget import SendBudget
from scheduler.dispatch import Dispatcher, TickReport
from scheduler.sender import BulkSender

logger = logging.getLogger(__name__)
TICK_JOB_NAME = "reminder-tick"


class Reminders:
    """Started after the application, stopped before it."""

    def __init__(
        self,
        application: CoachApplication,
        services: Services,
        settings: Settings,
        budget: SendBudget,
    ) -> None:
        assert settings.telegram_bot_token is not None
        self._application = application
        self._services = services
        self._settings = settings
        grace = timedelta(minutes=settings.reminder_grace_minutes)
        # A Bot of its own, with its own connection pool, so a reminder backlog never holds up
        # a reply; both share one send budget, because Telegram counts both against the token.
        self.bulk_bot = Bot(
            settings.telegram_bot_token.get_secret_value(),
            base_url=settings.telegram_api_base_url,
            request=HTTPXRequest(connection_pool_size=32),
        )
        self.sender = BulkSender(self.bulk_bot, budget, ReminderDelivery(services, grace=grace))
        self.dispatcher = Dispatcher(
            services.session_factory,
            clock=services.clock,
            grace=grace,
            batch_size=settings.reminder_batch_size,
            enqueue=self.sender.put,
            watch=services.due_watch,
            summary_at=services.content.plan.weekly_summary_at,
        )
        self._resync: asyncio.Task[int] | None = None

    async def start(self) -> None:
        """Send what a stop left queued, then tick; recompute schedules in the background."""
        await self.bulk_bot.initialize()
        await self.sender.start()
        recovered = await self.dispatcher.recover_queued()
        if recovered:
            logger.info("Queued again %d reminders left unsent by the last stop", recovered)
        job_queue = self._application.job_queue
        assert job_queue is not None
        job_queue.run_repeating(
            self._tick,
            interval=self._settings.reminder_tick_seconds,
            first=0,
            name=TICK_JOB_NAME,
            # One tick at a time, and a late tick runs once, not once per missed interval.
            job_kwargs={"max_instances": 1, "coalesce": True, "misfire_grace_time": None},
        )
        self._resync = asyncio.create_task(
            resync_schedules(
                self._services.session_factory,
                now=self._services.clock(),
                summary_at=self._services.content.plan.weekly_summary_at,
            )
        )

    async def stop(self) -> None:
        """Stop ticking and sending; whatever is still queued is sent after the next start."""
        job_queue = self._application.job_queue
        assert job_queue is not None
        for job in job_queue.get_jobs_by_name(TICK_JOB_NAME):
            job.schedule_removal()
        if self._resync is not None:
            self._resync.cancel()
            await asyncio.gather(self._resync, return_exceptions=True)
        await self.sender.stop()
        await self.bulk_bot.shutdown()

    async def _tick(self, _context: CoachContext) -> TickReport:
        return await self.dispatcher.tick()
