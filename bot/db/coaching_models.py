"""Tables of the pain-monitoring coach: ladder positions, the planned exercises of a session,
morning check-ins, education shown, and the audit trail of every coaching decision."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, enum_column
from bot.db.enums import CheckInFeeling, CoachingTopic
from bot.db.types import UTCDateTime


class LadderPosition(Base):
    """Where a person stands on one progression track (a chain of variants and doses)."""

    __tablename__ = "ladder_positions"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    track_key: Mapped[str] = mapped_column(String(40), primary_key=True)
    rung: Mapped[int] = mapped_column(Integer)
    # Sessions in a row at this rung that count towards the next step up.
    good_sessions: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SessionExercise(Base):
    """An exercise a session was planned with, at the dose of the person's step then."""

    __tablename__ = "session_exercises"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("routine_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    exercise_key: Mapped[str] = mapped_column(String(64))
    track_key: Mapped[str] = mapped_column(String(40))
    rung: Mapped[int] = mapped_column(Integer)
    reps: Mapped[int | None] = mapped_column(Integer)
    hold_seconds: Mapped[int | None] = mapped_column(Integer)
    sets: Mapped[int | None] = mapped_column(Integer)


class CheckIn(Base):
    """The next morning's answer about one session: better, same, worse, or a 0–10."""

    __tablename__ = "check_ins"
    __table_args__ = (
        CheckConstraint("score IS NULL OR score BETWEEN 0 AND 10", name="check_in_score_0_to_10"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("routine_sessions.id", ondelete="CASCADE"), unique=True
    )
    feeling: Mapped[CheckInFeeling | None] = mapped_column(enum_column(CheckInFeeling))
    score: Mapped[int | None] = mapped_column(Integer)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)


class EducationShown(Base):
    """A short explanation from the articles, shown once; at most one a day."""

    __tablename__ = "education_shown"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    item_key: Mapped[str] = mapped_column(String(40), primary_key=True)
    shown_on: Mapped[date] = mapped_column(Date)


class CoachingDecision(Base):
    """The audit trail: each decision the coach made, what it changed, and why."""

    __tablename__ = "coaching_decisions"
    __table_args__ = (Index("ix_coaching_decisions_user_made", "user_id", "made_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("routine_sessions.id", ondelete="CASCADE")
    )
    topic: Mapped[CoachingTopic] = mapped_column(enum_column(CoachingTopic))
    # The reason's key; its plain sentence for the person is in content/texts.yaml.
    reason: Mapped[str] = mapped_column(String(40))
    track_key: Mapped[str | None] = mapped_column(String(40))
    from_rung: Mapped[int | None] = mapped_column(Integer)
    to_rung: Mapped[int | None] = mapped_column(Integer)
    made_at: Mapped[datetime] = mapped_column(UTCDateTime)
