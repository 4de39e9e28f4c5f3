"""Reads for the calendar views and the report: the publications of a span of time, and the
latest readings of many posts, each in one query."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select as core_select
from sqlmodel import col, select

from scheduler.store.store import Store
from scheduler.store.tables import InsightReading, Publication


def scheduled_between(store: Store, start: datetime, end: datetime) -> list[Publication]:
    """The rows whose time is in ``[start, end)``, in time order."""
    with store.session() as session:
        query = select(Publication).where(
            Publication.scheduled_at >= start, Publication.scheduled_at < end
        )
        return list(session.exec(query.order_by(col(Publication.scheduled_at))))


def latest_readings(store: Store, keys: Sequence[str]) -> dict[str, Mapping[str, Any]]:
    """The newest reading of each of ``keys`` that has one (as ``Insights.latest`` chooses
    it), its columns by name. Plain rows, not ORM objects: a month's report asks for
    thousands, and building an object for every older reading only to drop it took most of
    its time."""
    table = InsightReading.__table__  # type: ignore[attr-defined]
    found: dict[str, Any] = {}
    with store.session() as session:
        for start in range(0, len(keys), 500):
            query = (
                core_select(table)
                .where(table.c.key.in_(keys[start : start + 500]))
                .order_by(table.c.read_at, table.c.id)
            )
            for row in session.connection().execute(query):
                found[row.key] = row._mapping  # a later row replaces an earlier: the newest stays
    return found
