"""The pain chart as a PNG, sized and lettered for a phone screen (matplotlib, headless)."""

import io
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from bot.coaching.adherence import DayDone
from bot.content.progress_texts import ChartTexts

# Inches at DPI: 800 x 560 pixels (a phone shows it full width), large letters, few ticks.
_SIZE, _DPI, _FONT, _MAX_TICKS = (10, 7), 80, 20, 5
_MIN_DAYS = 6


def render_chart(
    pain: Sequence[tuple[date, float]],
    sessions: Mapping[date, DayDone],
    *,
    baseline: int | None,
    texts: ChartTexts,
) -> bytes:
    """Daily pain over local dates, session days marked along the bottom, the starting point as
    a dashed line. CPU-bound: call it through `asyncio.to_thread`."""
    # Imported here: matplotlib takes a while to load and most updates never draw a chart.
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    from matplotlib.figure import Figure

    figure = Figure(figsize=_SIZE, dpi=_DPI)
    # Fixed margins: a layout engine would cost more than the drawing.
    figure.subplots_adjust(left=0.1, right=0.97, top=0.9, bottom=0.14)
    axes = figure.add_subplot()
    if pain:
        days, scores = zip(*pain, strict=True)
        axes.plot(days, scores, marker="o", linewidth=3, markersize=7, label=texts.pain)
    # matplotlib's stubs take no dates, though it plots them (through matplotlib.dates).
    done: list[Any] = [day for day, status in sessions.items() if status is DayDone.COMPLETED]
    partial: list[Any] = [day for day, status in sessions.items() if status is DayDone.PARTIAL]
    axes.scatter(
        done, [0.3] * len(done), marker="^", s=120, color="tab:green", label=texts.sessions
    )
    axes.scatter(
        partial, [0.3] * len(partial), marker="^", s=120, facecolors="none", edgecolors="tab:green"
    )
    if baseline is not None:
        axes.axhline(
            baseline,
            linestyle="--",
            linewidth=2.5,
            color="tab:red",
            label=texts.baseline.format(score=baseline),
        )
    shown = [day for day, _ in pain] + list(sessions)
    if shown:
        # At least a week wide, so a few days of data still get whole-day ticks.
        first = min(shown)
        last = max(max(shown), first + timedelta(days=_MIN_DAYS))
        axes.set_xlim(first - timedelta(days=1), last + timedelta(days=1))  # type: ignore[arg-type]
    axes.set_ylim(0, 10.5)
    axes.set_yticks([0, 2, 4, 6, 8, 10])
    locator = AutoDateLocator(maxticks=_MAX_TICKS)  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    axes.set_title(texts.title, fontsize=_FONT + 4)
    axes.set_xlabel(texts.x_label, fontsize=_FONT)
    axes.set_ylabel(texts.y_label, fontsize=_FONT)
    axes.tick_params(labelsize=_FONT)
    axes.grid(axis="y", alpha=0.3)
    axes.legend(fontsize=_FONT - 4, loc="upper right")
    buffer = io.BytesIO()
    # Fast compression: the chart is mostly flat colour, so it stays small anyway.
    figure.savefig(buffer, format="png", pil_kwargs={"compress_level": 1})
    return buffer.getvalue()
