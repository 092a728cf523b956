"""The optional quick 0–10 during an exercise: advice to carry on or go slower, or, above 5,
stop that exercise and offer the easier variant or skipping it (docs/coaching-rules.md, 1)."""

from dataclasses import dataclass

from bot.coaching.feedback import ExerciseAdvice, ExercisePainAdvice, advise_during_exercise
from bot.db.enums import StepOutcome
from bot.flows import routine
from bot.flows.moves import NextMove, Stale, StepView
from bot.services import Services


@dataclass(frozen=True)
class CarryOn:
    """0–5: the same exercise, with advice; the score goes with its answer."""

    view: StepView
    advice: ExercisePainAdvice


@dataclass(frozen=True)
class StopHere:
    """Above 5: recorded as Too painful; the easier variant is offered, or the next step."""

    move: NextMove
    advice: ExercisePainAdvice


async def showing(services: Services, *, user_id: int, session_id: int, position: int) -> bool:
    """Whether this person's exercise at `position` of this session waits for an answer."""
    current = await routine.current_step(services, user_id=user_id)
    return (
        isinstance(current, StepView)
        and current.session_id == session_id
        and current.position == position
    )


async def rate_exercise(
    services: Services, *, user_id: int, session_id: int, position: int, score: int
) -> CarryOn | StopHere | Stale:
    """Advise on the pain now in the current exercise, and record the advice with its reason."""
    advice = advise_during_exercise(score)
    async with services.session_factory.begin() as session:
        active = await routine.locked_at(session, session_id, user_id, position)
        if isinstance(active, Stale):
            return active
        where = await routine.where_now(services, session, active)
        if not isinstance(where, StepView):
            return Stale(still_running=True)
        if advice.advice is ExerciseAdvice.STOP_OFFER_EASIER:
            move = await routine.record_answer(
                services, session, active, StepOutcome.TOO_PAINFUL, score, advice
            )
            return move if isinstance(move, Stale) else StopHere(move, advice)
        await routine.record_advice(session, active, advice, services.clock())
    return CarryOn(where, advice)
