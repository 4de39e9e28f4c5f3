"""``Memory``: since when the store's record is whole, so that a new or restored database
never makes a post due that may already have gone out.

A new database knows nothing from before it was created (``created_at``); a copy made by
``jadwal backup`` carries ``backed_up_at``, and the first publishing run that opens it as the
live database writes ``restored_at``: between the backup and the restore it knows nothing
either, and its unfinished rows (claimed, publishing, retry) may have gone out after the
backup. The engine looks those posts up on the platform before publishing them
(``engine.blind``).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from scheduler.errors import StoreError
from scheduler.i18n import _
from scheduler.store.states import ACTIVE, State
from scheduler.store.tables import Meta, Publication

Sessions = Callable[[], AbstractContextManager[Session]]
BACKED_UP_AT = "backed_up_at"
RESTORED_AT = "restored_at"
CREATED_AT = "created_at"


@dataclass(frozen=True)
class Remembered:
    """The moments that bound what the store can know."""

    created_at: datetime
    backed_up_at: datetime | None = None
    restored_at: datetime | None = None


class Memory:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    def read(self) -> Remembered:
        with self._sessions() as session:
            meta = {m.name: m.value for m in session.exec(select(Meta))}
        if CREATED_AT not in meta:
            raise StoreError(_("the database has no creation time; was it migrated?"))
        moment = {k: datetime.fromisoformat(v) for k, v in meta.items() if k.endswith("_at")}
        return Remembered(moment[CREATED_AT], moment.get(BACKED_UP_AT), moment.get(RESTORED_AT))

    def restore(self, now: datetime, why: str) -> datetime:
        """Take a backup copy into use at ``now``: its unfinished rows become ``unknown`` (with
        ``why``), to be looked up; the moment of the restore (another process's, if it was
        first)."""
        with self._sessions() as session:
            session.add(Meta(name=RESTORED_AT, value=now.isoformat()))
            try:
                session.flush()
            except IntegrityError:
                session.rollback()
                found = session.get(Meta, RESTORED_AT)
                assert found is not None
                return datetime.fromisoformat(found.value)
            session.execute(
                update(Publication)
                .where(col(Publication.state).in_([*ACTIVE, State.RETRY]))
                .values(state=State.UNKNOWN, error_message=why, updated_at=now, lease_until=None)
            )
            session.commit()
            return now
