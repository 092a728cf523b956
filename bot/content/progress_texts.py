"""The schema of the `progress:` texts: /progress and its chart."""

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ChartTexts(_Strict):
    title: str
    x_label: str
    y_label: str
    pain: str  # legend: the daily average
    baseline: str  # legend: the starting point; {score}
    sessions: str  # legend: days with a session
    caption: str


class WeeklySummaryTexts(_Strict):
    heading: str
    week: str  # the seven days that end on the summary's day: {completed} of {planned}
    week_nothing_planned: str
    footer: str  # {day}, {time}
    setting: str  # {day}, {time}, {zone}, {next}
    setting_off: str  # {time}
    next: str  # {when}
    next_first: str  # {when}: before any session, a summary would have nothing to show
    next_paused: str
    off_button: str
    changed: str  # {day}, {time}, {next}
    turned_off: str
    days: list[str] = Field(min_length=7, max_length=7)  # Monday first


class ProgressTexts(_Strict):
    no_data: str  # nothing done or rated yet: encouragement, no chart
    heading: str
    week: str  # {completed} of {planned}
    week_partial: str  # appended; {partial}
    week_extra: str  # appended; {extra}
    week_nothing_planned: str
    streak: str  # {current}, {longest}
    pain: str  # {now}, {baseline}
    pain_no_baseline: str  # {now}
    pain_none: str
    chart: ChartTexts
    weekly: WeeklySummaryTexts
