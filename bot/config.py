"""All settings, read once from the environment or `.env`.

Nothing else in the project reads ``os.environ``: the values are handed down as plain
arguments (a database URL, a list of admin IDs).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PLACEHOLDER_MARKERS = ("xxx", "changeme", "your-", "placeholder", "...")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def default_data_dir() -> Path:
    """Where the embedded SQLite database lives: ``$XDG_DATA_HOME/minwon-bot``."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "minwon-bot"


def default_database_url() -> str:
    return f"sqlite+aiosqlite:///{default_data_dir() / 'minwon-bot.db'}"


class ConfigError(Exception):
    """A setting needed for the chosen mode is missing or still a placeholder."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = Field(default_factory=default_database_url)
    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    slash_command: str = "/grade"
    announce_channel: str | None = None
    admin_user_ids: Annotated[tuple[str, ...], NoDecode] = ()
    log_level: str = "INFO"
    # How long one Web API call may take before it counts as "maybe happened" (seconds).
    slack_timeout: int = Field(default=30, ge=1, le=300)

    @field_validator("admin_user_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("database_url", mode="before")
    @classmethod
    def _default_database(cls, value: object) -> object:
        return value if isinstance(value, str) and value.strip() else default_database_url()

    @field_validator("slack_api_url", mode="before")
    @classmethod
    def _trailing_slash(cls, value: object) -> object:
        if not isinstance(value, str) or not value.strip():
            return "https://slack.com/api/"
        return value if value.endswith("/") else value + "/"

    @field_validator(
        "slack_bot_token",
        "slack_signing_secret",
        "slack_app_token",
        "announce_channel",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _known_level(cls, value: object) -> object:
        if not isinstance(value, str) or not value.strip():
            return "INFO"
        level = value.strip().upper()
        if not isinstance(logging.getLevelName(level), int):
            raise ValueError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {value!r}")
        return level

    @field_validator("slash_command")
    @classmethod
    def _leading_slash(cls, value: str) -> str:
        return value if value.startswith("/") else "/" + value

    def slack_configured(self) -> bool:
        """True when enough Slack settings are present to try serving Slack."""
        return _usable(self.slack_bot_token) and (
            _usable(self.slack_app_token) or _usable(self.slack_signing_secret)
        )

    def require(self, *names: str) -> None:
        """Fail fast when a setting needed for the mode being started is missing."""
        for name in names:
            value = getattr(self, name)
            if not _usable(value):
                raise ConfigError(
                    f"{name.upper()} is missing or still a placeholder; set it in the environment or .env"
                )


def _usable(value: SecretStr | str | None) -> bool:
    if value is None:
        return False
    text = value.get_secret_value() if isinstance(value, SecretStr) else value
    text = text.strip()
    return bool(text) and not any(marker in text.lower() for marker in PLACEHOLDER_MARKERS)


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc']).upper()}: {error['msg']}"
            for error in exc.errors()
        )
        raise ConfigError(problems) from None
