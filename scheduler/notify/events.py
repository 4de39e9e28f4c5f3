"""Finding what must be told: the store's rows that ended in an event a ``notify`` entry
wants, not told yet, enqueued with their marks in one transaction (``Outbox.enqueue``).

The store's state is the source: an event is found after its state was recorded, by
whichever process looks first, and a process killed before it enqueued or sent leaves the
row for the next look (its restart, or the other daemon). Rows changed within ``WINDOW``
are looked at, so switching notifications on does not tell a year of history.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlmodel import col, select

from scheduler.calendar.model import Calendar
from scheduler.notify import compose
from scheduler.notify.outgoing import outgoing
from scheduler.notify.tokens import collect_tokens
from scheduler.store import Attempt, Outcome, Publication, State, Store
from scheduler.store.outbox import Outbox

WINDOW = timedelta(days=1)
ROW_EVENTS = {
    "failed": State.FAILED,
    "unknown": State.UNKNOWN,
    "missed": State.MISSED,
    "published": State.PUBLISHED,
}


def collect(calendar: Calendar, store: Store, outbox: Outbox, now: datetime) -> int:
    """Enqueue every untold event the calendar's entries want; how many messages."""
    wanted = {event for entry in calendar.notify for event in entry.events}
    queued = 0
    for event, state in ROW_EVENTS.items():
        if event in wanted:
            queued += _rows_event(calendar, store, outbox, now, event, state)
    if "paused" in wanted:
        queued += _paused(calendar, store, outbox, now)
    if "quota" in wanted:
        queued += _quota(calendar, store, outbox, now)
    if "token_expiring" in wanted:
        queued += collect_tokens(calendar, outbox, now)
    return queued


def _recent(store: Store, state: str, since: datetime) -> list[Publication]:
    with store.session() as session:
        query = select(Publication).where(
            Publication.state == state, col(Publication.updated_at) >= since
        )
        return list(session.exec(query.order_by(col(Publication.scheduled_at))))


def _by_account(rows: Sequence[Publication]) -> dict[str, list[Publication]]:
    grouped: dict[str, list[Publication]] = defaultdict(list)
    for row in rows:
        grouped[row.account].append(row)
    return grouped


def _rows_event(
    calendar: Calendar, store: Store, outbox: Outbox, now: datetime, event: str, state: str
) -> int:
    rows = _recent(store, state, now - WINDOW)
    told = outbox.marked(event, [row.key for row in rows])
    queued = 0
    for group in _by_account([row for row in rows if row.key not in told]).values():
        title, body = compose.posts_message(calendar, event, group)
        messages = outgoing(calendar, event, title, body, now)
        if messages and outbox.enqueue(event, [row.key for row in group], messages, now):
            queued += len(messages)
    return queued


def _paused(calendar: Calendar, store: Store, outbox: Outbox, now: datetime) -> int:
    pauses = store.paused()
    subjects = {account: f"{account}@{p.since.isoformat()}" for account, p in pauses.items()}
    told = outbox.marked("paused", list(subjects.values()))
    waiting = _by_account(store.in_state(State.RETRY))
    queued = 0
    for account, pause in pauses.items():
        if subjects[account] in told:
            continue
        known = calendar.accounts.get(account)
        platform = known.platform if known is not None else "?"
        title, body = compose.paused_message(calendar, pause, platform, waiting.get(account, []))
        messages = outgoing(calendar, "paused", title, body, now)
        if messages and outbox.enqueue("paused", [subjects[account]], messages, now):
            queued += len(messages)
    return queued


def _quota(calendar: Calendar, store: Store, outbox: Outbox, now: datetime) -> int:
    with store.session() as session:
        query = select(Attempt.id, Publication).where(
            col(Attempt.key) == col(Publication.key),
            Attempt.outcome == Outcome.QUOTA,
            col(Attempt.finished_at) >= now - WINDOW,
        )
        found = [(str(id_), row) for id_, row in session.exec(query)]
    told = outbox.marked("quota", [subject for subject, _ in found])
    grouped: dict[str, list[tuple[str, Publication]]] = defaultdict(list)
    for subject, row in found:
        if subject not in told:
            grouped[row.account].append((subject, row))
    queued = 0
    for pairs in grouped.values():
        title, body = compose.quota_message(calendar, [row for _, row in pairs])
        messages = outgoing(calendar, "quota", title, body, now)
        if messages and outbox.enqueue("quota", [s for s, _ in pairs], messages, now):
            queued += len(messages)
    return queued
