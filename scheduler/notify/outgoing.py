"""The messages one event makes: one per ``notify`` entry that wants it, its text cleared of
every secret the calendar's folder knows (tokens, passwords, the Apprise URLs themselves)."""

from __future__ import annotations

from datetime import datetime

from scheduler.calendar.model import Calendar
from scheduler.calendar.secrets import secrets_of
from scheduler.secrets import scrub
from scheduler.store.outbox import QUEUED
from scheduler.store.tables import NotifyMessage


def outgoing(
    calendar: Calendar,
    event: str,
    title: str,
    body: str,
    now: datetime,
    attach: str | None = None,
) -> list[NotifyMessage]:
    secrets = secrets_of(calendar)
    return [
        message(entry.variable, event, title, body, now, secrets, attach)
        for entry in calendar.notify
        if event in entry.events
    ]


def message(
    target: str,
    event: str,
    title: str,
    body: str,
    now: datetime,
    secrets: list[str],
    attach: str | None = None,
) -> NotifyMessage:
    """One message for the entry whose URL is in ``${target}``, queued now, its text cleared
    of ``secrets``."""
    return NotifyMessage(
        target=target,
        event=event,
        title=scrub(title, secrets),
        body=scrub(body, secrets),
        attach=attach,
        state=QUEUED,
        next_try_at=now,
        created_at=now,
    )
