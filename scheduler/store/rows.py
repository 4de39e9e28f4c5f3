"""Rows and the conditions on them: a new row for an occurrence, the guards that make an
UPDATE a claim (only the claim's holder; only a retry whose time came), closing an attempt,
and a pause that a second one leaves alone."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import Insert
from sqlmodel import Session, col, select

from scheduler.store.states import ACTIVE, Sent, State, Transition
from scheduler.store.tables import AccountPause, Attempt, Publication

if TYPE_CHECKING:
    from scheduler.calendar.expand import Occurrence

# Rows that went out, or may have, or are about to (or a person was reminded to post): a
# one-off post moved after one of these is not sent again.
TAKEN = (
    State.PUBLISHED,
    State.PUBLISHING,
    State.UNKNOWN,
    State.CLAIMED,
    State.RETRY,
    State.AWAITING,
)


def new_row(occurrence: Occurrence, now: datetime, state: State, **fields: Any) -> Publication:
    return Publication(
        key=occurrence.key,
        post_id=occurrence.post.id,
        account=occurrence.account.name,
        platform=occurrence.platform,
        scheduled_at=occurrence.at,
        state=state,
        created_at=now,
        updated_at=now,
        **fields,
    )


def held(key: str, owner: str) -> list[Any]:
    """The row is still this owner's claim (claimed, or publishing)."""
    return [
        col(Publication.key) == key,
        col(Publication.owner) == owner,
        col(Publication.state).in_(ACTIVE),
    ]


def due_retry(key: str, now: datetime) -> list[Any]:
    return [
        Publication.key == key,
        Publication.state == State.RETRY,
        or_(col(Publication.next_attempt_at).is_(None), col(Publication.next_attempt_at) <= now),
    ]


def close_attempt(session: Session, key: str, now: datetime, transition: Transition) -> None:
    attempt = session.exec(
        select(Attempt).where(Attempt.key == key).order_by(col(Attempt.number).desc())
    ).first()
    if attempt is not None and attempt.finished_at is None:
        attempt.finished_at, attempt.outcome = now, transition.outcome
        attempt.error_code = transition.error_code
        attempt.error_message = transition.error_message
        session.add(attempt)


def settled_values(session: Session, key: str, now: datetime, t: Transition) -> dict[str, Any]:
    """The columns ``Store.settle`` writes for ``t``: the state and what it carries, and the
    time spent waiting for the connection (a wait starts at the first attempt that found no
    connection and ends at the first that reached the platform)."""
    values: dict[str, Any] = {
        "state": t.state,
        "next_attempt_at": t.next_attempt_at,
        "error_code": t.error_code,
        "error_message": t.error_message,
        "platform_post_id": t.platform_post_id,
        "permalink": t.permalink,
        "updated_at": now,
        "lease_until": None,
    }
    if t.state == State.PUBLISHED:
        values["published_at"] = now
    waiting_since = session.exec(
        select(Publication.offline_since).where(Publication.key == key)
    ).first()
    if t.waiting:
        values["offline_since"] = waiting_since or now
    elif waiting_since is not None:
        values.update(ended_wait(waiting_since, now))
    return values


def ended_wait(since: datetime, now: datetime) -> dict[str, Any]:
    """The columns that end a wait for the connection that began at ``since``."""
    waited = max(0, int((now - since).total_seconds()))
    return {"offline_since": None, "waited_seconds": Publication.waited_seconds + waited}


def pause_insert(dialect: str, account: str, reason: str, now: datetime) -> Insert:
    """An INSERT that leaves an existing pause (its first reason and time) alone."""
    values = {"account": account, "reason": reason, "since": now}
    if dialect == "postgresql":
        return postgresql.insert(AccountPause).values(**values).on_conflict_do_nothing()
    return sqlite.insert(AccountPause).values(**values).on_conflict_do_nothing()


def sent_values(sent: Sent | None) -> dict[str, Any]:
    """The columns that keep what an attempt sends (none when it isn't told)."""
    if sent is None:
        return {}
    return {
        "sent_caption": sent.caption,
        "sent_media": sent.media,
        "category": sent.category,
        "kind": sent.kind,
        "revision": sent.revision,
    }
