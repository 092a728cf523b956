"""Builds the Application: every handler is registered here, in order, top to bottom."""

import warnings
from typing import Any

from telegram import Update
from telegram.ext import (
    ApplicationBuilder,
    BaseHandler,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest
from telegram.warnings import PTBUserWarning

from bot.handlers import callback_data as cd
from bot.handlers import (
    check_in,
    exercise_pain,
    flare,
    follow_ups,
    general,
    membership,
    onboarding,
    person_data,
    progress,
    reminder_buttons,
    reminder_changes,
    reminder_settings,
    routine,
    setup,
    steps,
    timer,
    weekly_summary,
)
from bot.handlers.claims import Claims
from bot.handlers.states import (
    CHANGING_REMINDER_TIME,
    CHANGING_TIME_ZONE,
    CHOOSING_REMINDER_TIME,
    CHOOSING_ROUTINE,
    CHOOSING_TIME_ZONE,
    CONFIRMING_DELETE,
    CONSENTING,
    DOING_EXERCISE,
    RATING_BASELINE,
    RATING_PAIN,
    SCREENING,
)
from bot.persistence import SqlPersistence
from bot.services import CoachApplication, CoachContext, Services, attach_services
from bot.update_processor import PerChatUpdateProcessor
from scheduler.budget import SendBudget
from scheduler.interactive_limiter import InteractiveLimiter

# Updates handled at once (each person's one at a time); far above what a coaching bot gets.
MAX_CONCURRENT_UPDATES = 64
AnyHandler = BaseHandler[Update, CoachContext, Any]
TYPED = filters.TEXT & ~filters.COMMAND
ANYTHING_ELSE = ~filters.COMMAND
HELP = filters.Regex(r"^/help(@\w+)?(\s|$)")


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
        CallbackQueryHandler(exercise_pain.pain_now, pattern=cd.PAIN_NOW_PATTERN),
    ]
    pain_press: AnyHandler = CallbackQueryHandler(steps.press_pain, pattern=cd.PAIN_PATTERN)
    start_now: AnyHandler = CallbackQueryHandler(
        reminder_buttons.start_now, pattern=cd.REMINDER_START_PATTERN
    )
    return ConversationHandler(
        name="routine",
        persistent=True,
        entry_points=[
            CommandHandler("routine", routine.open_routines),
            CallbackQueryHandler(routine.open_routines, pattern=f"^{cd.OPEN_ROUTINES}$"),
            start_now,
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
            start_now,
            CallbackQueryHandler(general.answer_old_button),
            MessageHandler(filters.ALL, routine.remind_buttons),
        ],
    )


def _reminder_settings() -> list[AnyHandler]:
    """/reminders, /pause, /resume and their buttons: the database decides, in any state."""
    return [
        CommandHandler("reminders", reminder_settings.show_reminders),
        CommandHandler("pause", reminder_settings.pause_reminders),
        CommandHandler("resume", reminder_settings.resume_reminders),
        CallbackQueryHandler(reminder_settings.open_days, pattern=f"^{cd.SETTINGS_DAYS}$"),
        CallbackQueryHandler(reminder_settings.press_day, pattern=cd.DAYS_PATTERN),
        CallbackQueryHandler(reminder_settings.press_pause, pattern=f"^{cd.SETTINGS_PAUSE}$"),
        CallbackQueryHandler(reminder_settings.press_resume, pattern=f"^{cd.SETTINGS_RESUME}$"),
    ]


def _coaching_anywhere() -> list[AnyHandler]:
    """/flare, the flare-up offer, the weekly re-check and the hold timer: the database (or the
    running timer) decides, so they work in any conversation and never change its state."""
    return [
        CommandHandler("flare", flare.flare_command),
        CallbackQueryHandler(flare.answer_offer, pattern=cd.FLARE_OFFER_PATTERN),
        CallbackQueryHandler(follow_ups.answer_weekly, pattern=cd.WEEKLY_PATTERN),
        CallbackQueryHandler(timer.start_timer, pattern=cd.TIMER_START_PATTERN),
        CallbackQueryHandler(timer.stop_timer, pattern=cd.TIMER_STOP_PATTERN),
    ]


def _reminder_change_conversation(claims: Claims) -> ConversationHandler:  # type: ignore[type-arg]
    """Change time / Change time zone, waiting for the answer. In group -1: what it answers
    is claimed, so group 0 leaves it alone; anything else ends the question and goes on."""
    answer = claims.answering
    return ConversationHandler(
        name="reminder_settings",
        persistent=True,
        allow_reentry=True,
        entry_points=[
            CallbackQueryHandler(
                answer(reminder_changes.ask_time), pattern=f"^{cd.SETTINGS_TIME}$"
            ),
            CallbackQueryHandler(
                answer(reminder_changes.ask_zone), pattern=f"^{cd.SETTINGS_ZONE}$"
            ),
        ],
        states={
            CHANGING_REMINDER_TIME: [
                CallbackQueryHandler(answer(reminder_changes.press_time), pattern=cd.TIME_PATTERN),
                MessageHandler(ANYTHING_ELSE, answer(reminder_changes.type_time)),
            ],
            CHANGING_TIME_ZONE: [
                CallbackQueryHandler(answer(reminder_changes.press_zone), pattern=cd.ZONE_PATTERN),
                MessageHandler(filters.LOCATION, answer(reminder_changes.share_location)),
                MessageHandler(ANYTHING_ELSE, answer(reminder_changes.type_zone)),
            ],
        },
        fallbacks=[
            CommandHandler("cancel", answer(reminder_changes.cancel_change)),
            # /help is answered in group 0 and leaves the question open.
            MessageHandler(filters.COMMAND & ~HELP, reminder_changes.step_aside),
            CallbackQueryHandler(reminder_changes.step_aside),
        ],
    )


