"""``Outbox``: the notifications' queue in the store, shared by every process.

An event is enqueued with its marks (``notify_marks``: one row per event and subject) and its
messages in one transaction, so a second daemon, or one restarted after a crash, that finds
the same event finds it marked and enqueues nothing. A message is sent by whoever claims it
(one guarded UPDATE, like a publication's claim) under a lease; a sender that died mid-send
leaves a lease that runs out, and the message is queued again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from scheduler.store.tables import NotifyMark, NotifyMessage

Sessions = Callable[[], AbstractContextManager[Session]]
QUEUED, SENDING, SENT, FAILED = "queued", "sending", "sent", "failed"
SEND_LEASE = timedelta(minutes=2)


class Outbox:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    def marked(self, event: str, subjects: Sequence[str]) -> set[str]:
        """Which of ``subjects`` were already told for ``event``."""
        found: set[str] = set()
        with self._sessions() as session:
            for start in range(0, len(subjects), 500):
                query = select(NotifyMark.subject).where(
                    NotifyMark.event == event,
                    col(NotifyMark.subject).in_(subjects[start : start + 500]),
                )
                found |= set(session.exec(query))
        return found

    def enqueue(
        self, event: str, subjects: Iterable[str], messages: Sequence[NotifyMessage], now: datetime
    ) -> bool:
        """Mark ``subjects`` told and queue ``messages``, all or nothing; False when another
        process marked one of them first (it queued the message)."""
        try:
            with self._sessions() as session:
                for subject in subjects:
                    session.add(NotifyMark(event=event, subject=subject, created_at=now))
                session.add_all(messages)
                session.commit()
            return True
        except IntegrityError:
            return False

    def take(self, owner: str, now: datetime, limit: int = 20) -> list[NotifyMessage]:
        """Claim the messages due now (a sender's lease that ran out frees its message)."""
        self._update([col(NotifyMessage.state) == SENDING, col(NotifyMessage.lease_until) < now],
                     state=QUEUED, owner=None, lease_until=None)  # fmt: skip
        with self._sessions() as session:
            query = select(NotifyMessage.id).where(
                NotifyMessage.state == QUEUED, col(NotifyMessage.next_try_at) <= now
            )
            ids = list(session.exec(query.order_by(col(NotifyMessage.id)).limit(limit)))
        taken = []
        for id_ in ids:
            where = [NotifyMessage.id == id_, NotifyMessage.state == QUEUED]
            if self._update(where, state=SENDING, owner=owner, lease_until=now + SEND_LEASE):
                taken.append(id_)
        with self._sessions() as session:
            chosen = select(NotifyMessage).where(col(NotifyMessage.id).in_(taken))
            return list(session.exec(chosen.order_by(col(NotifyMessage.id))))

    def sent(self, message_id: int, owner: str, now: datetime, answer: str) -> bool:
        return self._settle(message_id, owner, state=SENT, sent_at=now, answer=answer)

    def again(self, message_id: int, owner: str, at: datetime, answer: str) -> bool:
        """Not sent this time: queued again for ``at``."""
        return self._settle(message_id, owner, state=QUEUED, next_try_at=at, answer=answer)

    def give_up(self, message_id: int, owner: str, answer: str) -> bool:
        return self._settle(message_id, owner, state=FAILED, answer=answer)

    def unsent(self) -> list[NotifyMessage]:
        """What is queued, being sent, or failed to send, oldest first."""
        with self._sessions() as session:
            query = select(NotifyMessage).where(col(NotifyMessage.state) != SENT)
            return list(session.exec(query.order_by(col(NotifyMessage.id))))

    def all(self) -> list[NotifyMessage]:
        with self._sessions() as session:
            return list(session.exec(select(NotifyMessage).order_by(col(NotifyMessage.id))))

    def _settle(self, message_id: int, owner: str, **values: Any) -> bool:
        where = [
            NotifyMessage.id == message_id,
            NotifyMessage.owner == owner,
            NotifyMessage.state == SENDING,
        ]
        tries = NotifyMessage.tries + 1
        return self._update(where, tries=tries, owner=None, lease_until=None, **values) == 1

    def _update(self, conditions: list[Any], **values: Any) -> int:
        with self._sessions() as session:
            result = session.execute(update(NotifyMessage).where(*conditions).values(**values))
            session.commit()
            return int(result.rowcount or 0)  # type: ignore[attr-defined]
