"""One Settings object, read from the environment and `.env`."""

from dataclasses import dataclass
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///backcoach.sqlite3"
DEFAULT_DEMO_DATABASE_URL = "sqlite+aiosqlite:///backcoach-demo.sqlite3"


@dataclass(frozen=True, slots=True)
class Clinic:
    """Where the coach suggests booking a physical therapist; each part shown when set."""

    name: str | None = None
    contact: str | None = None


class Settings(BaseSettings):
    """Everything an operator can tune; see `.env.example`."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    database_url: str = DEFAULT_DATABASE_URL
    demo_database_url: str = DEFAULT_DEMO_DATABASE_URL
    log_level: str = "INFO"
    reminder_grace_minutes: int = Field(
        default=180,
        ge=0,
        description="A reminder that fell due while the bot was down is still sent this late; "
        "older ones are skipped and counted.",
    )
    reminder_tick_seconds: float = Field(
        default=10.0, gt=0, description="How often due reminders are looked for."
    )
    reminder_batch_size: int = Field(
        default=2000, ge=1, description="Due reminders claimed per database transaction."
    )
    content_dir: str | None = Field(
        default=None, description="Folder of the content YAML; the bundled content/ when unset."
    )
    clinic_name: str | None = Field(
        default=None,
        description="The physical therapy clinic named when the coach advises seeing one.",
    )
    clinic_contact: str | None = Field(
        default=None, description="How to book with it: a phone number, web page or address."
    )

    @property
    def clinic(self) -> Clinic:
        """The clinic to name in advice to see a physical therapist (empty values are unset)."""
        return Clinic(name=self.clinic_name or None, contact=self.clinic_contact or None)

    @property
    def content_path(self) -> Path | None:
        """The content folder as a path, if one is configured."""
        return Path(self.content_dir) if self.content_dir else None
