"""SQLAlchemy models: people, routine sessions, step results, pain reports, screening,
scheduled messages. The coaching tables are in `coaching_models`, registered here."""

from datetime import date, datetime, time

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base as Base
from bot.db.base import enum_column
from bot.db.enums import PainContext, SendStatus, SessionStatus, StepOutcome, UserStatus
from bot.db.types import UTCDateTime

ALL_WEEKDAYS = "0123456"
# Coach default: the weekly summary comes on Sunday evening unless the person chose another day.
SUNDAY = 6


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[UserStatus] = mapped_column(
        enum_column(UserStatus), default=UserStatus.ONBOARDING
    )
    time_zone: Mapped[str | None] = mapped_column(String(64))
    reminder_time: Mapped[time | None] = mapped_column(Time)
    # Weekdays with a reminder, as digits 0 (Mon) to 6 (Sun): "0123456" is every day.
    reminder_days: Mapped[str] = mapped_column(String(7), default=ALL_WEEKDAYS)
    reminders_paused: Mapped[bool] = mapped_column(Boolean, default=False)
    # While paused: the local date reminders come back on by themselves; None is until /resume.
    reminders_resume_on: Mapped[date | None] = mapped_column(Date)
    consented_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    screened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Each run through the red-flag questions is a pass; only the current pass's buttons count.
    screening_pass: Mapped[int] = mapped_column(Integer, default=0)
    # Flare-up mode, in the person's local dates: from flare_started_on until (not including)
    # flare_until. Both stay after it ends, so the streak still knows those days.
    flare_started_on: Mapped[date | None] = mapped_column(Date)
    flare_until: Mapped[date | None] = mapped_column(Date)
    # The morning check-in's time; None means their reminder time.
    check_in_time: Mapped[time | None] = mapped_column(Time)
    # The weekday (0 Mon to 6 Sun) of the weekly summary, or None for none.
    summary_weekday: Mapped[int | None] = mapped_column(SmallInteger, default=SUNDAY)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ScreeningAnswer(Base):
    __tablename__ = "screening_answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    screening_pass: Mapped[int] = mapped_column(Integer)
    question_key: Mapped[str] = mapped_column(String(40))
    answer_yes: Mapped[bool] = mapped_column(Boolean)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RoutineSession(Base):
    __tablename__ = "routine_sessions"
    __table_args__ = (Index("ix_routine_sessions_user_started", "user_id", "started_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    routine_key: Mapped[str] = mapped_column(String(64))
    status: Mapped[SessionStatus] = mapped_column(enum_column(SessionStatus))
    current_position: Mapped[int] = mapped_column(Integer, default=0)
    current_exercise_key: Mapped[str | None] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class StepResult(Base):
    __tablename__ = "step_results"
    __table_args__ = (UniqueConstraint("session_id", "position", "exercise_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("routine_sessions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    exercise_key: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[StepOutcome] = mapped_column(enum_column(StepOutcome))
    # The optional quick 0–10 during the exercise.
    pain_score: Mapped[int | None] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PainReport(Base):
    __tablename__ = "pain_reports"
    __table_args__ = (
        CheckConstraint("score BETWEEN 0 AND 10", name="pain_score_0_to_10"),
        UniqueConstraint("session_id", "context"),
        Index("ix_pain_reports_user_reported", "user_id", "reported_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("routine_sessions.id", ondelete="CASCADE")
    )
    score: Mapped[int] = mapped_column(Integer)
    context: Mapped[PainContext] = mapped_column(enum_column(PainContext))
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ConversationState(Base):
    """python-telegram-bot conversation states, persisted by `SqlPersistence`."""

    __tablename__ = "conversation_states"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    user_telegram_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    state: Mapped[str] = mapped_column(Text)


class DueMessage(Base):
    """The next pending message of one kind for one person; the tick claims these when due."""

    __tablename__ = "due_messages"
    __table_args__ = (
        UniqueConstraint("user_id", "kind"),
        Index("ix_due_messages_next_due_at_id", "next_due_at", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    next_due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The person's local date the message is for: with kind, the key against double sends.
    local_date: Mapped[date] = mapped_column(Date)


class SentMessage(Base):
    """One message per person, kind and local date, written (queued) before it is sent.

    Only the sender that moves a row from queued to sending may call Telegram, so a message
    queued twice (after a restart, or by two dispatchers) still goes out once.
    """

    __tablename__ = "sent_messages"
    __table_args__ = (
        UniqueConstraint("user_id", "kind", "local_date"),
        Index(
            "ix_sent_messages_queued",
            "status",
            sqlite_where=text("status = 'queued'"),
            postgresql_where=text("status = 'queued'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    local_date: Mapped[date] = mapped_column(Date)
    status: Mapped[SendStatus] = mapped_column(enum_column(SendStatus))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What the person pressed on the reminder (start, later, skip), for adherence reports.
    response: Mapped[str | None] = mapped_column(String(10))
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


# Imported last: every table is on Base.metadata whenever the models are.
from bot.db import coaching_models as coaching_models  # noqa: E402
