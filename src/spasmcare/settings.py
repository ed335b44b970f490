"""One settings object, read from the environment (prefix SPASMCARE_), with defaults that
work with no configuration at all."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("spasmcare", appauthor=False))


class Settings(BaseSettings):
    """Every setting SpasmCare reads. The README lists them; each has a safe default."""

    model_config = SettingsConfigDict(env_prefix="SPASMCARE_", extra="ignore")

    data_dir: Path = Field(
        default_factory=_default_data_dir, description="where SpasmCare keeps its files"
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; default: a SQLite file in data_dir. "
        "PostgreSQL: postgresql+psycopg://user@host:5432/dbname",
    )
    migrate_on_start: bool = Field(
        default=True, description="run database migrations when the server starts"
    )
    environment: Literal["development", "production"] = "development"
    session_days: int = Field(default=14, ge=1, le=90, description="how long a login lasts")
    login_attempts: int = Field(
        default=5, ge=1, description="failed logins per account per window before a wait"
    )
    login_window_minutes: int = Field(default=15, ge=1)

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'spasmcare.db'}"


@functools.cache
def get_settings() -> Settings:
    """The settings of this process (cached; tests clear the cache to change them)."""
    return Settings()
