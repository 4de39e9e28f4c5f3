"""The store's tables (SQLModel), with times kept in UTC whatever the database keeps.

The schema itself is created and upgraded by the alembic migrations in
``scheduler/migrations``; these classes must describe the same columns.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, TypeDecorator
from sqlmodel import Field, SQLModel


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, whatever the database keeps."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Publication(SQLModel, table=True):
    __tablename__ = "publications"

    key: str = Field(primary_key=True, max_length=200)
    post_id: str = Field(index=True, max_length=100)
    account: str = Field(index=True, max_length=100)
    platform: str = Field(max_length=20)
    scheduled_at: datetime = Field(sa_type=UTCDateTime, index=True)
    state: str = Field(index=True, max_length=20)
    attempts: int = 0
    owner: str | None = Field(default=None, max_length=200)
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    next_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    caption_hash: str | None = Field(default=None, max_length=64)
    container_id: str | None = Field(default=None, max_length=200)
    platform_post_id: str | None = Field(default=None, max_length=200)
    permalink: str | None = Field(default=None, max_length=500)
    error_code: str | None = Field(default=None, max_length=40)
    error_message: str | None = None
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class Attempt(SQLModel, table=True):
    __tablename__ = "attempts"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(index=True, max_length=200)
    number: int
    owner: str = Field(max_length=200)
    started_at: datetime = Field(sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    outcome: str | None = Field(default=None, max_length=20)
    error_code: str | None = Field(default=None, max_length=40)
    error_message: str | None = None


class AccountPause(SQLModel, table=True):
    __tablename__ = "account_pauses"

    account: str = Field(primary_key=True, max_length=100)
    reason: str
    since: datetime = Field(sa_type=UTCDateTime)


class Meta(SQLModel, table=True):
    __tablename__ = "meta"

    name: str = Field(primary_key=True, max_length=50)
    value: str
