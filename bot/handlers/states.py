"""Conversation states, named for what the bot is waiting for (stored as strings)."""

CONSENTING = "consenting"
SCREENING = "screening"
RATING_BASELINE = "rating_baseline"
CHOOSING_REMINDER_TIME = "choosing_reminder_time"
CHOOSING_TIME_ZONE = "choosing_time_zone"

CHOOSING_ROUTINE = "choosing_routine"
DOING_EXERCISE = "doing_exercise"
RATING_PAIN = "rating_pain"

CHANGING_REMINDER_TIME = "changing_reminder_time"
CHANGING_TIME_ZONE = "changing_time_zone"

CONFIRMING_DELETE = "confirming_delete"
