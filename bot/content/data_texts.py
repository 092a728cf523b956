"""The schema of the `data:` section of `content/texts.yaml`: /history, /export and /delete."""

from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bot.db.enums import SessionStatus


class DataTexts(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    history_heading: str
    history_line: str  # {date} {routine} {status} {pain}
    history_date: str  # {weekday} {day} {month}
    history_pain: str  # {score}
    history_no_pain: str
    history_empty: str
    statuses: dict[SessionStatus, str]
    export_intro: str
    export_columns: str  # {zone}
    export_nothing: str
    delete_explain: str  # {word}
    delete_word: str = Field(pattern=r"^\S+$")
    delete_done: str
    delete_cancelled: str
    delete_nothing: str

    @model_validator(mode="after")
    def _every_status(self) -> Self:
        missing = sorted(set(SessionStatus) - set(self.statuses))
        if missing:
            raise ValueError(f"statuses needs a word for {', '.join(missing)}")
        return self
