"""The routine card the bot last showed each person, so a press on it is answered at once.

A person's updates are handled one at a time, in order (`PerChatUpdateProcessor`). Showing a
card remembers it; a press takes it off, whatever it was; a handler that changes a routine
any other way forgets it before the change. So while a card is remembered, the database
still agrees with it, and a press on exactly that card can have its callback answered
before the database work; any other press is answered after it, toast and all, as is a
press from someone not remembered (never seen, evicted, or after a restart).
"""

from collections import OrderedDict
from dataclasses import dataclass
from typing import Literal

from telegram import Update

from bot.handlers.replies import telegram_ids
from bot.services import CoachContext

# Far more people than press buttons at once; one forgotten is only answered a little later.
MAX_PEOPLE = 10_000
_KEY = "shown_steps"


@dataclass(frozen=True, slots=True)
class Card:
    """A keyboard: what it asks, for which session and position (0 where they don't apply).
    `scale` is an exercise card showing the quick 0–10 in place of its answers."""

    kind: Literal["step", "scale", "easier", "pain", "routines"]
    session_id: int = 0
    position: int = 0


class ShownSteps:
    """The last card shown to each person (by Telegram user id), least recently shown first."""

    def __init__(self, max_people: int = MAX_PEOPLE) -> None:
        self._cards: OrderedDict[int, Card] = OrderedDict()
        self._max_people = max_people

    def remember(self, person: int, card: Card) -> None:
        """`card` is now on the person's screen, and the database agrees with it."""
        self._cards[person] = card
        self._cards.move_to_end(person)
        if len(self._cards) > self._max_people:
            self._cards.popitem(last=False)

    def forget(self, person: int) -> None:
        """The person's routine is about to change some other way than by a press."""
        self._cards.pop(person, None)

    def take(self, person: int, card: Card) -> bool:
        """A press: whether it is on the card last shown; no card is remembered after it."""
        return self._cards.pop(person, None) == card


def _of(context: CoachContext) -> ShownSteps:
    """One map per Application, so a new one (a restart) starts empty."""
    bot_data = context.application.bot_data
    shown = bot_data.get(_KEY)
    if not isinstance(shown, ShownSteps):
        shown = bot_data[_KEY] = ShownSteps()
    return shown


def remember(update: Update, context: CoachContext, card: Card) -> None:
    """Note the card just shown to the person behind `update`."""
    _of(context).remember(telegram_ids(update)[0], card)


def forget(update: Update, context: CoachContext) -> None:
    """Forget the person's card before their routine changes other than by a press on it."""
    _of(context).forget(telegram_ids(update)[0])


def take(update: Update, context: CoachContext, card: Card) -> bool:
    """Whether the press in `update` is on the card last shown to the person."""
    return _of(context).take(telegram_ids(update)[0], card)
