"""the pain-monitoring coach: ladder positions, planned session exercises, check-ins,
education shown, coaching decisions; flare-up dates and a check-in time per person

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.types

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, bot.db.types.UTCDateTime(timezone=True), nullable=nullable)


def _user_id(*, primary_key: bool = False) -> sa.Column[object]:
    return sa.Column(
        "user_id",
        sa.Integer(),
        sa.ForeignKey("users.id", ondelete="CASCADE"),
        nullable=False,
        primary_key=primary_key,
    )


def _session_id(*, primary_key: bool = False, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(
        "session_id",
        sa.Integer(),
        sa.ForeignKey("routine_sessions.id", ondelete="CASCADE"),
        nullable=nullable,
        primary_key=primary_key,
    )


def upgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("flare_started_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("flare_until", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("check_in_time", sa.Time(), nullable=True))
    with op.batch_alter_table("step_results") as batch_op:
        batch_op.add_column(sa.Column("pain_score", sa.Integer(), nullable=True))
    op.create_table(
        "ladder_positions",
        _user_id(primary_key=True),
        sa.Column("track_key", sa.String(40), primary_key=True),
        sa.Column("rung", sa.Integer(), nullable=False),
        sa.Column("good_sessions", sa.Integer(), nullable=False, server_default="0"),
        _when("updated_at"),
    )
    op.create_table(
        "session_exercises",
        _session_id(primary_key=True),
        sa.Column("position", sa.Integer(), primary_key=True),
        sa.Column("exercise_key", sa.String(64), nullable=False),
        sa.Column("track_key", sa.String(40), nullable=False),
        sa.Column("rung", sa.Integer(), nullable=False),
        sa.Column("reps", sa.Integer(), nullable=True),
        sa.Column("hold_seconds", sa.Integer(), nullable=True),
        sa.Column("sets", sa.Integer(), nullable=True),
    )
    op.create_table(
        "check_ins",
        sa.Column("id", sa.Integer(), primary_key=True),
        _user_id(),
        _session_id(),
        sa.Column(
            "feeling",
            sa.Enum("better", "same", "worse", name="checkinfeeling", native_enum=False, length=20),
            nullable=True,
        ),
        sa.Column("score", sa.Integer(), nullable=True),
        _when("answered_at"),
        sa.CheckConstraint(
            "score IS NULL OR score BETWEEN 0 AND 10", name="check_in_score_0_to_10"
        ),
        sa.UniqueConstraint("session_id"),
    )
    op.create_index("ix_check_ins_user_id", "check_ins", ["user_id"])
    op.create_table(
        "education_shown",
        _user_id(primary_key=True),
        sa.Column("item_key", sa.String(40), primary_key=True),
        sa.Column("shown_on", sa.Date(), nullable=False),
    )
    op.create_table(
        "coaching_decisions",
        sa.Column("id", sa.Integer(), primary_key=True),
        _user_id(),
        _session_id(nullable=True),
        sa.Column(
            "topic",
            sa.Enum(
                "progression",
                "in_exercise",
                "check_in",
                "flare",
                "escalation",
                "red_flag",
                name="coachingtopic",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.String(40), nullable=False),
        sa.Column("track_key", sa.String(40), nullable=True),
        sa.Column("from_rung", sa.Integer(), nullable=True),
        sa.Column("to_rung", sa.Integer(), nullable=True),
        _when("made_at"),
    )
    op.create_index("ix_coaching_decisions_user_made", "coaching_decisions", ["user_id", "made_at"])


def downgrade() -> None:
    op.drop_index("ix_coaching_decisions_user_made", table_name="coaching_decisions")
    op.drop_table("coaching_decisions")
    op.drop_table("education_shown")
    op.drop_index("ix_check_ins_user_id", table_name="check_ins")
    op.drop_table("check_ins")
    op.drop_table("session_exercises")
    op.drop_table("ladder_positions")
    with op.batch_alter_table("step_results") as batch_op:
        batch_op.drop_column("pain_score")
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("check_in_time")
        batch_op.drop_column("flare_until")
        batch_op.drop_column("flare_started_on")
