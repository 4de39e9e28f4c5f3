"""``ByHand`` (``Store.by_hand``): the publications a person makes by hand, once reminded.

A post on a channel without a posting API (``platform: whatsapp``) ends its attempt
``awaiting``: the operator is reminded (the notifier turns each awaiting row into its
reminder, once) and the row waits for them. ``jadwal done`` settles it ``published``, with
the link they give as its permalink; the engine settles it ``missed`` once its grace period
has passed unconfirmed. Each is one guarded UPDATE on ``state = 'awaiting'``, so a
confirmation and the grace's end can't both win, and neither can happen twice.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from scheduler.store.states import State
from scheduler.store.tables import Publication

Sessions = Callable[[], AbstractContextManager[Session]]


class ByHand:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    def awaiting(self) -> list[Publication]:
        """Every row that awaits its person, in time order."""
        with self._sessions() as session:
            query = select(Publication).where(Publication.state == State.AWAITING)
            return list(session.exec(query.order_by(col(Publication.scheduled_at))))

    def done(self, key: str, now: datetime, link: str | None) -> bool:
        """The person posted it (at ``link``, when given): awaiting → published; False when
        the row is not awaiting."""
        return self._settle(
            key,
            state=State.PUBLISHED,
            permalink=link,
            published_at=now,
            error_message=None,
            updated_at=now,
        )

    def lapse(self, key: str, now: datetime, why: str) -> bool:
        """Not confirmed within its grace period: awaiting → missed."""
        return self._settle(key, state=State.MISSED, error_message=why, updated_at=now)

    def _settle(self, key: str, **values: Any) -> bool:
        where = [col(Publication.key) == key, col(Publication.state) == State.AWAITING]
        with self._sessions() as session:
            result = session.execute(update(Publication).where(*where).values(**values))
            session.commit()
            return bool(result.rowcount)  # type: ignore[attr-defined]
