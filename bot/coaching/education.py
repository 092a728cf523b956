"""Short education from the articles over the first days, one at a time, at most one a day.

Issue 4: "Short education from the articles arrives over the first days (why slow and
controlled, why the deep abdominals and multifidus, why keep moving), one at a time, never more
than one a day." The items and their order: content/education.yaml.
"""

from collections.abc import Collection, Sequence
from datetime import date


def next_education(
    items: Sequence[str], shown: Collection[str], *, last_shown_on: date | None, today: date
) -> str | None:
    """The first item (in content order) not yet shown, unless one was shown today already."""
    if last_shown_on is not None and last_shown_on >= today:
        return None
    return next((key for key in items if key not in shown), None)
