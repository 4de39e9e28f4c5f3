"""Reads for the calendar views: the publications of a span of time, in one query."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select

from scheduler.store.store import Store
from scheduler.store.tables import Publication


def scheduled_between(store: Store, start: datetime, end: datetime) -> list[Publication]:
    """The rows whose time is in ``[start, end)``, in time order."""
    with store.session() as session:
        query = select(Publication).where(
            Publication.scheduled_at >= start, Publication.scheduled_at < end
        )
        return list(session.exec(query.order_by(col(Publication.scheduled_at))))
