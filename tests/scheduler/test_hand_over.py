"""Committed batches reach the sender in claim order, only what the log queued, errors kept."""

from datetime import UTC, date, datetime, time

import pytest

from bot.db.enums import MessageKind, UserStatus
from bot.db.queries.due_batches import DueGroup
from scheduler.hand_over import HandOver
from scheduler.outgoing import Outgoing

REMINDER = MessageKind.DAILY_REMINDER.value
DUE = datetime(2026, 3, 4, 7, 0, tzinfo=UTC)
WEDNESDAY = date(2026, 3, 4)


def group(user_ids: list[int], kind: MessageKind = MessageKind.DAILY_REMINDER) -> DueGroup:
    return DueGroup(
        due_ids=[user_id + 10_000 for user_id in user_ids],
        user_ids=user_ids,
        chat_ids=[user_id + 500 for user_id in user_ids],
        kind=kind,
        due_at=DUE,
        local_date=WEDNESDAY,
        status=UserStatus.ACTIVE,
        time_zone="Europe/Berlin",
        reminder_time=time(8),
        reminder_days="0123456",
        reminders_paused=False,
        reminders_resume_on=None,
        summary_weekday=6,
    )


async def test_batches_reach_the_sender_in_the_order_they_were_claimed() -> None:
    sent: list[Outgoing] = []
    hand_over = HandOver(sent.append)
    # The first batch is long enough to yield to the loop halfway; the second is short.
    first, second = list(range(1, 1201)), [5000]

    hand_over.add([(u, REMINDER) for u in first], [group(first)])
    hand_over.add([(u, REMINDER) for u in second], [group(second)])
    await hand_over.finish()

    assert [item.key[0] for item in sent] == [*first, *second]
    assert sent[-1] == Outgoing(key=(5000, REMINDER, WEDNESDAY), chat_id=5500, due_at=DUE)


async def test_only_what_the_log_queued_is_handed_over() -> None:
    sent: list[Outgoing] = []
    hand_over = HandOver(sent.append)
    reminders, check_ins = group([1, 2, 3]), group([1, 2], MessageKind.CHECK_IN)

    # Person 2's reminder was logged already (another process); person 1's check-in too.
    queued = [(1, REMINDER), (3, REMINDER), (2, MessageKind.CHECK_IN.value)]
    hand_over.add(queued, [reminders, check_ins])
    await hand_over.finish()

    assert sorted(item.key[:2] for item in sent) == sorted(queued)
    assert {item.key[0]: item.chat_id for item in sent} == {1: 501, 2: 502, 3: 503}


async def test_a_failed_hand_over_holds_back_no_other_batch_and_is_raised() -> None:
    sent: list[Outgoing] = []

    def enqueue(item: Outgoing) -> None:
        if item.key[0] == 2:
            raise RuntimeError("crash")
        sent.append(item)

    hand_over = HandOver(enqueue)
    hand_over.add([(1, REMINDER), (2, REMINDER)], [group([1, 2])])
    hand_over.add([(3, REMINDER)], [group([3])])

    with pytest.raises(RuntimeError, match="crash"):
        await hand_over.finish()
    # The failed batch's other rows stay queued in the log, for the next start; the next batch
    # still reaches the sender.
    assert [item.key[0] for item in sent] == [1, 3]
    await hand_over.finish()  # nothing left pending
