"""The schema of `content/texts.yaml`: every word the bot says that is not an exercise."""

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from bot.content.coaching_texts import CoachingTexts
from bot.content.data_texts import DataTexts
from bot.content.progress_texts import ProgressTexts


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Urgency(StrEnum):
    EMERGENCY = "emergency"  # seek care now
    URGENT = "urgent"  # see a doctor today or as soon as possible


class ScreeningQuestion(_Strict):
    key: str = Field(pattern=r"^[a-z_]{1,30}$")
    question: str
    urgency: Urgency


class ScreeningTexts(_Strict):
    intro: str
    questions: list[ScreeningQuestion] = Field(min_length=1)
    yes_button: str
    no_button: str
    answered_yes: str
    answered_no: str
    clear: str
    advice: dict[Urgency, str]  # a Yes when setting up: the programme does not start
    # A Yes in the weekly re-check, mid-programme: seek care, stop the exercises, reminders paused.
    weekly_advice: dict[Urgency, str]
    referred_reminder: str  # for someone referred, at the start or mid-programme
    recheck_button: str


class OnboardingTexts(_Strict):
    welcome: str
    consent_button: str
    decline_button: str
    consented: str
    declined: str
    welcome_back: str
    welcome_back_unfinished: str
    baseline_question: str
    baseline_recorded: str
    reminder_time_question: str
    reminder_time_presets: list[str] = Field(min_length=1)
    reminder_time_invalid: str
    time_zone_question: str
    time_zone_presets: list[str] = Field(min_length=1)
    time_zone_invalid: str
    time_zone_location_unknown: str
    done: str
    start_routine_button: str


class ExerciseCardTexts(_Strict):
    heading: str
    start_label: str
    feel_label: str
    dose_label: str
    equipment_label: str
    precautions_label: str
    coach_default_note: str


class RoutineTexts(_Strict):
    not_ready: str
    choose: str
    choice_button: str
    recommended_mark: str
    chosen: str
    principles_intro: str
    principle_line: str
    card: ExerciseCardTexts
    done_button: str
    skip_button: str
    too_painful_button: str
    marked: dict[str, str]
    too_painful_with_easier: str
    try_easier_button: str
    skip_it_button: str
    too_painful_no_easier: str
    in_progress_use_buttons: str
    resumed: str


class PainTexts(_Strict):
    question: str
    invalid: str
    recorded_mark: str
    summary: str
    versus_baseline: dict[str, str]
    band_feedback: dict[str, str]


class CommonTexts(_Strict):
    use_buttons: str
    not_understood: str
    session_ended: str
    already_answered: str
    button_expired: str
    cancelled_partial: str
    cancelled_nothing: str
    nothing_to_cancel: str
    help: str
    error: str
    setup_paused: str


class ReminderTexts(_Strict):
    snooze_minutes: int = Field(ge=5, le=240)
    never_done: list[str] = Field(min_length=1)
    streak: list[str] = Field(min_length=1)
    yesterday: list[str] = Field(min_length=1)
    since: list[str] = Field(min_length=1)
    snoozed: str
    start_button: str
    later_button: str
    skip_button: str
    started_mark: str
    later_confirmed: str
    skip_confirmed: str
    passed: str
    next_reminder: str
    no_next_reminder: str
    when: str
    weekdays: list[str] = Field(min_length=7, max_length=7)
    months: list[str] = Field(min_length=12, max_length=12)


class ReminderSettingsTexts(_Strict):
    summary: str
    status_on: str
    status_paused: str
    status_paused_until: str
    every_day: str
    day_range: str
    day_separator: str
    date: str
    change_time_button: str
    change_days_button: str
    change_zone_button: str
    pause_button: str
    resume_button: str
    time_question: str
    time_invalid: str
    time_changed: str
    days_question: str
    day_on: str
    day_off: str
    save_button: str
    days_none: str
    days_changed: str
    zone_question: str
    zone_invalid: str
    zone_changed: str
    change_cancelled: str
    paused: str
    paused_for: str
    paused_for_one: str
    pause_invalid: str
    resumed: str
    already_on: str


class Texts(_Strict):
    """Every user-facing string; placeholders in braces are filled by the bot."""

    commands: dict[str, str] = Field(min_length=1)
    onboarding: OnboardingTexts
    screening: ScreeningTexts
    routine: RoutineTexts
    pain: PainTexts
    common: CommonTexts
    reminders: ReminderTexts
    reminder_settings: ReminderSettingsTexts
    coaching: CoachingTexts
    data: DataTexts
    progress: ProgressTexts
