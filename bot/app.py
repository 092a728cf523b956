"""Builds the Application: every handler is registered here, in order, top to bottom."""

import warnings
from typing import Any

from telegram import Update
from telegram.ext import (
    AIORateLimiter,
    ApplicationBuilder,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest
from telegram.warnings import PTBUserWarning

from bot.handlers import callback_data as cd
from bot.handlers import general, onboarding, routine, setup, steps
from bot.handlers.states import (
    CHOOSING_REMINDER_TIME,
    CHOOSING_ROUTINE,
    CHOOSING_TIME_ZONE,
    CONSENTING,
    DOING_EXERCISE,
    RATING_BASELINE,
    RATING_PAIN,
    SCREENING,
)
from bot.persistence import SqlPersistence
from bot.services import CoachApplication, CoachContext, Services, attach_services

AnyHandler = BaseHandler[Update, CoachContext, Any]
TYPED = filters.TEXT & ~filters.COMMAND
ANYTHING_ELSE = ~filters.COMMAND


def _onboarding_conversation() -> ConversationHandler:  # type: ignore[type-arg]
    return ConversationHandler(
        name="onboarding",
        persistent=True,
        entry_points=[
            CommandHandler("start", onboarding.start),
            CallbackQueryHandler(onboarding.recheck, pattern=f"^{cd.RECHECK}$"),
        ],
        states={
            CONSENTING: [
                CallbackQueryHandler(onboarding.accept_consent, pattern=f"^{cd.CONSENT_YES}$"),
                CallbackQueryHandler(onboarding.decline_consent, pattern=f"^{cd.CONSENT_NO}$"),
            ],
            SCREENING: [
                CallbackQueryHandler(onboarding.answer_screening, pattern=cd.SCREEN_PATTERN),
                CallbackQueryHandler(onboarding.recheck, pattern=f"^{cd.RECHECK}$"),
            ],
            RATING_BASELINE: [
                CallbackQueryHandler(setup.press_baseline, pattern=cd.BASELINE_PATTERN),
                MessageHandler(ANYTHING_ELSE, setup.type_baseline),
            ],
            CHOOSING_REMINDER_TIME: [
                CallbackQueryHandler(setup.press_reminder_time, pattern=cd.TIME_PATTERN),
                MessageHandler(ANYTHING_ELSE, setup.type_reminder_time),
            ],
            CHOOSING_TIME_ZONE: [
                CallbackQueryHandler(setup.press_time_zone, pattern=cd.ZONE_PATTERN),
                MessageHandler(filters.LOCATION, setup.share_location),
                MessageHandler(ANYTHING_ELSE, setup.type_time_zone),
            ],
        },
        fallbacks=[
            CommandHandler("start", onboarding.start),
            CommandHandler("cancel", general.pause_setup),
            CallbackQueryHandler(general.answer_old_button),
            MessageHandler(filters.ALL, general.use_buttons),
        ],
    )


def _routine_conversation() -> ConversationHandler:  # type: ignore[type-arg]
    presses: list[AnyHandler] = [
        CallbackQueryHandler(steps.answer_step, pattern=cd.STEP_PATTERN),
        CallbackQueryHandler(steps.choose_easier, pattern=cd.EASIER_PATTERN),
    ]
    pain_press: AnyHandler = CallbackQueryHandler(steps.press_pain, pattern=cd.PAIN_PATTERN)
    return ConversationHandler(
        name="routine",
        persistent=True,
        entry_points=[
            CommandHandler("routine", routine.open_routines),
            CallbackQueryHandler(routine.open_routines, pattern=f"^{cd.OPEN_ROUTINES}$"),
            # After a crash lost the conversation state, the database still knows the step.
            *presses,
            pain_press,
        ],
        states={
            CHOOSING_ROUTINE: [
                CallbackQueryHandler(routine.pick_routine, pattern=cd.PICK_PATTERN),
                MessageHandler(ANYTHING_ELSE, general.use_buttons),
            ],
            DOING_EXERCISE: presses,
            RATING_PAIN: [pain_press, MessageHandler(ANYTHING_ELSE, steps.type_pain)],
        },
        fallbacks=[
            CommandHandler("cancel", routine.stop),
            CommandHandler("routine", routine.open_routines),
            CallbackQueryHandler(routine.open_routines, pattern=f"^{cd.OPEN_ROUTINES}$"),
            CallbackQueryHandler(general.answer_old_button),
            MessageHandler(filters.ALL, routine.remind_buttons),
        ],
    )


def build_application(
    services: Services,
    *,
    token: str,
    base_url: str,
    request: BaseRequest | None = None,
) -> CoachApplication:
    """The whole bot, ready to `initialize()`; `request` lets tests record HTTP calls."""
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(base_url)
        .context_types(ContextTypes(context=CoachContext))
        .persistence(SqlPersistence(services.session_factory))
        .concurrent_updates(False)
        .rate_limiter(AIORateLimiter(max_retries=3))
    )
    if request is not None:
        builder.request(request).get_updates_request(request)
    application: CoachApplication = builder.build()
    attach_services(application, services)

    application.add_handler(CommandHandler("help", general.show_help))
    with warnings.catch_warnings():
        # Our flows are command -> inline keyboard, keyed by (chat, user): per_message=False
        # is right, and PTB warns about it for every such ConversationHandler.
        warnings.filterwarnings("ignore", message=".*per_message=False", category=PTBUserWarning)
        application.add_handler(_onboarding_conversation())
        application.add_handler(_routine_conversation())
    # The database, not the conversation state, knows whether a routine is running.
    application.add_handler(CommandHandler("cancel", routine.stop))
    application.add_handler(CallbackQueryHandler(general.answer_old_button))
    application.add_handler(MessageHandler(filters.ALL, general.not_understood))
    application.add_error_handler(general.report_error)
    return application
