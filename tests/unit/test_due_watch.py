"""The tick's earliest due time: what it read, lowered by this process's own scheduling."""

from datetime import UTC, datetime, timedelta

from scheduler.due_watch import REREAD, DueWatch

T = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)


def test_a_new_watch_looks_at_once() -> None:
    assert DueWatch().needs_look(T)


def test_after_a_read_the_tick_waits_for_the_earliest_due_time() -> None:
    watch = DueWatch()
    watch.looking()
    watch.looked(earliest=T + 10 * SECOND, now=T)

    assert [watch.needs_look(T + n * SECOND) for n in (9, 10)] == [False, True]


def test_with_nothing_due_for_long_the_watch_reads_again_after_a_while() -> None:
    watch = DueWatch()
    watch.looking()
    watch.looked(earliest=None, now=T)

    assert not watch.needs_look(T + REREAD - SECOND)
    assert watch.needs_look(T + REREAD)


def test_a_row_scheduled_here_brings_the_next_look_forward() -> None:
    watch = DueWatch()
    watch.looking()
    watch.looked(earliest=T + REREAD, now=T)

    watch.lower(T + 5 * SECOND)

    assert [watch.needs_look(T + n * SECOND) for n in (4, 5)] == [False, True]


def test_news_that_arrives_while_the_tick_reads_outlives_the_read() -> None:
    # Committed after the tick's read began, the row may be missing from what it read.
    watch = DueWatch()
    watch.looking()
    watch.lower(T + 5 * SECOND)
    watch.looked(earliest=T + REREAD, now=T)

    assert watch.needs_look(T + 5 * SECOND)


def test_news_from_before_a_read_is_in_what_was_read() -> None:
    watch = DueWatch()
    watch.lower(T + 5 * SECOND)
    watch.looking()
    watch.looked(earliest=T + REREAD / 2, now=T)

    assert not watch.needs_look(T + 5 * SECOND)