def _delete_conversation(claims: Claims) -> ConversationHandler:  # type: ignore[type-arg]
    """/delete, waiting for the typed word. In group -2: what it answers is claimed, so the
    groups after leave it alone; anything else ends the question and goes on. Not persistent:
    a restart never leaves an erasure armed."""
    answer = claims.answering
    return ConversationHandler(
        entry_points=[CommandHandler("delete", answer(person_data.ask_delete))],
        states={
            CONFIRMING_DELETE: [MessageHandler(ANYTHING_ELSE, answer(person_data.confirm_delete))]
        },
        fallbacks=[
            CommandHandler("cancel", answer(person_data.cancel_delete)),
            CommandHandler("delete", answer(person_data.ask_delete)),
            # /help is answered in group 0 and leaves the question open.
            MessageHandler(filters.COMMAND & ~HELP, person_data.step_aside),
            CallbackQueryHandler(person_data.step_aside),
        ],
    )


def build_application(
    services: Services,
    *,
    token: str,
    base_url: str,
    request: BaseRequest | None = None,
    budget: SendBudget | None = None,
) -> CoachApplication:
    """The whole bot, ready to `initialize()`; `request` lets tests record HTTP calls.

    Replies spend the send `budget` (Telegram's per-bot limit) ahead of reminders sent in bulk.
    """
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(base_url)
        .context_types(ContextTypes(context=CoachContext))
        .persistence(SqlPersistence(services.session_factory))
        .concurrent_updates(PerChatUpdateProcessor(MAX_CONCURRENT_UPDATES))
        .rate_limiter(InteractiveLimiter(budget or SendBudget()))
    )
    if request is not None:
        builder.request(request).get_updates_request(request)
    application: CoachApplication = builder.build()
    attach_services(application, services)

    application.add_handler(
        ChatMemberHandler(membership.member_changed, ChatMemberHandler.MY_CHAT_MEMBER)
    )
    application.add_handler(CommandHandler("help", general.show_help))
    # Reminder buttons work whatever conversation the person is in (Start now opens a routine,
    # so it lives in the routine conversation).
    application.add_handler(
        CallbackQueryHandler(reminder_buttons.later, pattern=cd.REMINDER_LATER_PATTERN)
    )
    application.add_handler(
        CallbackQueryHandler(reminder_buttons.skip_today, pattern=cd.REMINDER_SKIP_PATTERN)
    )
    application.add_handler(
        CallbackQueryHandler(check_in.press_answer, pattern=cd.CHECK_IN_PATTERN)
    )
    application.add_handler(
        CallbackQueryHandler(weekly_summary.press_summary_day, pattern=cd.SUMMARY_DAY_PATTERN)
    )
    # What the reminder-change conversation (group -1, below) answered; then /reminders, /pause
    # and /resume, before the conversations so they work in the middle of set-up or a routine.
    claims = Claims()
    application.add_handler(claims.handler())
    application.add_handlers(_reminder_settings())
    application.add_handlers(_coaching_anywhere())
    application.add_handler(CommandHandler("checkin", check_in.choose_time))
    application.add_handler(CommandHandler("progress", progress.show_progress))
    application.add_handler(CommandHandler("summary", weekly_summary.show_summary_day))
    application.add_handler(CommandHandler("history", person_data.show_history))
    application.add_handler(CommandHandler("export", person_data.export_data))
    with warnings.catch_warnings():
        # Our flows are command -> inline keyboard, keyed by (chat, user): per_message=False
        # is right, and PTB warns about it for every such ConversationHandler.
        warnings.filterwarnings("ignore", message=".*per_message=False", category=PTBUserWarning)
        # Group -2 sees every update first: the /delete question. What it answered is kept
        # from group -1 (commands still pass, so an older question there ends).
        application.add_handler(_delete_conversation(claims), group=-2)
        application.add_handler(claims.guard(), group=-1)
        # Group -1 sees every update before group 0 does.
        application.add_handler(_reminder_change_conversation(claims), group=-1)
        # A typed 0–10 answers a waiting morning check-in only when nothing above asked.
        application.add_handler(MessageHandler(TYPED, check_in.typed_answers(claims)), group=-1)
        application.add_handler(_onboarding_conversation())
        application.add_handler(_routine_conversation())
    # The database, not the conversation state, knows whether a routine is running.
    application.add_handler(CommandHandler("cancel", routine.stop))
    application.add_handler(CallbackQueryHandler(general.answer_old_button))
    application.add_handler(MessageHandler(filters.ALL, general.not_understood))
    application.add_error_handler(general.report_error)
    return application
